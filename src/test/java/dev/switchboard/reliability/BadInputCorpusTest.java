package dev.switchboard.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawKafka;
import dev.switchboard.testing.WsClient;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A corpus of more than 2,000 malformed inputs against the running service: bodies for every endpoint that takes
 * one (broken JSON, wrong types, huge and deep values, bytes that are not UTF-8, mutated CloudEvents), bad headers
 * (content types, If-Match, correlation ids, Last-Event-ID, tokens) and random WebSocket frames. Not one answer is
 * 5xx, nothing reaches Kafka but the events the service accepted, a socket's live subscription outlives every
 * frame thrown at it, and the service is ready afterwards. Inputs come from jqwik's generators, used here as a
 * library inside a Quarkus test.
 */
@QuarkusTest
class BadInputCorpusTest {

    private static final String VALID_EVENT = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"urn:test\","
            + "\"type\":\"reading.taken.v1\",\"subject\":\"s-1\",\"data\":{\"sensorId\":\"t\",\"value\":1.5,"
            + "\"unit\":\"CELSIUS\",\"takenAt\":\"2026-12-01T10:15:30Z\"}}";
    private static final String VALID_ORDER = "{\"customerId\":\"c-1\",\"lines\":[{\"sku\":\"book\",\"quantity\":1,"
            + "\"unitPrice\":{\"amountMinor\":990,\"currency\":\"EUR\"}}]}";

    private final List<String> serverErrors = new ArrayList<>();
    private int sent;
    private int ingestAccepted;

    @Test
    void twoThousandMalformedInputs_getNo5xx_writeNothingInvalid_andLeaveTheServiceHealthy() throws Exception {
        Map<TopicPartition, Long> ingestBefore = endOffsets("ingest.test");
        String orderId = OrderClient.placed();

        for (String body : bodies(VALID_ORDER, 500)) {
            check("POST /orders", given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/orders"), body);
        }
        byte[] notUtf8 = {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        for (String path : List.of("/orders", "/topics/ingest.test/events")) {
            check("not UTF-8", given().contentType(path.equals("/orders")
                    ? "application/json"
                    : "application/cloudevents+json").body(notUtf8).post(path), "bytes C3 28");
        }
        for (String body : bodies("{\"reason\":\"changed my mind\"}", 150)) {
            check("cancel", given().contentType("application/json").header("If-Match", "\"1\"")
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/orders/{id}/cancel", UUID.randomUUID().toString()), body);
        }
        for (String body : bodies(VALID_EVENT, 400)) {
            Response answer = given().contentType("application/cloudevents+json")
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/topics/ingest.test/events");
            check("ingest", answer, body);
            if (answer.statusCode() == 202) {
                ingestAccepted++;
            }
        }
        for (String body : bodies("[" + VALID_EVENT + "]", 200)) {
            Response answer = given().contentType("application/cloudevents-batch+json")
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post("/topics/ingest.test/events");
            check("ingest batch", answer, body);
            if (answer.statusCode() == 202) {
                ingestAccepted += answer.jsonPath().getList("events").size();
            }
        }
        for (String body : bodies("{\"available\":3}", 100)) {
            check("PUT stock", given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                    .put("/inventory/sku-corpus"), body);
        }
        for (String body : bodies("{\"reason\":\"x\"}", 50)) {
            check("discard",
                    given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                            .post("/dead-letters/1/discard"),
                    body);
        }
        for (String header : headerValues(300)) {
            check("If-Match", given().header("If-Match", header).post("/orders/{id}/ship", orderId), header);
            check("Content-Type", given().header("Content-Type", header)
                    .body(VALID_ORDER.getBytes(StandardCharsets.UTF_8)).post("/orders"), header);
            check("X-Correlation-ID", given().header("X-Correlation-ID", header).contentType("application/json")
                    .header("If-Match", "\"99\"").post("/orders/{id}/confirm", orderId), header);
            check("Authorization", given().header("Authorization", "Bearer " + header).get("/orders"), header);
            check("query", given().queryParam("status", header).queryParam("page", header).get("/orders"), header);
        }
        for (String position : headerValues(100)) {
            // Refused before any stream opens: a valid or blank position would open one, so only refusals are sent.
            if (!position.isBlank() && !position.trim().matches("[0-9:,]+|latest|earliest")) {
                check("Last-Event-ID", given().header("Last-Event-ID", position).get("/streams/shop.orders"),
                        position);
            }
        }
        int frames = throwFramesAtALiveSubscription(700);

        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(sent + frames).isGreaterThanOrEqualTo(2000);
        long written = endOffsets("ingest.test").entrySet().stream()
                .mapToLong(e -> e.getValue() - ingestBefore.getOrDefault(e.getKey(), 0L)).sum();
        assertThat(written).as("records on ingest.test = events the service accepted").isEqualTo(ingestAccepted);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Random frames at a socket that also holds a live subscription, which must keep its events flowing. */
    private int throwFramesAtALiveSubscription(int count) throws Exception {
        // Any text a WebSocket can carry (valid Unicode: the JDK client refuses to send a lone surrogate).
        Arbitrary<String> frames = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(200),
                Arbitraries.of("{}", "[]", "null", "1", "\"subscribe\"", "{\"op\":null}", "{\"op\":\"auth\"}",
                        "{\"op\":\"auth\",\"token\":\"abc\"}", "{\"op\":\"unsubscribe\",\"subscription\":\"x\"}",
                        "{\"op\":\"subscribe\",\"subscription\":\"live\",\"topic\":\"shop.orders\"}"),
                Arbitraries.strings().alpha().ofMaxLength(20).map(word -> "{\"op\":\"subscribe\",\"subscription\":\""
                        + word + "\",\"topic\":\"" + word + "\",\"from\":\"" + word + "\",\"types\":[\"" + word
                        + "\"]}"),
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(40).map(BadInputCorpusTest::mutate)
                        .map(text -> "{\"op\":\"subscribe\",\"subscription\":\"m\"," + text));
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"live\",\"topic\":\"shop.orders\"}");
            // "latest" is where the topic's hub stands when it takes the subscription, which the acknowledgement
            // says; an order placed before it may be behind that (the first subscriber of a topic starts its hub).
            String acknowledged = socket.next(Duration.ofSeconds(30));
            assertThat(acknowledged).as("the live subscription's acknowledgement")
                    .contains("\"op\":\"subscribed\"", "\"subscription\":\"live\"");
            frames.sampleStream().limit(count).forEach(socket::send);
            String orderId = OrderClient.placed();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean seen = false;
            // What else the live subscription got (not its heartbeats): a failure then says how it ended.
            var live = new ArrayList<String>();
            while (!seen && System.nanoTime() < deadline) {
                String frame = socket.next(Duration.ofSeconds(1));
                if (frame == null || !frame.contains("\"subscription\":\"live\"")) {
                    continue;
                }
                seen = frame.contains(orderId);
                if (!frame.contains("\"op\":\"heartbeat\"")) {
                    live.add(abbreviate(frame));
                }
            }
            assertThat(seen).as("the live subscription still delivers after %d random frames (it got %s; the socket"
                    + " closed: %s)", count, live, socket.closedWith(Duration.ZERO)).isTrue();
            assertThat(socket.closedWith(Duration.ofMillis(100))).isNull();
        }
        return count;
    }

    private void check(String what, Response answer, String input) {
        sent++;
        if (answer.statusCode() >= 500) {
            serverErrors.add(what + " " + answer.statusCode() + " for " + abbreviate(input) + ": "
                    + abbreviate(answer.asString()));
        }
    }

    /** Mutations of a valid JSON body, plus bodies that were never JSON. */
    private static List<String> bodies(String valid, int count) {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.just(valid).map(BadInputCorpusTest::mutate),
                Arbitraries.integers().between(0, valid.length()).map(cut -> valid.substring(0, cut)),
                Arbitraries.of("", "null", "[]", "{}", "\"text\"", "1e999999", "{\"a\":" + "[".repeat(5000),
                        valid.replace("1", "99999999999999999999999"), valid.replace("\"", "'"),
                        valid.replace(":", ":\u0000"), "\ud800" + valid,
                        "{\"customerId\":\"" + "x".repeat(100_000) + "\"}"))
                .sampleStream().limit(count).toList();
    }

    /** One random change of a JSON text: a character dropped, doubled or replaced, a value's type swapped. */
    private static String mutate(String json) {
        if (json.isEmpty()) {
            return "{";
        }
        var random = new java.util.Random(json.hashCode() ^ System.nanoTime());
        int at = random.nextInt(json.length());
        return switch (random.nextInt(6)) {
            case 0 -> json.substring(0, at) + json.substring(at + 1);
            case 1 -> json.substring(0, at) + json.charAt(at) + json.substring(at);
            case 2 -> json.substring(0, at) + "\"" + json.substring(at);
            case 3 -> json.replaceFirst("\"[^\"]*\"(?=\\s*[,}])", "[]");
            case 4 -> json.replaceFirst("[0-9.]+", "\"NaN\"");
            default -> json.replaceFirst("\\{", "{\"unexpected\":{\"x\":[1,{}]},");
        };
    }

    private static List<String> headerValues(int count) {
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(60),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(129).ofMaxLength(300),
                Arbitraries.of("*", "\"\"", "\"-1\"", "W/\"1\"", "\"99999999999999\"", "text/plain",
                        "application/json; charset=utf-16", "multipart/form-data; boundary=x", ";;;", "0:1,99:2",
                        "a:b", "-1:-1", "1:" + Long.MAX_VALUE + "0"))
                .filter(value -> value.chars().noneMatch(c -> c < 0x20 || c == 0x7f))
                .sampleStream().limit(count).toList();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + ")";
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        var config = Map.<String, Object>of("bootstrap.servers", RawKafka.bootstrapServers(), "key.deserializer",
                ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(config)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return new java.util.HashMap<>(consumer.endOffsets(partitions));
        }
    }
}
