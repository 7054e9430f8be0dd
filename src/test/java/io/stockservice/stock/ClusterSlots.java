package io.stockservice.stock;

import io.lettuce.core.cluster.SlotHash;

/**
 * Sessions on one Redis that answer {@link #slot} as a Redis Cluster would (CRC16 of the
 * key's hash tag), so that a reservation or an order on SKUs of different slots is split
 * into parts, each taken in a transaction of its own, exactly as on a cluster: the logic
 * across parts runs against a real Redis without one. (Tests on a real cluster check the
 * routing.)
 */
final class ClusterSlots implements RedisSessions {

	private final RedisSessions sessions;

	ClusterSlots(RedisSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public RedisSession acquire(String key, Deadline deadline) {
		return this.sessions.acquire(key, deadline);
	}

	@Override
	public int slot(String key) {
		return SlotHash.getSlot(key);
	}

	/** The slot of a SKU's stock key, as reservations split SKUs into parts. */
	int slotOfStock(String sku) {
		return slot(StockKeys.defaults().stock(sku));
	}

	@Override
	public int leased() {
		return this.sessions.leased();
	}

	@Override
	public void close() {
		this.sessions.close();
	}

}
