package dev.switchboard.shop.orders.gettingorder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.inbox.ConsumerMetrics;
import dev.switchboard.platform.inbox.Inbox;
import dev.switchboard.platform.inbox.IncomingEvents;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderWireMapping;

/**
 * Consumer group {@code order-views}: reads topic shop.orders and its redrive topic order-views.redrive (channel
 * {@value #CHANNEL}) and keeps
 * {@code order_view}. Idempotent by version: an event whose ce_sequence the view has already reached is a
 * redelivery and changes nothing; a gap is an error. Transient failures are retried in place with exponential
 * backoff (never through a retry topic: the view depends on order); what still fails goes to the dead-letter
 * topic order-views.dlq (application.properties).
 */
@ApplicationScoped
class OrderViewProjection {

    static final String CHANNEL = "order-views";
    private static final Logger LOG = Logger.getLogger(OrderViewProjection.class);

    private final IncomingEvents events;
    private final ConsumerMetrics metrics;

    OrderViewProjection(IncomingEvents events, ConsumerMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    @Retry(maxRetries = 4, delay = 100, abortOn = PoisonEvent.class)
    @ExponentialBackoff(maxDelay = 2000)
    Uni<Void> apply(ConsumerRecord<String, byte[]> record) {
        return events.read(record).chain(incoming -> {
            if (incoming.sequence() == null) {
                throw new ProjectionGap(String.valueOf(record.key()), -1, -1);
            }
            OrderEvent event;
            try {
                event = OrderWireMapping.fromWire(incoming.data());
            } catch (IllegalArgumentException e) {
                throw new PoisonEvent("order-views cannot apply " + incoming.type() + ": " + e.getMessage());
            }
            return metrics.measure(CHANNEL, incoming.type(), () -> apply(event, incoming.sequence()));
        }).replaceWithVoid();
    }

    private Uni<Inbox.Outcome> apply(OrderEvent event, long sequence) {
        // The row is locked: a redrive read by another instance (order-views.redrive) cannot interleave.
        return Panache.withTransaction(() -> OrderView.<OrderView>findById(event.orderId(),
                LockModeType.PESSIMISTIC_WRITE)
                .chain(view -> {
                    int current = view == null ? 0 : view.version;
                    if (sequence <= current) {
                        LOG.debugf("order %s: event %d already applied (view at %d)", event.orderId(), sequence,
                                current);
                        return Uni.createFrom().item(Inbox.Outcome.DUPLICATE);
                    }
                    if (sequence != current + 1) {
                        throw new ProjectionGap(event.orderId(), current, sequence);
                    }
                    return apply(view, event, (int) sequence).replaceWith(Inbox.Outcome.APPLIED);
                }));
    }

    private static Uni<Void> apply(OrderView view, OrderEvent event, int version) {
        if (view == null && !(event instanceof OrderEvent.OrderPlaced)) {
            throw new ProjectionGap(event.orderId(), 0, version);
        }
        var next = OrderViewFold.next(view == null ? null : OrderViewFold.Row.of(view), event, version);
        if (view == null) {
            var created = new OrderView();
            next.copyTo(created);
            return created.persist().replaceWithVoid();
        }
        next.copyTo(view);
        return Uni.createFrom().voidItem();
    }

    /** The event does not follow the view's version: retrying cannot help; the record is dead-lettered. */
    static class ProjectionGap extends PoisonEvent {

        ProjectionGap(String orderId, int viewVersion, long eventSequence) {
            super(eventSequence < 0
                    ? "order " + orderId + ": record has no ce_sequence header"
                    : "order " + orderId + ": view at version " + viewVersion + ", event has sequence "
                            + eventSequence);
        }
    }
}
