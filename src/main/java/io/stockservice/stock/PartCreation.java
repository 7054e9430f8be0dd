package io.stockservice.stock;

import java.util.List;
import java.util.Map;

/**
 * One atomic creation of a reservation's part: every item fits, and is taken, or nothing
 * is written.
 *
 * @param reservationId the reservation's id
 * @param partAnchor the smallest SKU of the part: its hold is named after it
 * @param items the part's items, all in one hash slot
 * @param expiresAt when the hold expires (Redis time, milliseconds); a creation that
 * comes later is refused as {@link PartCreated.Late}
 * @param mode what to do with the units
 * @param extraFields fields the hold's hash gets besides its own (see
 * {@link HoldFields#anchorOf})
 * @param recordKey the idempotency record to check and, on success, write; or
 * {@code null}
 * @param recordTemplate the record a success writes, in which {@code #k} (k from 1)
 * stands for what the part's k-th item leaves in {@code available}
 */
record PartCreation(String reservationId, String partAnchor, List<Item> items, long expiresAt, Mode mode,
		Map<String, String> extraFields, String recordKey, String recordTemplate) {

	PartCreation {
		items = List.copyOf(items);
		extraFields = Map.copyOf(extraFields);
	}

	/** A plain hold of a part, without a record. */
	static PartCreation hold(String reservationId, String partAnchor, List<Item> items, long expiresAt) {
		return new PartCreation(reservationId, partAnchor, items, expiresAt, Mode.HOLD, Map.of(), null, null);
	}

	PartCreation withRecord(String recordKey, String recordTemplate) {
		return new PartCreation(this.reservationId, this.partAnchor, this.items, this.expiresAt, this.mode,
				this.extraFields, recordKey, recordTemplate);
	}

	PartCreation as(Mode mode, Map<String, String> extraFields) {
		return new PartCreation(this.reservationId, this.partAnchor, this.items, this.expiresAt, mode, extraFields,
				this.recordKey, this.recordTemplate);
	}

	/** The record a success writes, given what each item left. */
	String record(List<Long> available) {
		String record = this.recordTemplate;
		for (int k = available.size(); k >= 1; k--) {
			// From the last index down, so that #1 never eats the start of #12.
			record = record.replace("#" + k, Long.toString(available.get(k - 1)));
		}
		return record;
	}

	/** What a creation does with the units of a part. */
	enum Mode {

		/** Move them from {@code available} to {@code reserved}: the hold is held. */
		HOLD("hold"),

		/**
		 * Take them from {@code available} for good: the hold is born confirmed. The
		 * anchor of an order across slots, whose other parts are held already.
		 */
		SELL("sell"),

		/** Write nothing; only tell the levels (to explain a refusal). */
		CHECK("check");

		private final String tag;

		Mode(String tag) {
			this.tag = tag;
		}

		String tag() {
			return this.tag;
		}

	}

}
