package dev.switchboard.platform.streaming;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One event as a stream subscriber receives it: its position (resume from there), where it was on Kafka, its
 * CloudEvents attributes and correlation id, and its data as JSON (the Avro record decoded with the registry's
 * schema, in Avro's JSON encoding).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // serialized by Jackson outside a REST signature, also in native
public record StreamEvent(String position, String topic, int partition, long offset, String id, String type,
        String source, String subject, String time, Long sequence, String correlationId, @JsonRawValue String data) {
}
