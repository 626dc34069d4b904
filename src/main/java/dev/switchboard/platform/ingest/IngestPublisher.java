package dev.switchboard.platform.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.kafka.KafkaAdmins;

/**
 * Produces validated events: binary-mode CloudEvents ({@code ce_*} headers), the subject as key, the value Avro
 * framed as the Apicurio serializer frames it, so every consumer reads it with the unmodified deserializer.
 * <p>
 * Written against the plain Kafka producer rather than a SmallRye channel, for throughput: the channel serializes
 * every record on its one sending thread, and Apicurio's serializer renders and fingerprints the schema again for
 * each record. Here the serializer frames the first record of each schema (finding the registered version by the
 * schema's canonical content, never registering one); the frame it puts before the Avro body (magic byte and
 * content id) is kept, and later records of that schema are encoded on the request's own thread with one datum
 * writer per schema, behind the same frame.
 */
@ApplicationScoped
class IngestPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
    // By identity: the registry's schemas are kept as objects (RegistrySchemas), and an Avro schema's equals and
    // hashCode walk the whole schema.
    private final Map<Schema, Framing> framings = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    IngestPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry metrics,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        this.metrics = metrics;
        Map<String, Object> config = KafkaAdmins.only(kafkaConfig, ProducerConfig.configNames());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "switchboard-ingest");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // An HTTP producer waits for the acks: when Kafka is away it hears 503 within 10 s rather than hanging.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        serializer.configure(Map.of(
                "apicurio.registry.url", registryUrl,
                "apicurio.registry.auto-register", "false",
                "apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy",
                // The schema looked up whole (nested types inline, as producers register it) by canonical form.
                "apicurio.registry.dereference-schema", "true",
                "apicurio.registry.canonicalize", "true"), false);
    }

    /** How the serializer frames records of one schema: the bytes before the Avro body, and a writer for it. */
    private record Framing(byte[] frame, GenericDatumWriter<GenericRecord> writer) {
    }

    /**
     * Completes with where Kafka wrote the event, once it acknowledged it (acks=all).
     *
     * @param value
     *            the record as {@link #encode} framed it
     */
    CompletableFuture<RecordMetadata> publish(String topic, IngestedEvent event, byte[] value, String correlationId) {
        var headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.id());
        header(headers, "ce_source", event.source());
        header(headers, "ce_type", event.type());
        header(headers, "ce_subject", event.subject());
        if (event.time() != null) {
            header(headers, "ce_time", event.time().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        event.extensions().forEach((name, text) -> header(headers, "ce_" + name, text));
        header(headers, EnvelopeHeaders.CORRELATION_ID, correlationId);
        var written = new CompletableFuture<RecordMetadata>();
        producer.send(new ProducerRecord<>(topic, null, event.subject(), value, headers), (metadata, failure) -> {
            if (failure != null) {
                written.completeExceptionally(failure);
            } else {
                published.computeIfAbsent(topic + " " + event.type(), key -> metrics.counter(
                        "switchboard.events.published", "topic", topic, "type", event.type())).increment();
                written.complete(metadata);
            }
        });
        return written;
    }

    /**
     * The record's value as the Apicurio serializer frames it; the first of a schema looks it up in the registry.
     *
     * @throws RuntimeException
     *             when the registry cannot be asked, or does not hold the schema by its canonical content
     */
    byte[] encode(String topic, GenericRecord data) {
        Framing framing = framings.get(data.getSchema());
        if (framing != null) {
            var out = new ByteArrayOutputStream(256);
            out.writeBytes(framing.frame());
            body(framing.writer(), data, out);
            return out.toByteArray();
        }
        byte[] framed = serializer.serialize(topic, new RecordHeaders(), data); // looks the schema up
        var writer = new GenericDatumWriter<GenericRecord>(data.getSchema());
        var body = new ByteArrayOutputStream(256);
        body(writer, data, body);
        byte[] avro = body.toByteArray();
        int frameLength = framed.length - avro.length;
        // Only a frame in front of the very same Avro body is reused; anything else keeps the serializer's way.
        if (frameLength > 0 && Arrays.equals(framed, frameLength, framed.length, avro, 0, avro.length)) {
            framings.putIfAbsent(data.getSchema(), new Framing(Arrays.copyOf(framed, frameLength), writer));
        }
        return framed;
    }

    private static void body(GenericDatumWriter<GenericRecord> writer, GenericRecord data, ByteArrayOutputStream out) {
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @PreDestroy
    void close() {
        producer.close();
        serializer.close();
    }
}
