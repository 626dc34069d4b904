package dev.switchboard.shop.notifications;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.platform.bridge.AmqpEnvelope;
import dev.switchboard.platform.deadletter.RabbitMqDeliveries;
import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.inbox.ConsumerMetrics;
import dev.switchboard.platform.inbox.Inbox;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.shop.orders.OrderWireMapping;

/**
 * The notifier: reads RabbitMQ queue {@value #QUEUE} (bound to exchange shop.notifications by the order event types
 * it renders), renders a notification for the order's customer and records it in table {@code notification}, once
 * per event id (sending e-mail is out of scope: the row is the effect). Settled by {@link RabbitMqDeliveries}:
 * poison to notifier.dlq with its reason, other failures requeued up to the queue's delivery limit.
 */
@ApplicationScoped
class NotificationWorker {

    static final String QUEUE = "notifier";

    private final RabbitMqDeliveries deliveries;
    private final ConsumerMetrics metrics;
    private final Pool pool;
    private final ObjectMapper json;

    NotificationWorker(RabbitMqDeliveries deliveries, ConsumerMetrics metrics, Pool pool, ObjectMapper json) {
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.pool = pool;
        this.json = json;
    }

    @Incoming(QUEUE)
    Uni<Void> on(Message<byte[]> message) {
        return deliveries.settle(message, QUEUE, () -> record(message));
    }

    private Uni<Inbox.Outcome> record(Message<byte[]> message) {
        Map<String, Object> headers = message.getMetadata(IncomingRabbitMQMetadata.class).orElseThrow()
                .getHeaders();
        String type = AmqpEnvelope.text(headers, "ce_type");
        return metrics.measure(QUEUE, type, () -> {
            UUID eventId = eventId(AmqpEnvelope.text(headers, "ce_id"));
            JsonNode data = data(message.getPayload());
            String orderId = data.path("orderId").asText(null);
            if (orderId == null) {
                throw new PoisonEvent("event " + eventId + " has no orderId");
            }
            return pool.preparedQuery("INSERT INTO notification (event_id, event_type, order_id, customer_id,"
                    + " correlation_id, message) SELECT $1, $2, $3, (SELECT customer_id FROM order_view"
                    + " WHERE order_id = $3), $4, $5 ON CONFLICT (event_id) DO NOTHING")
                    .execute(Tuple.of(eventId, type, orderId,
                            AmqpEnvelope.text(headers, EnvelopeHeaders.CORRELATION_ID), render(type, orderId, data)))
                    .map(rows -> rows.rowCount() == 1 ? Inbox.Outcome.APPLIED : Inbox.Outcome.DUPLICATE);
        });
    }

    static String render(String type, String orderId, JsonNode data) {
        if (OrderWireMapping.CONFIRMED.equals(type)) {
            return "Your order " + orderId + " is confirmed and will ship soon.";
        }
        if (OrderWireMapping.CANCELLED.equals(type)) {
            return "Your order " + orderId + " was cancelled: " + data.path("reason").asText("no reason given") + ".";
        }
        if (OrderWireMapping.SHIPPED.equals(type)) {
            return "Your order " + orderId + " has shipped.";
        }
        throw new PoisonEvent("the notifier renders no " + type);
    }

    private static UUID eventId(String ceId) {
        try {
            return UUID.fromString(String.valueOf(ceId));
        } catch (IllegalArgumentException e) {
            throw new PoisonEvent("not a CloudEvent with a UUID ce_id header (ce_id: " + ceId + ")");
        }
    }

    private JsonNode data(byte[] body) {
        try {
            JsonNode data = body == null ? null : json.readTree(body);
            if (data == null || !data.isObject()) {
                throw new PoisonEvent("the body is not a JSON object");
            }
            return data;
        } catch (IOException e) {
            throw new PoisonEvent("the body is not JSON: " + e.getMessage());
        }
    }
}
