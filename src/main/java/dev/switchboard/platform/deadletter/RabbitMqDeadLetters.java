package dev.switchboard.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

import dev.switchboard.platform.bridge.AmqpEnvelope;

/**
 * Puts RabbitMQ messages into queues by name, through the default exchange (channel {@value #CHANNEL}, with
 * publisher confirms): a message a consumer refused for a known reason goes to {@code <queue>.dlq} with that reason
 * in {@code dead-letter-*} headers (a broker's own dead-lettering through the DLX can only say "rejected"), and a
 * redriven dead letter goes back to its queue alone, so no other consumer sees it again.
 */
@ApplicationScoped
class RabbitMqDeadLetters {

    static final String CHANNEL = "rabbitmq-direct";
    /** Headers that carry a dead letter's reason, named as the Kafka connector names its own. */
    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    static final String QUEUE = "dead-letter-queue";
    /**
     * Names a dead letter this class parked, the same for every redelivery of the same refused message (its queue,
     * id, body and reason), so that the collector stores it once even if the ack after the park was lost.
     */
    static final String KEY = "dead-letter-key";
    /** AMQP properties kept with a dead letter's headers, so that a redrive restores them. */
    static final String MESSAGE_ID = "amqp-message-id";
    static final String CORRELATION_ID = "amqp-correlation-id";
    static final String TYPE = "amqp-type";
    static final String CONTENT_TYPE = "amqp-content-type";
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final MutinyEmitter<byte[]> direct;
    private final ObjectMapper json;

    RabbitMqDeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> direct, ObjectMapper json) {
        this.direct = direct;
        this.json = json;
    }

    /** Sends a refused message to {@code <queue>.dlq} with why; completes when RabbitMQ confirmed it. */
    Uni<Void> park(Message<byte[]> message, String queue, Throwable reason) {
        var incoming = message.getMetadata(IncomingRabbitMQMetadata.class).orElseThrow();
        Map<String, Object> headers = new HashMap<>(incoming.getHeaders());
        headers.put(REASON, String.valueOf(reason.getMessage()));
        headers.put(EXCEPTION_CLASS, reason.getClass().getName());
        if (reason.getCause() != null) {
            headers.put(CAUSE, String.valueOf(reason.getCause().getMessage()));
        }
        headers.put(QUEUE, queue);
        headers.put(KEY, key(queue, incoming.getMessageId().orElse(""), message.getPayload(), reason.getMessage()));
        var metadata = OutgoingRabbitMQMetadata.builder().withRoutingKey(DeadLetterTopics.dlqOf(queue))
                .withHeaders(headers)
                .withDeliveryMode(AmqpEnvelope.PERSISTENT);
        incoming.getMessageId().ifPresent(metadata::withMessageId);
        incoming.getCorrelationId().ifPresent(metadata::withCorrelationId);
        incoming.getType().ifPresent(metadata::withType);
        incoming.getContentType().ifPresent(metadata::withContentType);
        return confirmed(direct.sendMessage(Message.of(message.getPayload()).addMetadata(metadata.build())));
    }

    /** Sends a dead letter back to the queue it was refused by (its group), with its headers and properties. */
    Uni<Void> redrive(DeadLetter deadLetter) {
        Map<String, String> stored;
        try {
            stored = json.readValue(deadLetter.headers, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dead letter " + deadLetter.id + " has unreadable headers", e);
        }
        Map<String, Object> headers = new HashMap<>(stored);
        headers.keySet().removeIf(name -> name.startsWith("amqp-"));
        headers.put(DeadLetterTopics.DEAD_LETTER_ID_HEADER, deadLetter.id.toString());
        var metadata = OutgoingRabbitMQMetadata.builder().withRoutingKey(deadLetter.consumerGroup)
                .withHeaders(headers).withDeliveryMode(AmqpEnvelope.PERSISTENT);
        if (stored.containsKey(MESSAGE_ID)) {
            metadata.withMessageId(stored.get(MESSAGE_ID));
        }
        if (stored.containsKey(CORRELATION_ID)) {
            metadata.withCorrelationId(stored.get(CORRELATION_ID));
        }
        if (stored.containsKey(TYPE)) {
            metadata.withType(stored.get(TYPE));
        }
        if (stored.containsKey(CONTENT_TYPE)) {
            metadata.withContentType(stored.get(CONTENT_TYPE));
        }
        return confirmed(direct.sendMessage(Message.of(deadLetter.payload).addMetadata(metadata.build())));
    }

    private static String key(String queue, String messageId, byte[] body, String reason) {
        return sha256(body, queue, messageId, String.valueOf(reason));
    }

    /** The hex SHA-256 of the text parts (each ended by a zero byte) followed by the body. */
    static String sha256(byte[] body, String... parts) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            digest.update(body == null ? new byte[0] : body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A confirm lost with a broken connection never arrives: such a send fails after a while instead. */
    private static Uni<Void> confirmed(Uni<Void> send) {
        return send.ifNoItem().after(AmqpEnvelope.CONFIRM_TIMEOUT).fail();
    }
}
