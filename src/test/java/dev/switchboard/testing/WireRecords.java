package dev.switchboard.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * Builds records as the outbox relay writes them (CloudEvents headers, Apicurio-framed Avro value), for tests that
 * feed a consumer directly or through a raw producer.
 */
public final class WireRecords {

    private static AvroKafkaSerializer<SpecificRecord> serializer;

    private WireRecords() {
    }

    /** The value as the relay's serializer frames it (schema registered by record name, as the relay does). */
    public static synchronized byte[] encode(String topic, SpecificRecord value) {
        if (serializer == null) {
            serializer = new AvroKafkaSerializer<>();
            serializer.configure(Map.of(
                    "apicurio.registry.url", ConfigProvider.getConfig().getValue(
                            "mp.messaging.connector.smallrye-kafka.apicurio.registry.url", String.class),
                    "apicurio.registry.auto-register", "true",
                    "apicurio.registry.artifact-resolver-strategy",
                    "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy"), false);
        }
        return serializer.serialize(topic, new RecordHeaders(), value);
    }

    /** CloudEvents binary-mode headers for an event of {@code type} about {@code subject}. */
    public static RecordHeaders headers(String type, String subject, Long sequence) {
        var headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("/switchboard/tests"));
        headers.add("ce_subject", bytes(subject));
        headers.add("ce_time", bytes(Instant.now().toString()));
        if (sequence != null) {
            headers.add("ce_sequence", bytes(sequence.toString()));
        }
        return headers;
    }

    /** A consumed record of {@code value} on {@code topic}, keyed by {@code subject}. */
    public static ConsumerRecord<String, byte[]> consumed(String topic, String type, String subject, Long sequence,
            SpecificRecord value) {
        var record = new ConsumerRecord<>(topic, 0, 0, subject, encode(topic, value));
        headers(type, subject, sequence).forEach(header -> record.headers().add(header));
        return record;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
