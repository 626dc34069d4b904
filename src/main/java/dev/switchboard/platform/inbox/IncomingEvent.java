package dev.switchboard.platform.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.envelope.EventMetadata;

/**
 * An event as a consumer receives it: its CloudEvents attributes (binary mode headers ce_*), what travels with it
 * (correlation id, traceparent) and its decoded data.
 *
 * @param sequence
 *            the event's position in its subject's stream (ce_sequence), or null when the producer sets none
 */
public record IncomingEvent(UUID id, String type, String source, String subject, Long sequence, Instant time,
        EventMetadata metadata, SpecificRecord data) {

    /** What a consumer passes on to the events and commands it causes: same correlation, caused by this event. */
    public EventMetadata causedBy() {
        String correlation = metadata.correlationId() != null ? metadata.correlationId() : id.toString();
        return new EventMetadata(correlation, id.toString(), metadata.traceparent());
    }

    static IncomingEvent of(ConsumerRecord<String, byte[]> record, SpecificRecord data) {
        Headers headers = record.headers();
        String id = text(headers, "ce_id");
        String type = text(headers, "ce_type");
        if (id == null || type == null) {
            throw new PoisonEvent("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " is not a CloudEvent (no ce_id or ce_type header)");
        }
        String sequence = text(headers, "ce_sequence");
        String time = text(headers, "ce_time");
        try {
            return new IncomingEvent(UUID.fromString(id), type, text(headers, "ce_source"),
                    text(headers, "ce_subject"), sequence == null ? null : Long.valueOf(sequence),
                    time == null ? null : Instant.parse(time),
                    new EventMetadata(text(headers, EnvelopeHeaders.CORRELATION_ID),
                            text(headers, EnvelopeHeaders.CAUSATION_ID), text(headers, EnvelopeHeaders.TRACEPARENT)),
                    data);
        } catch (RuntimeException e) {
            throw new PoisonEvent("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " has a malformed CloudEvents attribute: " + e.getMessage());
        }
    }

    /** A header's text (UTF-8), or null when the record has none. */
    static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
