package dev.switchboard.shop.orders.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

import dev.switchboard.platform.deadletter.RabbitMqDeliveries;
import dev.switchboard.platform.envelope.EventMetadata;
import dev.switchboard.platform.http.JsonPaths;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.shop.orders.OrderCommandHandler;
import dev.switchboard.shop.orders.OrderRejected;
import dev.switchboard.shop.orders.OrderResource;
import dev.switchboard.shop.orders.OrderResource.PlaceOrderRequest;

/**
 * Order commands from AMQP systems: reads RabbitMQ queue {@value #QUEUE} (durable quorum queue on the default
 * exchange; producers publish with routing key {@value #QUEUE}). A message is a place-order command (AMQP type
 * {@value #PLACE_ORDER}) with the body of {@code POST /orders} and a message id, which names the order (a
 * redelivery or a resend of the same message places it once). It takes the same path as an HTTP command (decider,
 * event store and outbox in one transaction), so its events reach Kafka like any other. An invalid command goes to
 * shop.inbound.dlq with the validation error (code, field, message); other failures are requeued up to the
 * delivery limit.
 */
@ApplicationScoped
class InboundOrderCommands {

    static final String QUEUE = "shop.inbound";
    static final String PLACE_ORDER = "place-order";

    private final RabbitMqDeliveries deliveries;
    private final OrderCommandHandler orders;
    private final ObjectMapper json;

    InboundOrderCommands(RabbitMqDeliveries deliveries, OrderCommandHandler orders, ObjectMapper json) {
        this.deliveries = deliveries;
        this.orders = orders;
        this.json = json;
    }

    @Incoming("inbound-commands")
    Uni<Void> on(Message<byte[]> message) {
        return deliveries.settle(message, QUEUE, () -> place(message));
    }

    private Uni<?> place(Message<byte[]> message) {
        var amqp = message.getMetadata(IncomingRabbitMQMetadata.class).orElseThrow();
        String type = amqp.getType().orElse(null);
        if (!PLACE_ORDER.equals(type)) {
            throw invalid("type", "the AMQP type property must be " + PLACE_ORDER + " (was " + type + ")");
        }
        String messageId = amqp.getMessageId().filter(id -> !id.isBlank()).orElseThrow(
                () -> invalid("message-id", "the AMQP message-id property must be set: it names the order"));
        String orderId = UUID.nameUUIDFromBytes((QUEUE + "/" + messageId).getBytes(StandardCharsets.UTF_8))
                .toString();
        String correlation = amqp.getCorrelationId().orElse(messageId);
        var metadata = new EventMetadata(correlation, "amqp:" + messageId, null);
        return Uni.createFrom().item(() -> request(message.getPayload()).toCommand(orderId, OrderResource.now()))
                .chain(command -> orders.handle(command, null, metadata))
                .onFailure(OrderRejected.class).transform(rejected -> {
                    var refused = (OrderRejected) rejected;
                    return refused.kind() == OrderRejected.Kind.INVALID
                            ? invalid(refused.field(), refused.getMessage())
                            : refused;
                })
                // Placed already by an earlier delivery of this message: nothing more to do.
                .onFailure(rejected -> rejected instanceof OrderRejected refused
                        && "order_exists".equals(refused.code()))
                .recoverWithNull();
    }

    private PlaceOrderRequest request(byte[] body) {
        try {
            PlaceOrderRequest request = body == null ? null : json.readValue(body, PlaceOrderRequest.class);
            if (request == null) {
                throw invalid("body", "send the order as JSON");
            }
            return request;
        } catch (JsonMappingException e) {
            String field = JsonPaths.of(e);
            throw invalid(field.isEmpty() ? "body" : field, "malformed_json: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw invalid("body", "malformed_json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("body", e.getMessage());
        }
    }

    /** Poison that says which field is at fault, as the HTTP API's invalid_command answers do. */
    private static PoisonEvent invalid(String field, String message) {
        return new PoisonEvent("invalid_command at " + field + ": " + message);
    }
}
