package dev.switchboard.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox relay's settings, under {@code switchboard.outbox}. */
@ConfigMapping(prefix = "switchboard.outbox")
interface OutboxConfig {

    /** Run the relay in this instance. Several instances may all run it: one relays at a time (advisory lock). */
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

    /** The PostgreSQL advisory lock that lets one relay publish at a time, keeping each key's order. */
    @WithDefault("7420001")
    long lockId();
}
