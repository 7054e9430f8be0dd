package io.stockservice.stock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Pauses the calling thread; injected so that tests of backoff never really wait. */
@FunctionalInterface
public interface Sleeper {

	Sleeper SYSTEM = (pause) -> TimeUnit.NANOSECONDS.sleep(pause.toNanos());

	void sleep(Duration pause) throws InterruptedException;

}
