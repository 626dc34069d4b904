package dev.switchboard.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import dev.switchboard.platform.envelope.EventMetadata;

/**
 * A message to publish once the current transaction commits: a CloudEvent (id, type, source, subject, time) whose
 * data is an Avro record, sent to {@code topic} with {@code key} so that one aggregate's messages stay in order.
 */
public record OutboxMessage(UUID eventId, String topic, String key, String type, String source, String subject,
        Instant time, SpecificRecord data, EventMetadata metadata) {
}
