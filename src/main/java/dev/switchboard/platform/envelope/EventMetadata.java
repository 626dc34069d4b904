package dev.switchboard.platform.envelope;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What travels with every event besides its data: the correlation id of the conversation it belongs to, the id
 * of the message or command that caused it, and the W3C traceparent of the span that produced it (may be null).
 */
@RegisterForReflection // serialized by Jackson outside a REST signature, also in native
public record EventMetadata(String correlationId, String causationId, String traceparent) {
}
