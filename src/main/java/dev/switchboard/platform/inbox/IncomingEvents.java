package dev.switchboard.platform.inbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.envelope.LogCorrelation;
import dev.switchboard.platform.schemas.AvroDecoder;
import dev.switchboard.platform.schemas.AvroDecoder.UndecodableRecord;

/** Reads a consumed Kafka record (value as bytes) into an {@link IncomingEvent}; what cannot be read is poison. */
@ApplicationScoped
public class IncomingEvents {

    private final AvroDecoder decoder;

    IncomingEvents(AvroDecoder decoder) {
        this.decoder = decoder;
    }

    /** The record's CloudEvents type (ce_type), read before any decoding, so a group can skip what it ignores. */
    public static String typeOf(ConsumerRecord<String, byte[]> record) {
        return IncomingEvent.text(record.headers(), "ce_type");
    }

    /** What is logged while the record is processed carries its correlation id (read before decoding: poison too). */
    private static void tagLogs(ConsumerRecord<String, byte[]> record) {
        LogCorrelation.tag(IncomingEvent.text(record.headers(), EnvelopeHeaders.CORRELATION_ID));
    }

    /**
     * Decodes the record off the event loop (the registry client blocks on its first lookup of a schema) and
     * answers on the caller's Vert.x context, where the consumer's Hibernate Reactive session lives.
     *
     * @return fails with {@link PoisonEvent} when the record is not a CloudEvent with an Avro value the registry
     *         knows
     */
    public Uni<IncomingEvent> read(ConsumerRecord<String, byte[]> record) {
        tagLogs(record);
        Context context = Vertx.currentContext();
        Uni<IncomingEvent> decoding = Uni.createFrom().item(() -> decode(record));
        return context == null ? decoding : context.executeBlocking(decoding);
    }

    /**
     * The same, for a caller already on a worker thread: decodes in place (may block on the registry).
     *
     * @throws PoisonEvent
     *             when the record is not a CloudEvent with an Avro value the registry knows
     */
    public IncomingEvent decode(ConsumerRecord<String, byte[]> record) {
        tagLogs(record);
        SpecificRecord data;
        try {
            data = decoder.decode(record.topic(), record.headers(), record.value());
        } catch (UndecodableRecord e) {
            throw new PoisonEvent(e.getMessage());
        }
        return IncomingEvent.of(record, data);
    }
}
