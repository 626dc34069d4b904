package dev.switchboard.platform.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the CloudEvents JSON format (spec 1.0): one event, or a batch (a JSON array of events). Every required
 * attribute is checked with the spec's rules, and an error names the attribute at fault. Written here because the
 * CloudEvents SDK's JSON format would be one more dependency for a few checks, and reports errors without the
 * position of the event in the batch.
 */
final class CloudEventsJson {

    /** Attribute names the spec reserves; every other top-level member is an extension. */
    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "subject", "time",
            "datacontenttype", "dataschema", "data", "data_base64");
    // CloudEvents 1.0: extension names are lower-case ASCII letters and digits, at most 20 of them.
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

    // Duplicate keys are an error, not "last one wins": a producer that sends two ids has a bug worth hearing of.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CloudEventsJson() {
    }

    /**
     * @throws MalformedBody
     *             when the body is not JSON
     * @throws InvalidEvent
     *             when it is JSON but not CloudEvents
     */
    static List<IngestedEvent> read(byte[] body, boolean batch) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBody(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedBody(e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedBody("the body is empty");
        }
        if (!batch) {
            return List.of(event(root, ""));
        }
        if (!root.isArray()) {
            throw new InvalidEvent("", "a batch is a JSON array of events");
        }
        if (root.isEmpty()) {
            throw new InvalidEvent("", "the batch holds no event");
        }
        var events = new ArrayList<IngestedEvent>(root.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            IngestedEvent event = event(root.get(i), "[" + i + "]");
            // The spec makes source + id unique; the same event twice in one batch is a producer's mistake.
            if (!seen.add(event.source() + " " + event.id())) {
                throw new InvalidEvent(event.field("id"), "the batch holds this source and id twice");
            }
            events.add(event);
        }
        return events;
    }

    private static IngestedEvent event(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new InvalidEvent(at, "an event is a JSON object");
        }
        var event = new IngestedEvent(at, null, null, null, null, null, Map.of(), null);
        String specversion = text(node, event, "specversion", true);
        if (!"1.0".equals(specversion)) {
            throw new InvalidEvent(event.field("specversion"), "only CloudEvents 1.0 is taken");
        }
        String id = text(node, event, "id", true);
        String source = text(node, event, "source", true);
        try {
            new URI(source);
        } catch (URISyntaxException e) {
            throw new InvalidEvent(event.field("source"), "must be a URI-reference");
        }
        String type = text(node, event, "type", true);
        String subject = text(node, event, "subject", false);
        OffsetDateTime time = null;
        String timeText = text(node, event, "time", false);
        if (timeText != null) {
            try {
                time = OffsetDateTime.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new InvalidEvent(event.field("time"), "must be an RFC 3339 timestamp");
            }
        }
        String contentType = text(node, event, "datacontenttype", false);
        if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
            throw new InvalidEvent(event.field("datacontenttype"), "data is taken as application/json only");
        }
        if (node.has("data_base64")) {
            throw new InvalidEvent(event.field("data_base64"), "binary data is not taken: send data as JSON");
        }
        JsonNode data = node.get("data");
        if (data == null || data.isNull()) {
            throw new InvalidEvent(event.field("data"), "required");
        }
        Map<String, String> extensions = new LinkedHashMap<>();
        for (var members = node.properties().iterator(); members.hasNext();) {
            var member = members.next();
            String name = member.getKey();
            if (CONTEXT.contains(name)) {
                continue;
            }
            if (!EXTENSION_NAME.matcher(name).matches()) {
                throw new InvalidEvent(event.field(name),
                        "an extension attribute's name is 1 to 20 lower-case letters and digits");
            }
            JsonNode value = member.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidEvent(event.field(name), "an extension attribute is a string, number or boolean");
            }
            extensions.put(name, value.asText());
        }
        return new IngestedEvent(at, id, source, type, subject, time, extensions, data);
    }

    private static String text(JsonNode node, IngestedEvent event, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidEvent(event.field(name), "required");
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InvalidEvent(event.field(name), "must be a non-empty string");
        }
        return value.textValue();
    }

    /** The body is not JSON at all. */
    static final class MalformedBody extends RuntimeException {

        MalformedBody(String message) {
            super(message, null, false, false);
        }
    }

    /** The body is JSON but not a CloudEvent (or a batch of them) as the spec writes one. */
    static final class InvalidEvent extends RuntimeException {

        final String field;

        InvalidEvent(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
