package dev.switchboard.platform.bridge;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.inbox.IncomingEvent;

/**
 * An event's envelope on RabbitMQ: the same CloudEvents attributes as on Kafka, as AMQP headers of the same names
 * ({@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_subject}, {@code ce_time}, {@code ce_specversion},
 * {@code ce_sequence}) beside {@code correlationid}, {@code causationid} and {@code traceparent}; and, for AMQP
 * clients that read only properties, message-id = event id, type = event type, correlation-id, timestamp. The
 * body is the event's data as JSON. Messages are persistent (delivery mode 2).
 */
public final class AmqpEnvelope {

    public static final String CONTENT_TYPE = "application/json";
    public static final int PERSISTENT = 2;
    /** How long a publisher waits for RabbitMQ's confirm: one lost with a broken connection never arrives. */
    public static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private AmqpEnvelope() {
    }

    public static OutgoingRabbitMQMetadata of(IncomingEvent event, String routingKey) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", event.id().toString());
        headers.put("ce_type", event.type());
        putIfPresent(headers, "ce_source", event.source());
        putIfPresent(headers, "ce_subject", event.subject());
        putIfPresent(headers, "ce_time", event.time() == null ? null : event.time().toString());
        putIfPresent(headers, "ce_sequence", event.sequence() == null ? null : event.sequence().toString());
        putIfPresent(headers, EnvelopeHeaders.CORRELATION_ID, event.metadata().correlationId());
        putIfPresent(headers, EnvelopeHeaders.CAUSATION_ID, event.metadata().causationId());
        putIfPresent(headers, EnvelopeHeaders.TRACEPARENT, event.metadata().traceparent());
        var metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(routingKey)
                .withHeaders(headers)
                .withMessageId(event.id().toString())
                .withType(event.type())
                .withContentType(CONTENT_TYPE)
                .withDeliveryMode(PERSISTENT);
        if (event.metadata().correlationId() != null) {
            metadata.withCorrelationId(event.metadata().correlationId());
        }
        if (event.time() != null) {
            metadata.withTimestamp(event.time().atZone(ZoneOffset.UTC));
        }
        return metadata.build();
    }

    /** A header as text (AMQP long strings, numbers), or null. */
    public static String text(Map<String, Object> headers, String name) {
        Object value = headers.get(name);
        return value == null ? null : value.toString();
    }

    private static void putIfPresent(Map<String, Object> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }
}
