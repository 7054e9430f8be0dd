package io.stockservice.stock;

/** The bounded set of ways a reduction ends, as counted in metrics. */
public enum Outcome {

	SUCCESS("success"), INSUFFICIENT("insufficient"), NOT_FOUND("not_found"), CONTENTION("contention"),
	UNAVAILABLE("unavailable"), UNREPLICATED("unreplicated"), CORRUPT("corrupt"), CORRUPT_RECORD("corrupt_record"),
	REPLAYED("replayed"), KEY_REUSED("key_reused");

	private final String tag;

	Outcome(String tag) {
		this.tag = tag;
	}

	/** The value of the {@code outcome} metric tag. */
	public String tag() {
		return this.tag;
	}

}
