package io.stockservice.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Holds in one atomic Lua script per step ({@code hold-create.lua},
 * {@code hold-move.lua}): one round trip, never a conflict, the same decisions as
 * {@link WatchHoldStrategy}. Retried only when a Redis Cluster moves the slot; with
 * {@link Replication} required, a WAIT follows a script that wrote.
 */
public final class LuaHoldStrategy implements HoldStrategy {

	private static final LuaScript CREATE = LuaScript.load("hold-create.lua");

	private static final LuaScript MOVE = LuaScript.load("hold-move.lua");

	private final HoldSettings settings;

	private final AttemptLoop loop;

	public LuaHoldStrategy(RedisSessions sessions, HoldSettings settings, Sleeper sleeper, RandomGenerator random) {
		this.settings = settings;
		this.loop = new AttemptLoop(sessions, settings.retry(), sleeper, random);
	}

	@Override
	public String name() {
		return LuaReduceStrategy.NAME;
	}

	@Override
	public PartCreated create(PartCreation creation, Deadline deadline) {
		StockKeys keys = this.settings.keys();
		String hold = keys.hold(creation.partAnchor(), creation.reservationId());
		List<String> scriptKeys = new ArrayList<>(
				List.of(hold, (creation.recordKey() != null) ? creation.recordKey() : hold));
		creation.items().forEach((item) -> scriptKeys.add(keys.stock(item.sku())));
		creation.items().forEach((item) -> scriptKeys.add(keys.reserved(item.sku())));
		List<String> args = new ArrayList<>(List.of(creation.mode().tag(), Long.toString(creation.expiresAt()),
				Long.toString(this.settings.retention().toMillis()),
				Long.toString(this.settings.recordTtl().toMillis()), this.settings.replication().required() ? "1" : "0",
				(creation.recordKey() != null) ? "1" : "0",
				(creation.recordTemplate() != null) ? creation.recordTemplate() : "",
				Integer.toString(creation.items().size())));
		creation.items().forEach((item) -> args.add(item.sku()));
		creation.items().forEach((item) -> args.add(Long.toString(item.quantity())));
		args.add(Integer.toString(creation.extraFields().size()));
		creation.extraFields().forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		List<Object> reply = run(CREATE, hold, scriptKeys, args, deadline);
		return switch ((String) reply.get(0)) {
			case "T" -> new PartCreated.Taken(numbers(reply, 1));
			case "S" ->
				new PartCreated.Refused(numbers(reply, 1).stream().map((level) -> (level < 0) ? null : level).toList());
			case "K" -> new PartCreated.RecordFound((String) reply.get(2));
			case "X" -> new PartCreated.RecordUnreadable();
			case "C" -> new PartCreated.CorruptStock((String) reply.get(1));
			case "L" -> new PartCreated.Late();
			case "E" -> new PartCreated.Exists();
			default -> throw new IllegalStateException("hold-create.lua answered " + reply);
		};
	}

	@Override
	public PartMoved move(PartMove move, Deadline deadline) {
		StockKeys keys = this.settings.keys();
		String hold = keys.hold(move.partAnchor(), move.reservationId());
		List<String> args = List.of(move.op().tag(), (move.target() != null) ? move.target().tag() : "",
				Long.toString(move.dueAt()), Long.toString(this.settings.retention().toMillis()),
				this.settings.replication().required() ? "1" : "0", keys.stockPrefix(), keys.namespace());
		List<Object> reply = run(MOVE, hold, List.of(hold), args, deadline);
		String kind = (String) reply.get(0);
		return switch (kind) {
			case "D" -> {
				Hold before = decoded(reply, 3);
				long now = (Long) reply.get(1);
				yield (before != null) ? new PartMoved.Moved(before.movedTo(HoldState.of((String) reply.get(2)), now))
						: new PartMoved.Unreadable();
			}
			case "F" -> ended(decoded(reply, 2));
			case "W" -> notDue(decoded(reply, 2));
			case "M" -> new PartMoved.Missing(((Long) reply.get(2)) == 1);
			case "C" -> new PartMoved.CorruptStock((String) reply.get(1));
			case "B" -> new PartMoved.Unreadable();
			default -> throw new IllegalStateException("hold-move.lua answered " + reply);
		};
	}

	private static PartMoved ended(Hold hold) {
		return (hold != null) ? new PartMoved.Ended(hold) : new PartMoved.Unreadable();
	}

	private static PartMoved notDue(Hold hold) {
		return (hold != null) ? new PartMoved.NotDue(hold) : new PartMoved.Unreadable();
	}

	private static Hold decoded(List<Object> reply, int from) {
		Map<String, String> fields = HoldFields.fromFlat(reply, from);
		return HoldFields.decode(fields);
	}

	/**
	 * Runs the script on the master of the hold's slot, retried only on a cluster
	 * redirect, and waits for replicas if it wrote and they must confirm.
	 */
	private List<Object> run(LuaScript script, String hold, List<String> keys, List<String> args, Deadline deadline) {
		AttemptLoop.Decided<List<Object>> decided;
		try {
			decided = this.loop.run(hold, deadline, ReduceListener.NONE, (session, attempt) -> {
				List<Object> reply = script.run(session, deadline, keys, args);
				Replication replication = this.settings.replication();
				if (replication.required() && wrote(reply)) {
					Reply<Long> confirmed = session.waitForReplicas(replication.replicas(),
							replication.timeoutMillis(deadline));
					session.send(deadline, confirmed);
					replication.check(session, confirmed);
				}
				return reply;
			});
		}
		catch (RedisErrorReply ex) {
			throw StockErrors.refused(ex);
		}
		if (decided.decision() == null) {
			throw new StockUnavailableException("Redis kept redirecting the hold's script", null);
		}
		return decided.decision();
	}

	/**
	 * Whether the script's reply says it wrote: a creation, a move, a void mark, a touch.
	 */
	private boolean wrote(List<Object> reply) {
		return switch ((String) reply.get(0)) {
			case "T" -> true;
			case "K" -> ((Long) reply.get(1)) == 1;
			case "D", "F" -> true;
			case "M" -> ((Long) reply.get(2)) == 1;
			default -> false;
		};
	}

	private static List<Long> numbers(List<Object> reply, int from) {
		List<Long> numbers = new ArrayList<>();
		for (int i = from; i < reply.size(); i++) {
			numbers.add((Long) reply.get(i));
		}
		return numbers;
	}

}
