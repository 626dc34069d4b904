package dev.switchboard.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.switchboard.platform.envelope.EventMetadata;

/**
 * A message to publish once the current transaction commits: a CloudEvent (id, type, source, subject, time) whose
 * data is an Avro record, sent to {@code topic} with {@code key} so that one aggregate's messages stay in order.
 * {@code sequence} is the message's position in its subject's stream (the aggregate version), or null.
 */
public record OutboxMessage(UUID eventId, String topic, String key, String type, String source, String subject,
        Long sequence, Instant time, SpecificRecord data, EventMetadata metadata) {
}
