package io.stockservice.loadgen;

/**
 * What the coordinator hears from worker {@code worker} (numbered from 1): a line of the
 * worker's protocol, or the end of its process.
 */
sealed interface WorkerEvent {

	int worker();

	/** Connected and checked the SKU; waiting for GO. */
	record Ready(int worker) implements WorkerEvent {
	}

	/** One reduction call ended, after {@code nanos}. */
	record Reported(int worker, Sale sale, long nanos) implements WorkerEvent {
	}

	/** The worker's loop ended normally: sold out, or told to stop. */
	record Done(int worker) implements WorkerEvent {
	}

	/** The worker gave up; {@code message} says why. */
	record Failed(int worker, String message) implements WorkerEvent {
	}

	/** The process ended with {@code status}; nothing follows. */
	record Exited(int worker, int status) implements WorkerEvent {
	}

}
