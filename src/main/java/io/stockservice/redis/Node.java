package io.stockservice.redis;

/**
 * A Redis server, by the address the service reaches it at.
 *
 * @param host its host name or IP address
 * @param port its port
 */
public record Node(String host, int port) {

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}
