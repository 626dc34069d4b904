package dev.switchboard.platform.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.SseClient;

/**
 * {@code POST /topics/{topic}/events} against the real registry and Kafka. The schema is registered by the test
 * through the registry's own API, as an outside producer's team would; events are read back from the topic with a
 * plain consumer and the unmodified Apicurio deserializer. Every refusal is checked for its status, code and field,
 * and for having written nothing.
 */
@QuarkusTest
class IngestTest {

    private static final String TOPIC = "ingest.test";
    private static final String TYPE = "reading.taken.v1";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    // An outside team's schema: nested record in an optional union, enum, array, map, timestamp, defaults.
    /** The outside team's schema (also what JsonToAvroProperties checks the validator against). */
    static final String SCHEMA = """
            {"type": "record", "name": "ReadingTaken", "namespace": "dev.switchboard.test.ingest", "fields": [
              {"name": "sensorId", "type": "string"},
              {"name": "value", "type": "double"},
              {"name": "unit", "type": {"type": "enum", "name": "Unit", "symbols": ["CELSIUS", "PASCAL"]}},
              {"name": "samples", "type": {"type": "array", "items": "int"}, "default": []},
              {"name": "labels", "type": {"type": "map", "values": "string"}, "default": {}},
              {"name": "site", "type": ["null", {"type": "record", "name": "Site", "fields": [
                 {"name": "lat", "type": "double"}, {"name": "lon", "type": "double"}]}], "default": null},
              {"name": "takenAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""";

    @BeforeAll
    static void registerTheProducersSchema() throws Exception {
        String registry = ConfigProvider.getConfig()
                .getValue("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", String.class);
        ObjectNode artifact = JSON.createObjectNode().put("artifactId", "ReadingTaken").put("artifactType", "AVRO");
        artifact.putObject("firstVersion").putObject("content").put("content", SCHEMA)
                .put("contentType", "application/json");
        var request = HttpRequest.newBuilder(URI.create(registry
                + "/groups/dev.switchboard.test.ingest/artifacts?ifExists=FIND_OR_CREATE_VERSION"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(artifact))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void oneEvent_isProducedWithItsAttributesAsHeaders_theSubjectAsKey_andItsDataAsAvro() throws Exception {
        String sensor = "s-" + UUID.randomUUID();
        ObjectNode event = event(sensor);
        event.put("time", "2026-12-01T10:15:30Z").put("region", "eu");
        ((ObjectNode) event.get("data")).putObject("site").put("lat", 52.5).put("lon", 13.4);
        try (var topic = RawTopics.tail(TOPIC)) {
            var accepted = post(JSON.writeValueAsString(event), IngestResource.SINGLE).statusCode(202)
                    .body("topic", equalTo(TOPIC))
                    .body("events[0].id", equalTo(event.get("id").asText()))
                    .extract().jsonPath();

            ConsumerRecord<String, byte[]> record = topic.readUntil(seen -> !seen.isEmpty(), PATIENCE).get(0);
            assertThat(record.partition()).isEqualTo(accepted.getInt("events[0].partition"));
            assertThat(record.offset()).isEqualTo(accepted.getLong("events[0].offset"));
            assertThat(record.key()).isEqualTo(sensor);
            assertThat(header(record, "ce_id")).isEqualTo(event.get("id").asText());
            assertThat(header(record, "ce_type")).isEqualTo(TYPE);
            assertThat(header(record, "ce_source")).isEqualTo("urn:test:sensors");
            assertThat(header(record, "ce_subject")).isEqualTo(sensor);
            assertThat(header(record, "ce_time")).startsWith("2026-12-01T10:15:30");
            assertThat(header(record, "ce_region")).isEqualTo("eu");
            GenericRecord data = decode(record);
            assertThat(data.getSchema().getFullName()).isEqualTo("dev.switchboard.test.ingest.ReadingTaken");
            assertThat(data.get("sensorId").toString()).isEqualTo(sensor);
            assertThat(data.get("value")).isEqualTo(21.5);
            assertThat(data.get("unit").toString()).isEqualTo("CELSIUS");
            assertThat(data.get("samples").toString()).isEqualTo("[1, 2, 3]");
            assertThat(((GenericRecord) data.get("site")).get("lat")).isEqualTo(52.5);
            assertThat(data.get("takenAt")).isEqualTo(1_796_120_130_000L); // the ISO instant, as epoch millis
        }
    }

    @Test
    void batch_isProducedWhole_inOrderPerSubject_andStreamsDecodeItWithTheRegistrysSchema() throws Exception {
        String sensor = "s-" + UUID.randomUUID();
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 5; i++) {
            ObjectNode event = event(sensor);
            ((ObjectNode) event.get("data")).put("value", i);
            batch.add(event);
        }
        try (var stream = SseClient.open("/streams/" + TOPIC + "?subject=" + sensor)) {
            assertThat(stream.nextComment(PATIENCE).data()).startsWith("subscribed ");
            var accepted = post(JSON.writeValueAsString(batch), IngestResource.BATCH).statusCode(202)
                    .extract().jsonPath();
            List<Integer> partitions = accepted.getList("events.partition");
            List<Long> offsets = accepted.getList("events.offset", Long.class);
            assertThat(partitions).hasSize(5).containsOnly(partitions.get(0));
            assertThat(offsets).isSorted().doesNotHaveDuplicates();

            for (int i = 0; i < 5; i++) {
                JsonNode streamed = JSON.readTree(stream.next(PATIENCE).data());
                assertThat(streamed.get("id").asText()).isEqualTo(batch.get(i).get("id").asText());
                assertThat(streamed.get("offset").asLong()).isEqualTo(offsets.get(i));
                assertThat(streamed.get("data").get("value").asDouble()).isEqualTo(i);
            }
        }
    }

    @Test
    void everyRefusal_hasItsOwnStatusCodeAndField_andWritesNothing() throws Exception {
        Map<TopicPartition, Long> before = RawTopics.endOffsets(TOPIC);
        String good = JSON.writeValueAsString(event("s-refused"));

        postTo("nowhere.topic", good, IngestResource.SINGLE).statusCode(404)
                .body("code", equalTo("unknown_topic")).body("field", equalTo("topic"));
        post(good, "application/json").statusCode(415)
                .body("code", equalTo("unsupported_media_type")).body("field", equalTo("Content-Type"));
        post(good, IngestResource.BATCH).statusCode(400) // one event sent as a batch
                .body("code", equalTo("invalid_cloudevent")).body("field", nullValue());
        post("{\"specversion\": \"1.0\", ", IngestResource.SINGLE).statusCode(400)
                .body("code", equalTo("malformed_json"));
        post("", IngestResource.SINGLE).statusCode(400).body("code", equalTo("malformed_json"));

        refused(without(event("s"), "specversion"), 400, "invalid_cloudevent", "specversion");
        refused(event("s").put("specversion", "0.3"), 400, "invalid_cloudevent", "specversion");
        refused(without(event("s"), "id"), 400, "invalid_cloudevent", "id");
        refused(event("s").put("source", "not a uri"), 400, "invalid_cloudevent", "source");
        refused(event("s").put("time", "yesterday"), 400, "invalid_cloudevent", "time");
        refused(event("s").put("Bad-Name", "x"), 400, "invalid_cloudevent", "Bad-Name");
        refused(without(event("s"), "data"), 400, "invalid_cloudevent", "data");
        refused(event("s").put("type", "reading.unknown.v1"), 422, "unknown_event_type", "type");
        refused(event("s").put("type", "reading.unregistered.v1"), 422, "unknown_event_type", "type");

        refused(withData(event("s"), d -> d.remove("sensorId")), 422, "schema_violation", "data.sensorId");
        refused(withData(event("s"), d -> d.put("value", "warm")), 422, "schema_violation", "data.value");
        refused(withData(event("s"), d -> d.put("unit", "KELVIN")), 422, "schema_violation", "data.unit");
        refused(withData(event("s"), d -> d.put("colour", "red")), 422, "schema_violation", "data.colour");
        refused(withData(event("s"), d -> d.putArray("samples").add(1).add(2.5)), 422, "schema_violation",
                "data.samples[1]");
        refused(withData(event("s"), d -> d.putObject("site").put("lat", 1.0)), 422, "schema_violation",
                "data.site.lon");
        refused(withData(event("s"), d -> d.putObject("labels").put("room", 7)), 422, "schema_violation",
                "data.labels.room");
        refused(withData(event("s"), d -> d.put("takenAt", "noon")), 422, "schema_violation", "data.takenAt");

        // A batch with one bad event in the middle: refused whole, naming the event and its field.
        ArrayNode batch = JSON.createArrayNode().add(event("s")).add(withData(event("s"), d -> d.put("value", true)))
                .add(event("s"));
        post(JSON.writeValueAsString(batch), IngestResource.BATCH).statusCode(422)
                .body("code", equalTo("schema_violation")).body("field", equalTo("[1].data.value"));
        ObjectNode twice = event("s");
        post(JSON.writeValueAsString(JSON.createArrayNode().add(twice).add(twice)), IngestResource.BATCH)
                .statusCode(400).body("code", equalTo("invalid_cloudevent")).body("field", equalTo("[1].id"));
        post("[]", IngestResource.BATCH).statusCode(400).body("code", equalTo("invalid_cloudevent"));

        // Over the 1 MiB limit (a long label), refused before it is read as JSON.
        ObjectNode huge = withData(event("s"), d -> d.putObject("labels").put("blob", "x".repeat(1_100_000)));
        post(JSON.writeValueAsString(huge), IngestResource.SINGLE).statusCode(413).body("code",
                equalTo("body_too_large"));

        assertThat(RawTopics.endOffsets(TOPIC)).isEqualTo(before);
    }

    private static ObjectNode event(String sensor) {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("source", "urn:test:sensors")
                .put("type", TYPE)
                .put("subject", sensor);
        ObjectNode data = event.putObject("data").put("sensorId", sensor).put("value", 21.5).put("unit", "CELSIUS")
                .put("takenAt", "2026-12-01T10:15:30Z");
        data.putArray("samples").add(1).add(2).add(3);
        return event;
    }

    private static ObjectNode without(ObjectNode event, String attribute) {
        event.remove(attribute);
        return event;
    }

    private static ObjectNode withData(ObjectNode event, java.util.function.Consumer<ObjectNode> change) {
        change.accept((ObjectNode) event.get("data"));
        return event;
    }

    private static void refused(ObjectNode event, int status, String code, String field) throws Exception {
        post(JSON.writeValueAsString(event), IngestResource.SINGLE).statusCode(status)
                .body("code", equalTo(code)).body("field", equalTo(field));
        // The same event in a batch is refused the same way, with its position in front of the field.
        ArrayNode batch = JSON.createArrayNode().add(event("s-first")).add(event);
        post(JSON.writeValueAsString(batch), IngestResource.BATCH).statusCode(status)
                .body("code", equalTo(code)).body("field", equalTo("[1]." + field));
    }

    private static ValidatableResponse post(String body, String contentType) {
        return postTo(TOPIC, body, contentType);
    }

    private static ValidatableResponse postTo(String topic, String body, String contentType) {
        return given().contentType(contentType).body(body).when().post("/topics/{topic}/events", topic).then();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static GenericRecord decode(ConsumerRecord<String, byte[]> record) {
        try (var deserializer = new AvroKafkaDeserializer<GenericRecord>()) {
            deserializer.configure(Map.of("apicurio.registry.url", ConfigProvider.getConfig()
                    .getValue("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", String.class)), false);
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        }
    }
}
