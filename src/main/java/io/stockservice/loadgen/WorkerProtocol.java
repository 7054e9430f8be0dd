package io.stockservice.loadgen;

/**
 * The line protocol between the coordinator and a worker process. A worker writes, on its
 * standard output and nothing else there:
 *
 * <pre>
 * READY                                        connected, waiting for GO
 * SOLD available attempts conflicts nanos resent replayed      one successful reduction
 * CONTENDED attempts conflicts nanos                           one reduction that lost every race
 * SOLDOUT available attempts conflicts nanos resent replayed   the last call: too few units left
 * DONE                                         the loop ended normally
 * ERROR message                                the worker gave up
 * </pre>
 *
 * and reads {@code GO} (start the race) and {@code STOP} (finish the call in flight, then
 * DONE) on its standard input; the end of its input means the coordinator is gone.
 */
final class WorkerProtocol {

	static final String READY = "READY";

	static final String DONE = "DONE";

	static final String GO = "GO";

	static final String STOP = "STOP";

	private static final String SOLD = "SOLD";

	private static final String CONTENDED = "CONTENDED";

	private static final String SOLD_OUT = "SOLDOUT";

	private static final String ERROR = "ERROR";

	private WorkerProtocol() {
	}

	static String report(Sale sale, long nanos) {
		if (sale instanceof Sale.Sold sold) {
			return String.join(" ", SOLD, str(sold.available()), str(sold.attempts()), str(sold.conflicts()),
					str(nanos), str(sold.resent()), sold.replayed() ? "1" : "0");
		}
		if (sale instanceof Sale.SoldOut soldOut) {
			return String.join(" ", SOLD_OUT, str(soldOut.available()), str(soldOut.attempts()),
					str(soldOut.conflicts()), str(nanos), str(soldOut.resent()), soldOut.replayed() ? "1" : "0");
		}
		return String.join(" ", CONTENDED, str(sale.attempts()), str(sale.conflicts()), str(nanos));
	}

	static String error(String message) {
		return ERROR + " " + String.valueOf(message).replaceAll("\\s+", " ");
	}

	/**
	 * @return the event the line reports, or {@code null} if it is not a protocol line
	 */
	static WorkerEvent parse(int worker, String line) {
		if (line.startsWith(ERROR + " ")) {
			return new WorkerEvent.Failed(worker, line.substring(ERROR.length() + 1));
		}
		String[] words = line.trim().split(" ");
		try {
			switch (words[0]) {
				case READY:
					return (words.length == 1) ? new WorkerEvent.Ready(worker) : null;
				case DONE:
					return (words.length == 1) ? new WorkerEvent.Done(worker) : null;
				case SOLD:
					return (words.length == 7) ? new WorkerEvent.Reported(worker,
							new Sale.Sold(num(words[1]), num(words[2]), num(words[3]), num(words[5]), flag(words[6])),
							num(words[4])) : null;
				case SOLD_OUT:
					return (words.length == 7) ? new WorkerEvent.Reported(worker, new Sale.SoldOut(num(words[1]),
							num(words[2]), num(words[3]), num(words[5]), flag(words[6])), num(words[4])) : null;
				case CONTENDED:
					return (words.length == 4) ? new WorkerEvent.Reported(worker,
							new Sale.Contended(num(words[1]), num(words[2])), num(words[3])) : null;
				default:
					return null;
			}
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String str(long value) {
		return Long.toString(value);
	}

	private static long num(String word) {
		return Long.parseLong(word);
	}

	private static boolean flag(String word) {
		return switch (word) {
			case "1" -> true;
			case "0" -> false;
			default -> throw new NumberFormatException(word);
		};
	}

}
