package dev.switchboard.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox relay's settings, under {@code switchboard.outbox}. */
@ConfigMapping(prefix = "switchboard.outbox")
interface OutboxConfig {

    /** Run the relay in this instance. Several instances may all run it: per lane, one relays at a time. */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows published per transaction. */
    @WithDefault("500")
    int batchSize();

    /** How often the relay looks for rows when no notification woke it (a missed NOTIFY, a failed batch). */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a batch may wait for Kafka's acknowledgements before it is rolled back and retried. */
    @WithDefault("60s")
    Duration batchTimeout();

    /**
     * Lanes the outbox is split into by a hash of topic and key, published in parallel; each lane by one relay
     * at a time across all instances. Every instance must use the same number (a key's lane must not change
     * while its rows are pending).
     */
    @WithDefault("4")
    int lanes();

    /** The first of the lanes' PostgreSQL advisory locks (lane n takes lock-id + n), which keep each key's order. */
    @WithDefault("7420001")
    long lockId();
}
