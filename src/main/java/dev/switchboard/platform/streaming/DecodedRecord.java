package dev.switchboard.platform.streaming;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.platform.envelope.AvroJson;
import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.schemas.AvroDecoder;

/**
 * A record read for the streams: its envelope from the headers (enough to filter on), its data decoded and encoded
 * as JSON only when a subscriber wants it, once however many want it.
 */
final class DecodedRecord {

    private static final Logger LOG = Logger.getLogger(DecodedRecord.class);

    private final ConsumerRecord<String, byte[]> record;
    final String type;
    final String subject;
    private String data;

    DecodedRecord(ConsumerRecord<String, byte[]> record) {
        this.record = record;
        this.type = header("ce_type");
        this.subject = header("ce_subject");
    }

    int partition() {
        return record.partition();
    }

    long offset() {
        return record.offset();
    }

    /** The event as a subscriber receives it at {@code position}; null when its value cannot be decoded. */
    String json(StreamPosition position, AvroDecoder decoder, ObjectMapper json) {
        if (data == null) {
            try {
                data = AvroJson.encode(decoder.decodeAny(record.topic(), record.headers(), record.value()));
            } catch (AvroDecoder.UndecodableRecord e) {
                // The consumer groups dead-letter such a record; a stream has nothing to show for it.
                LOG.debugf("stream skips %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                return null;
            }
        }
        String sequence = header("ce_sequence");
        var event = new StreamEvent(position.toString(), record.topic(), record.partition(), record.offset(),
                header("ce_id"), type, header("ce_source"), subject, header("ce_time"),
                number(sequence), header(EnvelopeHeaders.CORRELATION_ID), data);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
