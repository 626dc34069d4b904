package dev.switchboard.shop.analytics;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.inbox.Inbox;
import dev.switchboard.platform.inbox.IncomingEvents;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.shop.orders.OrderWireMapping;
import dev.switchboard.wire.orders.OrderCancelled;
import dev.switchboard.wire.orders.OrderConfirmed;
import dev.switchboard.wire.orders.OrderPlaced;
import dev.switchboard.wire.orders.OrderShipped;
import dev.switchboard.wire.payments.PaymentAuthorized;
import dev.switchboard.wire.payments.PaymentVoided;

/**
 * Consumer group {@code analytics}: reads shop.orders and shop.payments (and analytics.redrive; channel
 * {@value #GROUP}) and keeps running counters in table {@code analytics_counter}: orders by what happened to them,
 * and revenue per currency (authorized payments less voided ones). Each event counts once (inbox, same
 * transaction). Failure strategy: in-place retries, then analytics.dlq.
 */
@ApplicationScoped
class AnalyticsConsumer {

    static final String GROUP = "analytics";
    static final Set<String> COUNTED = Set.of(OrderWireMapping.PLACED, OrderWireMapping.CONFIRMED,
            OrderWireMapping.CANCELLED, OrderWireMapping.SHIPPED, "payment.authorized.v1", "payment.voided.v1");

    private final IncomingEvents events;
    private final Inbox inbox;

    AnalyticsConsumer(IncomingEvents events, Inbox inbox) {
        this.events = events;
        this.inbox = inbox;
    }

    @Incoming(GROUP)
    @Retry(maxRetries = 4, delay = 100, abortOn = PoisonEvent.class)
    @ExponentialBackoff(maxDelay = 2000)
    Uni<Void> on(ConsumerRecord<String, byte[]> record) {
        if (!COUNTED.contains(IncomingEvents.typeOf(record))) {
            return Uni.createFrom().voidItem();
        }
        return events.read(record).chain(event -> {
            Map<String, Long> increments = incrementsFor(event.data());
            if (increments.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return inbox.once(GROUP, event, () -> add(increments)).replaceWithVoid();
        });
    }

    static Map<String, Long> incrementsFor(SpecificRecord data) {
        return switch (data) {
            case OrderPlaced placed -> Map.of(Counters.PLACED, 1L);
            case OrderConfirmed confirmed -> Map.of(Counters.CONFIRMED, 1L);
            case OrderCancelled cancelled -> Map.of(Counters.CANCELLED, 1L);
            case OrderShipped shipped -> Map.of(Counters.SHIPPED, 1L);
            case PaymentAuthorized authorized -> Map.of(Counters.revenue(authorized.getCurrency()),
                    authorized.getAmountMinor());
            case PaymentVoided voided -> Map.of(Counters.revenue(voided.getCurrency()), -voided.getAmountMinor());
            default -> Map.of();
        };
    }

    private static Uni<Void> add(Map<String, Long> increments) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var increment : increments.entrySet()) {
            chain = chain.chain(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                    "INSERT INTO analytics_counter (name, value) VALUES (?1, ?2)"
                            + " ON CONFLICT (name) DO UPDATE SET value = analytics_counter.value + excluded.value")
                    .setParameter(1, increment.getKey())
                    .setParameter(2, increment.getValue())
                    .executeUpdate()).replaceWithVoid());
        }
        return chain;
    }
}
