package io.stockservice.stock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service shares {@code stock:count} with clients that run the article's own loop,
 * and together they sell exactly the stock there was: optimistic locking guards every
 * writer of the key, not only ours.
 */
class ArticleInteropTests {

	static final int STOCK = 2_000;

	final TestRedis redis = TestRedis.shared();

	TransactionClient client;

	final ExecutorService lanes = Executors.newCachedThreadPool();

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 4);
	}

	@AfterEach
	void closeClient() {
		this.lanes.shutdownNow();
		this.client.close();
		this.redis.flush();
	}

	/**
	 * The article's worker, verbatim in spirit: WATCH, GET, and if there is stock, MULTI,
	 * DECR, EXEC; an aborted EXEC means another client got there first, so try again.
	 * @return the units this client sold
	 */
	static int articleWorker(RedisCommands<String, String> redis, AtomicInteger negativeRemainders) {
		int sold = 0;
		while (true) {
			redis.watch("stock:count");
			long count = Long.parseLong(redis.get("stock:count"));
			if (count <= 0) {
				redis.unwatch();
				return sold;
			}
			redis.multi();
			redis.decr("stock:count");
			TransactionResult result = redis.exec();
			if (!result.wasDiscarded()) {
				sold++;
				if ((Long) result.get(0) < 0) {
					negativeRemainders.incrementAndGet();
				}
			}
		}
	}

	@ParameterizedTest(name = "combining {0}")
	@ValueSource(booleans = { false, true })
	void theServiceAndTheArticlesClientsTogetherSellExactlyTheInitialStock(boolean combining) throws Exception {
		this.redis.commands().set("stock:count", Integer.toString(STOCK));
		StockReducer direct = new StockReducer(
				new WatchReduceStrategy(this.client.connections(), StockKeys.defaults(), IdempotencyRecords.defaults(),
						Replication.none(), new RetryPolicy(50, Duration.ofMillis(1), Duration.ofMillis(10)),
						ReduceListener.NONE, Sleeper.SYSTEM, RetryPolicy.THREAD_LOCAL_JITTER),
				Duration.ofSeconds(10), ReduceListener.NONE);
		StockReducer service = combining ? direct.combining(this.lanes, 256) : direct;
		AtomicInteger negativeRemainders = new AtomicInteger();
		AtomicInteger soldByService = new AtomicInteger();

		CompletableFuture<?>[] workers = new CompletableFuture<?>[6];
		RedisClient article = RedisClient.create(this.redis.uri());
		try {
			for (int i = 0; i < 3; i++) {
				StatefulRedisConnection<String, String> connection = article.connect();
				workers[i] = CompletableFuture.supplyAsync(() -> articleWorker(connection.sync(), negativeRemainders));
			}
			for (int i = 3; i < 6; i++) {
				workers[i] = CompletableFuture.runAsync(() -> {
					while (!(service.reduce("count", 1) instanceof ReduceOutcome.Insufficient)) {
						soldByService.incrementAndGet();
					}
				});
			}
			CompletableFuture.allOf(workers).get(60, TimeUnit.SECONDS);
		}
		finally {
			article.shutdown();
		}

		int soldByArticle = 0;
		for (int i = 0; i < 3; i++) {
			soldByArticle += (Integer) workers[i].get();
		}
		assertThat(soldByArticle + soldByService.get()).isEqualTo(STOCK);
		assertThat(soldByArticle).isPositive();
		assertThat(soldByService.get()).isPositive();
		assertThat(negativeRemainders).hasValue(0);
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("0");
	}

}
