package dev.switchboard.platform.inbox;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies an event at most once per consumer group: the event id goes into table {@code inbox} (Flyway V5) in the
 * same transaction as the group's effect, so a redelivery finds it there and changes nothing, and a crash before
 * the commit leaves neither.
 */
@ApplicationScoped
public class Inbox {

    private final ConsumerMetrics metrics;

    Inbox(ConsumerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whether an event was applied now or had been applied before. */
    public enum Outcome {
        APPLIED, DUPLICATE
    }

    /**
     * Runs {@code effect} in a new transaction unless {@code group} has applied the event already (counted and timed
     * by {@link ConsumerMetrics}); the effect
     * joins the transaction (Panache sessions, {@code Outbox.enqueue}).
     */
    public Uni<Outcome> once(String group, IncomingEvent event, Supplier<Uni<?>> effect) {
        return metrics.measure(group, event.type(), () -> applyOnce(group, event.id(), effect));
    }

    private Uni<Outcome> applyOnce(String group, UUID eventId, Supplier<Uni<?>> effect) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(
                        "INSERT INTO inbox (consumer_group, event_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                        .setParameter(1, group)
                        .setParameter(2, eventId)
                        .executeUpdate())
                .chain(inserted -> inserted == 0
                        ? Uni.createFrom().item(Outcome.DUPLICATE)
                        : effect.get().replaceWith(Outcome.APPLIED)));
    }
}
