/** Operational counters and gauges of the relay, exposed at {@code /metrics} in the Prometheus text format. */
package org.ciphersync.relay.server.metrics;
