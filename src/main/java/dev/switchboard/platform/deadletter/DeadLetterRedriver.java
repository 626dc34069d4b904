package dev.switchboard.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Puts a dead letter back for the group that failed on it, and for no other: a Kafka one's original key, headers
 * and bytes go to {@code <group>.redrive} (channel {@value #CHANNEL}), which only that group reads; a RabbitMQ one
 * goes back to its queue ({@link RabbitMqDeadLetters}). Completes when the broker has acknowledged it.
 */
@ApplicationScoped
class DeadLetterRedriver {

    static final String CHANNEL = "dead-letter-redrive";
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final MutinyEmitter<byte[]> emitter;
    private final RabbitMqDeadLetters rabbitMq;
    private final ObjectMapper json;

    DeadLetterRedriver(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, RabbitMqDeadLetters rabbitMq,
            ObjectMapper json) {
        this.emitter = emitter;
        this.rabbitMq = rabbitMq;
        this.json = json;
    }

    Uni<Void> redrive(DeadLetter deadLetter) {
        if (DeadLetter.RABBITMQ.equals(deadLetter.broker)) {
            return rabbitMq.redrive(deadLetter);
        }
        var headers = new RecordHeaders();
        try {
            json.readValue(deadLetter.headers, HEADERS).forEach((name, value) -> headers.add(name,
                    value.getBytes(StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dead letter " + deadLetter.id + " has unreadable headers", e);
        }
        headers.add(DeadLetterTopics.DEAD_LETTER_ID_HEADER,
                deadLetter.id.toString().getBytes(StandardCharsets.UTF_8));
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(DeadLetterTopics.redriveOf(deadLetter.consumerGroup))
                .withKey(deadLetter.messageKey)
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(deadLetter.payload).addMetadata(metadata));
    }
}
