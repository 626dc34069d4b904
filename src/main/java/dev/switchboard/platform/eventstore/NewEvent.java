package dev.switchboard.platform.eventstore;

import java.util.UUID;

import dev.switchboard.platform.envelope.EventMetadata;

/** An event to append: its id (unique across the store), type, JSON payload and metadata. */
public record NewEvent(UUID eventId, String type, String payload, EventMetadata metadata) {
}
