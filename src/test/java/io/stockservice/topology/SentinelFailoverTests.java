package io.stockservice.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.stockservice.fixture.DecrementAudit;
import io.stockservice.fixture.RedisServerProcess;
import io.stockservice.fixture.RunningService;
import io.stockservice.fixture.SentinelTopology;
import io.stockservice.loadgen.LoadRun;
import io.stockservice.redis.Masters;
import io.stockservice.redis.SentinelMasters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on a real Sentinel deployment (one master, one replica, three sentinels,
 * all redis-server processes the test starts), configured as a user would, by
 * {@code spring.data.redis.sentinel.*} alone, while the load generator's worker JVMs sell
 * with an {@code Idempotency-Key} each and resend after every 503 or timeout. Whatever
 * happens to the master, every unit is sold exactly once and the new master ends at 0.
 * <p>
 * What makes it hold: the service follows {@code +switch-master} at once and starts no
 * transaction on the old master afterwards, checks the role of every node it connects to,
 * and acknowledges a sale only once a replica has it
 * ({@code stock.redis.replicas-to-ack}, 1 by default here): before, a failover lost the
 * sales the old master took meanwhile, and 5,694 of 3,000 units were sold.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SentinelFailoverTests {

	private static final Logger logger = LoggerFactory.getLogger(SentinelFailoverTests.class);

	static final int STOCK = 3000;

	static RunningService service(SentinelTopology sentinel, String... more) {
		String[] properties = new String[more.length + 2];
		properties[0] = "spring.data.redis.sentinel.master=" + sentinel.masterName();
		properties[1] = "spring.data.redis.sentinel.nodes=" + sentinel.sentinelNodes();
		System.arraycopy(more, 0, properties, 2, more.length);
		return RunningService.withProperties(properties);
	}

	static CompletableFuture<LoadRun.Result> idempotentLoad(RunningService service, String sku) {
		return LoadRun.start("--workers", "4", "--stock", Integer.toString(STOCK), "--sku", sku, "--target",
				service.uri().toString(), "--idempotent", "--timeout", "3m");
	}

	static void awaitSales(RedisServerProcess master, String sku, int sold) {
		await().atMost(Duration.ofMinutes(1)).until(() -> {
			String level = master.commands().get("stock:" + sku);
			return level != null && Long.parseLong(level) <= STOCK - sold;
		});
	}

	static void assertEveryUnitSoldExactlyOnce(LoadRun.Result result, RedisServerProcess master, String sku) {
		logger.info("Load generator:\n{}", result.summary());
		assertThat(result.ok()).as(result.summary()).isTrue();
		assertThat(result.exactlyOnce()).isTrue();
		assertThat(result.successes()).isEqualTo(STOCK);
		assertThat(master.commands().get("stock:" + sku)).isEqualTo("0");
	}

	@Test
	void aSentinelFailoverUnderIdempotentLoadSellsEveryUnitExactlyOnce() throws Exception {
		try (SentinelTopology sentinel = SentinelTopology.start(); RunningService service = service(sentinel)) {
			RedisServerProcess old = sentinel.master();
			CompletableFuture<LoadRun.Result> load = idempotentLoad(service, "failover");
			awaitSales(old, "failover", 300);

			sentinel.failover();
			RedisServerProcess promoted = sentinel.awaitNewMaster(old, Duration.ofSeconds(30));

			assertEveryUnitSoldExactlyOnce(load.get(3, TimeUnit.MINUTES), promoted, "failover");
		}
	}

	@Test
	void aKilledMasterReplacedByANewReplicaOnItsPortLosesNoSale() throws Exception {
		try (SentinelTopology sentinel = SentinelTopology.start(); RunningService service = service(sentinel)) {
			RedisServerProcess old = sentinel.master();
			CompletableFuture<LoadRun.Result> load = idempotentLoad(service, "crash");
			awaitSales(old, "crash", 300);

			RedisServerProcess crashed = sentinel.crashMaster();
			RedisServerProcess promoted = sentinel.awaitNewMaster(crashed, Duration.ofSeconds(30));
			sentinel.startReplicaInPlaceOf(crashed);

			assertEveryUnitSoldExactlyOnce(load.get(3, TimeUnit.MINUTES), promoted, "crash");
		}
	}

	/**
	 * The old master stays up and reachable after the failover, and for about ten seconds
	 * Sentinel has not yet told it it is a replica: it still takes writes, which it will
	 * throw away. No transaction of the service starts there once the service has
	 * followed {@code +switch-master} (a WATCH or a script call, as the old master itself
	 * saw them); one already under way then may still end there, and its answer waits for
	 * a replica that the old master no longer has.
	 */
	@Test
	void noTransactionStartsOnTheOldMasterOnceTheServiceFollowedTheSwitch() throws Exception {
		try (SentinelTopology sentinel = SentinelTopology.start();
				RunningService service = service(sentinel, "stock.reduce.strategy=watch")) {
			RedisServerProcess old = sentinel.master();
			try (DecrementAudit monitor = DecrementAudit.of(old)) {
				CompletableFuture<LoadRun.Result> load = idempotentLoad(service, "old-master");
				awaitSales(old, "old-master", 300);

				sentinel.failover();
				RedisServerProcess promoted = sentinel.awaitNewMaster(old, Duration.ofSeconds(30));
				LoadRun.Result result = load.get(3, TimeUnit.MINUTES);

				SentinelMasters.Switch followed = ((SentinelMasters) service.bean(Masters.class)).lastSwitch();
				assertThat(followed).isNotNull();
				assertThat(followed.to().port()).isEqualTo(promoted.port());
				// A WATCH already sent when the switch was followed reaches the server a
				// moment later; none is sent after.
				Instant lastStart = followed.at().plusMillis(100);
				List<DecrementAudit.Seen> late = monitor.commands(Set.of("WATCH", "EVALSHA", "EVAL"))
					.stream()
					.filter((seen) -> seen.at().isAfter(lastStart))
					.toList();
				logger.info("Switch followed at {} ({}); transactions started on the old master after it: {}",
						followed.at(), followed.why(), late);
				assertThat(monitor.commands(Set.of("WATCH"))).as("the old master served transactions before")
					.isNotEmpty();
				assertThat(late).isEmpty();
				assertEveryUnitSoldExactlyOnce(result, promoted, "old-master");
			}
		}
	}

}
