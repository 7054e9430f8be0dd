package io.stockservice.api;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The README's tables are read strictly: what cannot be read fails, it is not skipped.
 */
class ReadmeTablesTests {

	static final String API = """
			| call | success | errors |
			|---|---|---|
			| `PUT /stock/{sku}` `{"quantity":100}` (admin) | 200 `{"sku":"count","available":100}` | 400; 401, 403 |
			""";

	@Test
	void aCallsStatusesAreItsSuccessAndErrorsButNoNumberInACodeSpan() {
		assertThat(ReadmeTables.calls(API))
			.containsExactly(new ReadmeTables.Call("PUT", "/stock/{sku}", Set.of(200, 400, 401, 403)));
	}

	@Test
	void aRowThatDoesNotStartWithAMethodAndPathFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReadmeTables.calls(API.replace("`PUT /stock/{sku}`", "PUT /stock/{sku}")));
	}

	@Test
	void aRowWithACellTooManyFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReadmeTables.calls(API.replace("| 400;", "| 400 | x;")));
	}

	@Test
	void aMissingTableFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReadmeTables.calls("# no table here\n"));
	}

	@Test
	void problemRowsGiveEachSlugItsStatusAndTheRowsMembers() {
		String problems = """
				| slug | status | when | extra members |
				|---|---|---|---|
				| `contention` | 503 + `Retry-After` | lost | `sku`, `attempts` |
				| `invalid-request` | 400 | bad | `errors: [{field, reason}]` |
				| `not-found`, `method-not-allowed` | 404, 405 | Spring's | — |
				""";

		assertThat(ReadmeTables.problems(problems)).containsExactly(
				new ReadmeTables.ProblemRow("contention", 503, List.of("sku", "attempts")),
				new ReadmeTables.ProblemRow("invalid-request", 400, List.of("errors")),
				new ReadmeTables.ProblemRow("not-found", 404, List.of()),
				new ReadmeTables.ProblemRow("method-not-allowed", 405, List.of()));
	}

}
