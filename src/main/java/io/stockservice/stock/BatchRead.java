package io.stockservice.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WATCH of a batch's keys and the reads it guards (or the reads alone, to see what
 * changed after an aborted EXEC), for {@link WatchReduceStrategy}: sent, and answered
 * once {@link RedisSession#await} has seen its replies.
 */
record BatchRead(List<Reply<?>> replies, Reply<String> watch, Map<String, Reply<String>> stockReplies,
		Map<String, Reply<String>> recordReplies) {

	/**
	 * WATCH goes first, so that a write after our reads always aborts our EXEC. Each key
	 * is read by a GET of its own (not one MGET), so that a key of another type answers
	 * WRONGTYPE for itself rather than passing for a missing value.
	 */
	static BatchRead send(RedisSession session, BatchKeys batch, boolean watched) {
		List<Reply<?>> replies = new ArrayList<>();
		Reply<String> watch = watched ? session.watch(batch.all().toArray(new String[0])) : null;
		if (watch != null) {
			replies.add(watch);
		}
		Map<String, Reply<String>> stocks = new LinkedHashMap<>();
		batch.stockKeys().forEach((sku, key) -> {
			Reply<String> reply = session.get(key);
			stocks.put(sku, reply);
			replies.add(reply);
		});
		Map<String, Reply<String>> records = new LinkedHashMap<>();
		for (String key : batch.recordKeys()) {
			Reply<String> reply = session.get(key);
			records.put(key, reply);
			replies.add(reply);
		}
		return new BatchRead(replies, watch, stocks, records);
	}

	/**
	 * @throws RedisErrorReply if the WATCH was refused, or a read failed for another
	 * reason than a key of another type
	 */
	Map<String, Found> stocks() {
		if (this.watch != null) {
			this.watch.value();
		}
		Map<String, Found> found = new LinkedHashMap<>();
		this.stockReplies.forEach((sku, reply) -> found.put(sku, Found.of(reply)));
		return found;
	}

	Map<String, Found> records() {
		Map<String, Found> found = new LinkedHashMap<>();
		this.recordReplies.forEach((key, reply) -> found.put(key, Found.of(reply)));
		return found;
	}

}
