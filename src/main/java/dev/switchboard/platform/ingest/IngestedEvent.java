package dev.switchboard.platform.ingest;

import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One CloudEvent as an HTTP producer sent it (structured JSON format), attributes checked, {@code data} not yet
 * held against its schema. {@code at} is where it sits in the body ({@code ""} for a single event, {@code "[3]"}
 * in a batch), the start of every field path an error names.
 */
record IngestedEvent(String at, String id, String source, String type, String subject, OffsetDateTime time,
        Map<String, String> extensions, JsonNode data) {

    String field(String name) {
        return at.isEmpty() ? name : at + "." + name;
    }
}
