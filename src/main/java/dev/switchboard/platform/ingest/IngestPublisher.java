package dev.switchboard.platform.ingest;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.switchboard.platform.envelope.EnvelopeHeaders;

/**
 * Produces validated events on channel {@value #CHANNEL}: Avro bodies through the Apicurio serializer (which finds
 * the registered schema by the record's own, so the record names the very version it was checked against), the
 * CloudEvents attributes as ce_* headers (binary mode), the subject as key.
 */
@ApplicationScoped
class IngestPublisher {

    static final String CHANNEL = "ingest";
    /** Events the emitter may hold while Kafka is slow; past it an ingest call is answered 503. */
    static final int EMITTER_BUFFER = 8192;

    private final MutinyEmitter<GenericRecord> emitter;
    private final MeterRegistry metrics;

    IngestPublisher(
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER) MutinyEmitter<GenericRecord> emitter,
            MeterRegistry metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /** Completes with where Kafka wrote the event, once it acknowledged it (acks=all). */
    Uni<RecordMetadata> publish(String topic, IngestedEvent event, GenericRecord data, String correlationId) {
        var headers = new RecordHeaders();
        if (correlationId != null) {
            headers.add(EnvelopeHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        var kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(event.subject())
                .withHeaders(headers)
                .build();
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(event.id())
                .withType(event.type())
                .withSource(URI.create(event.source()))
                .withSubject(event.subject());
        if (event.time() != null) {
            cloudEvent = cloudEvent.withTimestamp(event.time().toZonedDateTime());
        }
        for (var extension : event.extensions().entrySet()) {
            cloudEvent = cloudEvent.withExtension(extension.getKey(), extension.getValue());
        }
        var written = new OutgoingMessageMetadata<RecordMetadata>();
        return emitter.sendMessage(Message.of(data).addMetadata(kafka).addMetadata(cloudEvent.build())
                .addMetadata(written))
                .map(ignored -> written.getResult())
                .invoke(() -> metrics.counter("switchboard.events.published", "topic", topic, "type", event.type())
                        .increment());
    }
}
