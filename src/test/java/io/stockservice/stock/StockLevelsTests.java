package io.stockservice.stock;

import java.time.Duration;
import java.util.List;

import io.stockservice.fixture.TestRedis;
import io.stockservice.fixture.TransactionClient;
import io.stockservice.stock.StockLevels.Restock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class StockLevelsTests {

	final TestRedis redis = TestRedis.shared();

	TransactionClient client;

	StockLevels levels;

	@BeforeEach
	void startFromAnEmptyRedis() {
		this.redis.flush();
		this.client = TransactionClient.to(this.redis.uri(), 2);
		this.levels = new StockLevels(this.client.connections(), StockKeys.defaults(), Duration.ofSeconds(5));
	}

	@AfterEach
	void closeClient() {
		this.client.close();
		this.redis.flush();
	}

	@Test
	void setsAndReadsALevelUnderThePrefixedKey() {
		this.levels.set("count", 100);

		assertThat(this.redis.commands().get("stock:count")).isEqualTo("100");
		assertThat(this.levels.get("count")).hasValue(100);
	}

	@Test
	void readsNothingForAnUnknownSku() {
		assertThat(this.levels.get("nothing")).isEmpty();
	}

	@Test
	void setReplacesACorruptValue() {
		this.redis.commands().set("stock:count", "garbage");

		this.levels.set("count", 7);

		assertThat(this.levels.get("count")).hasValue(7);
	}

	@Test
	void readingACorruptValueFailsAndLeavesItUntouched() {
		this.redis.commands().set("stock:count", "garbage");

		assertThatExceptionOfType(CorruptStockException.class).isThrownBy(() -> this.levels.get("count"));
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("garbage");
	}

	@Test
	void restockAddsToAnExistingLevel() {
		this.levels.set("count", 10);

		assertThat(this.levels.restock("count", 5)).isEqualTo(new Restock.Restocked(15));
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("15");
	}

	@Test
	void restockOfAnUnknownSkuCreatesNothing() {
		assertThat(this.levels.restock("nothing", 5)).isEqualTo(new Restock.UnknownSku());
		assertThat(this.redis.commands().exists("stock:nothing")).isZero();
	}

	@Test
	void restockRefusesToPassTheLargestLevelAndChangesNothing() {
		this.levels.set("count", StockLevel.MAX - 1);

		assertThat(this.levels.restock("count", 2)).isEqualTo(new Restock.WouldPassMaximum(StockLevel.MAX - 1));
		assertThat(this.levels.restock("count", 1)).isEqualTo(new Restock.Restocked(StockLevel.MAX));
	}

	@Test
	void restockOfACorruptValueFailsAndLeavesItUntouched() {
		this.redis.commands().set("stock:count", "-3");

		assertThatExceptionOfType(CorruptStockException.class).isThrownBy(() -> this.levels.restock("count", 1));
		assertThat(this.redis.commands().get("stock:count")).isEqualTo("-3");
	}

	@Test
	void deleteRemovesTheKeyAndIsIdempotent() {
		this.levels.set("count", 1);

		assertThat(this.levels.delete("count")).isTrue();
		assertThat(this.levels.delete("count")).isFalse();
		assertThat(this.redis.commands().exists("stock:count")).isZero();
	}

	/**
	 * MGET answers nil for a missing key and for a key of another type (a hash here), so
	 * one round trip reads every level without a WRONGTYPE error failing the lot.
	 */
	@Test
	void readsSeveralLevelsAtOnceLeavingOutMissingAndCorruptOnes() {
		this.levels.set("hot", 7);
		this.levels.set("cold", 0);
		this.redis.commands().set("stock:garbage", "x");
		this.redis.commands().hset("stock:hash", "field", "1");

		assertThat(this.levels.levels(List.of("hot", "missing", "garbage", "hash", "cold")))
			.containsExactly(entry("hot", 7L), entry("cold", 0L));
	}

}
