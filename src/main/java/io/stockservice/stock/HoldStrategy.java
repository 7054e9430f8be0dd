package io.stockservice.stock;

/**
 * Creates and moves the parts of reservations, each part one atomic step on the master of
 * its hash slot: {@code watch} (WATCH, read, MULTI ... EXEC, retried on conflict) or
 * {@code lua} (one script). Both check every value they depend on before the first write,
 * and with {@link Replication} required, wait for replicas after every write (a step that
 * finds its work already done rewrites what it found unchanged, so that the wait covers
 * it).
 */
public interface HoldStrategy {

	/** {@code watch} or {@code lua}, as {@link ReduceStrategy#name()}. */
	String name();

	/**
	 * @throws StockUnavailableException if Redis failed or replicas did not confirm; the
	 * part may or may not have been created
	 */
	PartCreated create(PartCreation creation, Deadline deadline);

	/**
	 * @throws StockUnavailableException if Redis failed or replicas did not confirm; the
	 * part may or may not have moved
	 */
	PartMoved move(PartMove move, Deadline deadline);

}
