package dev.switchboard.platform.eventstore;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.switchboard.platform.envelope.EventMetadata;

/** An event as stored: its global position in the whole log and its version within its stream. */
public record RecordedEvent(long position, String streamId, int version, UUID eventId, String type, String payload,
        EventMetadata metadata, OffsetDateTime recordedAt) {
}
