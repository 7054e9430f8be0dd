package io.stockservice.config;

/**
 * A setting, or a combination of settings, that cannot work, found at start-up. Thrown
 * from wherever the check is made, it ends the start with a short report of the setting,
 * the problem and the fix ({@link InvalidSettingFailureAnalyzer}) in place of a stack
 * trace with the one useful sentence buried in it.
 */
public class InvalidSettingException extends RuntimeException {

	private final String setting;

	private final String problem;

	private final String fix;

	/**
	 * @param setting the property at fault, as a user writes it (e.g.
	 * {@code spring.data.redis.cluster.nodes})
	 * @param problem why it cannot work, as a sentence
	 * @param fix what to set instead, as a sentence
	 */
	public InvalidSettingException(String setting, String problem, String fix) {
		this(setting, problem, fix, null);
	}

	/**
	 * @param setting the property at fault
	 * @param problem why it cannot work
	 * @param fix what to set instead
	 * @param cause what failed, kept for the debug log
	 */
	public InvalidSettingException(String setting, String problem, String fix, Throwable cause) {
		super(setting + ": " + problem + " " + fix, cause);
		this.setting = setting;
		this.problem = problem;
		this.fix = fix;
	}

	public String setting() {
		return this.setting;
	}

	public String problem() {
		return this.problem;
	}

	public String fix() {
		return this.fix;
	}

}
