package io.stockservice;

import io.stockservice.loadgen.LoadGenerator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class StockServiceApplication {

	public static void main(String[] args) {
		if (LoadGenerator.handles(args)) {
			// `loadgen` runs without Spring: see io.stockservice.loadgen.
			LoadGenerator.main(args);
			return;
		}
		SpringApplication.run(StockServiceApplication.class, args);
	}

}
