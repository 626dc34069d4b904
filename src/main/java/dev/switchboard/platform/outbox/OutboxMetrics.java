package dev.switchboard.platform.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The outbox as operators watch it: {@code switchboard.outbox.pending} (rows not yet published) and
 * {@code switchboard.outbox.oldest.age} (seconds the oldest of them has waited; 0 when none), refreshed every
 * five seconds rather than on every scrape, so a busy Prometheus never adds queries. The relay itself counts
 * {@code switchboard.events.published} and {@code switchboard.outbox.parked}.
 */
@ApplicationScoped
class OutboxMetrics {

    private final Outbox outbox;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    OutboxMetrics(Outbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        registry.gauge("switchboard.outbox.pending", pending);
        registry.gauge("switchboard.outbox.oldest.age", oldestAgeSeconds);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class) // not while shutting down: the pools are closing
    Uni<Void> refresh() {
        return outbox.backlog().invoke(backlog -> {
            pending.set(backlog.pending());
            OffsetDateTime oldest = backlog.oldest();
            oldestAgeSeconds.set(oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now()).toSeconds());
        }).replaceWithVoid();
    }
}
