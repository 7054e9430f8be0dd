package io.stockservice.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stockservice.stock.HoldListener;
import io.stockservice.stock.HoldState;
import io.stockservice.stock.Item;
import io.stockservice.stock.Outcome;

/**
 * Reservations, in meters tagged only with bounded values:
 * <ul>
 * <li>{@code stock.reservations.requests{outcome,strategy}}: how requests to create one
 * ended;</li>
 * <li>{@code stock.reservations{event,strategy}}: reservations held, confirmed, released
 * and expired (each counted by the instance that moved it);</li>
 * <li>{@code stock.reservations.units{event,strategy}}: their units, so that units
 * reserved now is {@code held - confirmed - released - expired} summed over instances
 * (the gauge {@code stock.reserved{sku}} reads it from Redis for chosen SKUs);</li>
 * <li>{@code stock.reservations.expiry.lateness{strategy}}: how long after
 * {@code expiresAt} an expiry came.</li>
 * </ul>
 * Every counter is registered up front, so that a rate over it is 0 rather than absent.
 */
public final class ReservationMetrics implements HoldListener {

	private static final List<HoldState> EVENTS = List.of(HoldState.HELD, HoldState.CONFIRMED, HoldState.RELEASED,
			HoldState.EXPIRED);

	private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);

	private final Map<HoldState, Counter> reservations = new EnumMap<>(HoldState.class);

	private final Map<HoldState, Counter> units = new EnumMap<>(HoldState.class);

	private final Timer lateness;

	public ReservationMetrics(MeterRegistry registry, String strategy) {
		for (Outcome outcome : Outcome.values()) {
			this.requests.put(outcome,
					Counter.builder("stock.reservations.requests")
						.description("Requests to create a reservation by how they ended")
						.tag("outcome", outcome.tag())
						.tag("strategy", strategy)
						.register(registry));
		}
		for (HoldState event : EVENTS) {
			this.reservations.put(event,
					Counter.builder("stock.reservations")
						.description("Reservations held, and ended by this instance, by how")
						.tag("event", event.tag())
						.tag("strategy", strategy)
						.register(registry));
			this.units.put(event,
					Counter.builder("stock.reservations.units")
						.description("Units of reservations held, and ended by this instance, by how")
						.tag("event", event.tag())
						.tag("strategy", strategy)
						.register(registry));
		}
		this.lateness = Timer.builder("stock.reservations.expiry.lateness")
			.description("How long after its expiresAt a reservation expired")
			.tag("strategy", strategy)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(registry);
	}

	@Override
	public void requested(Outcome outcome) {
		this.requests.get(outcome).increment();
	}

	@Override
	public void held(List<Item> items) {
		count(HoldState.HELD, items);
	}

	@Override
	public void ended(HoldState state, List<Item> items, long lateMillis) {
		count(state, items);
		if (state == HoldState.EXPIRED) {
			this.lateness.record(Duration.ofMillis(lateMillis));
		}
	}

	private void count(HoldState event, List<Item> items) {
		this.reservations.get(event).increment();
		this.units.get(event).increment(items.stream().mapToLong(Item::quantity).sum());
	}

}
