package dev.switchboard.platform.deadletter;

import java.util.ArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code switchboard.dead.letters}: dead letters by consumer group and status (parked, redriven, discarded), from
 * table {@code dead_letter} every five seconds, so that an alert can fire on parked ones before a customer asks.
 */
@ApplicationScoped
class DeadLetterMetrics {

    private final Pool pool;
    private final MultiGauge deadLetters;

    DeadLetterMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.deadLetters = MultiGauge.builder("switchboard.dead.letters")
                .description("Dead letters by consumer group and status").register(registry);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class) // not while shutting down: the pools are closing
    Uni<Void> refresh() {
        return pool.query("SELECT consumer_group, status, count(*) FROM dead_letter GROUP BY 1, 2").execute()
                .invoke(rows -> {
                    var counts = new ArrayList<MultiGauge.Row<?>>();
                    rows.forEach(row -> counts.add(MultiGauge.Row.of(
                            Tags.of("group", row.getString(0), "status", row.getString(1)), row.getLong(2))));
                    deadLetters.register(counts, true);
                })
                .replaceWithVoid();
    }
}
