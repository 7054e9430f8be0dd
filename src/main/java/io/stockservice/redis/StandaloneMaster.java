package io.stockservice.redis;

import java.util.List;
import java.util.function.Consumer;

/** One Redis server, always the master. */
public final class StandaloneMaster implements Masters {

	private final Node node;

	public StandaloneMaster(Node node) {
		this.node = node;
	}

	@Override
	public Node masterFor(String key) {
		return this.node;
	}

	@Override
	public boolean isCurrent(Node node) {
		return this.node.equals(node);
	}

	@Override
	public void refresh() {
	}

	@Override
	public List<Node> all() {
		return List.of(this.node);
	}

	@Override
	public void onRetired(Consumer<Node> listener) {
	}

	@Override
	public void close() {
	}

}
