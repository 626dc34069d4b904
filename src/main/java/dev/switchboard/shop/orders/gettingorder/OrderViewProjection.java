package dev.switchboard.shop.orders.gettingorder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;
import dev.switchboard.shop.orders.OrderWireMapping;

/**
 * Consumer group {@code order-views}: reads topic shop.orders (channel {@value #CHANNEL}) and keeps
 * {@code order_view}. Idempotent by version: an event whose ce_sequence the view has already reached is a
 * redelivery and changes nothing; a gap is an error. Transient failures are retried in place with exponential
 * backoff (never through a retry topic: the view depends on order); what still fails goes to the dead-letter
 * topic shop.orders.order-views.dlq (application.properties).
 */
@ApplicationScoped
class OrderViewProjection {

    static final String CHANNEL = "order-views";
    private static final Logger LOG = Logger.getLogger(OrderViewProjection.class);

    private final ObjectMapper json;

    OrderViewProjection(ObjectMapper json) {
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Retry(maxRetries = 4, delay = 100, retryOn = RuntimeException.class, abortOn = ProjectionGap.class)
    @ExponentialBackoff(maxDelay = 2000)
    Uni<Void> apply(ConsumerRecord<String, SpecificRecord> record) {
        long sequence = sequenceOf(record);
        OrderEvent event = OrderWireMapping.fromWire(record.value());
        return Panache.withTransaction(() -> OrderView.<OrderView>findById(event.orderId())
                .chain(view -> {
                    int current = view == null ? 0 : view.version;
                    if (sequence <= current) {
                        LOG.debugf("order %s: event %d already applied (view at %d)", event.orderId(), sequence,
                                current);
                        return Uni.createFrom().voidItem();
                    }
                    if (sequence != current + 1) {
                        throw new ProjectionGap(event.orderId(), current, sequence);
                    }
                    return apply(view, event, (int) sequence);
                }));
    }

    private Uni<Void> apply(OrderView view, OrderEvent event, int version) {
        Instant at = switch (event) {
            case OrderPlaced placed -> placed.placedAt();
            case OrderConfirmed confirmed -> confirmed.confirmedAt();
            case OrderCancelled cancelled -> cancelled.cancelledAt();
            case OrderShipped shipped -> shipped.shippedAt();
        };
        if (event instanceof OrderPlaced placed) {
            var created = new OrderView();
            created.orderId = placed.orderId();
            created.customerId = placed.customerId();
            created.currency = placed.currency();
            created.status = "placed";
            created.totalMinor = placed.lines().stream().mapToLong(line -> line.total().amountMinor()).sum();
            created.lines = linesJson(placed);
            created.version = version;
            created.placedAt = at.atOffset(ZoneOffset.UTC);
            created.updatedAt = created.placedAt;
            return created.persist().replaceWithVoid();
        }
        if (view == null) {
            throw new ProjectionGap(event.orderId(), 0, version);
        }
        view.status = switch (event) {
            case OrderConfirmed confirmed -> "confirmed";
            case OrderCancelled cancelled -> "cancelled";
            case OrderShipped shipped -> "shipped";
            case OrderPlaced placed -> view.status;
        };
        view.version = version;
        view.updatedAt = at.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
        return Uni.createFrom().voidItem();
    }

    private String linesJson(OrderPlaced placed) {
        try {
            return json.writeValueAsString(placed.lines().stream()
                    .map(line -> new LineView(line.sku(), line.quantity(), line.unitPrice().amountMinor()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order lines cannot be written as JSON", e);
        }
    }

    record LineView(String sku, int quantity, long unitPriceMinor) {
    }

    private static long sequenceOf(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader("ce_sequence");
        if (header == null) {
            throw new ProjectionGap(String.valueOf(record.key()), -1, -1);
        }
        return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The event does not follow the view's version: retrying cannot help; the record is dead-lettered. */
    static class ProjectionGap extends RuntimeException {

        ProjectionGap(String orderId, int viewVersion, long eventSequence) {
            super(eventSequence < 0
                    ? "order " + orderId + ": record has no ce_sequence header"
                    : "order " + orderId + ": view at version " + viewVersion + ", event has sequence "
                            + eventSequence);
        }
    }
}
