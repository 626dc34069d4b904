package dev.switchboard.platform.streaming;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.SseClient;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WireRecords;
import dev.switchboard.wire.orders.OrderCancelled;

/**
 * {@code GET /streams/{topic}} against the real Kafka and registry: filters, the envelope and data of each event,
 * resuming from {@code Last-Event-ID} or a position without gap or duplicate, catching up from the earliest, and
 * the answers to bad requests.
 */
@QuarkusTest
class StreamsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stream_deliversWhatPassesTheFilter_withItsEnvelopeDataAndPosition() throws Exception {
        String mine = OrderClient.placed("c-stream");
        String other = OrderClient.placed("c-stream");
        try (var stream = subscribed("/streams/shop.orders?types=order.confirmed.v1,order.ship*&subject=" + mine)) {
            OrderClient.command(other, "confirm", 1);
            OrderClient.command(mine, "confirm", 1);
            OrderClient.command(mine, "ship", 2);

            JsonNode confirmed = data(stream.next(PATIENCE));
            assertThat(confirmed.get("type").asText()).isEqualTo("order.confirmed.v1");
            assertThat(confirmed.get("subject").asText()).isEqualTo(mine);
            assertThat(confirmed.get("topic").asText()).isEqualTo("shop.orders");
            assertThat(confirmed.get("sequence").asLong()).isEqualTo(2);
            assertThat(confirmed.get("id").asText()).isEqualTo(OrderClient.eventIds(mine).get(1));
            assertThat(confirmed.get("data").get("orderId").asText()).isEqualTo(mine);
            assertThat(confirmed.get("position").asText()).matches("0:\\d+,1:\\d+,2:\\d+");
            JsonNode shipped = data(stream.next(PATIENCE));
            assertThat(shipped.get("type").asText()).isEqualTo("order.shipped.v1");
            assertThat(stream.next(QUIET)).as("the other order, and the placement, are filtered out").isNull();
        }
    }

    @Test
    void reconnectingWithLastEventId_resumesAfterTheLastEventSeen_withNoGapAndNoDuplicate() throws Exception {
        String orderId = OrderClient.placed("c-stream");
        String path = "/streams/shop.orders?subject=" + orderId;
        SseClient.Event confirmed;
        try (var stream = subscribed(path)) {
            OrderClient.command(orderId, "confirm", 1);
            confirmed = stream.next(PATIENCE);
            assertThat(data(confirmed).get("type").asText()).isEqualTo("order.confirmed.v1");
            assertThat(confirmed.id()).isEqualTo(data(confirmed).get("position").asText());
        }
        OrderClient.command(orderId, "ship", 2); // while no one listens

        try (var resumed = SseClient.open(path, Map.of("Last-Event-ID", confirmed.id()))) {
            JsonNode shipped = data(resumed.next(PATIENCE));
            assertThat(shipped.get("type").asText()).isEqualTo("order.shipped.v1");
            assertThat(resumed.next(QUIET)).isNull();
            OrderClient.command(orderId, "cancel", "\"3\"").then().statusCode(422); // shipped: no new event
            assertThat(resumed.next(QUIET)).isNull();
        }
    }

    @Test
    void fromEarliest_catchesUpWithEveryEventOfTheSubject_thenFollowsLiveOnes() throws Exception {
        String orderId = OrderClient.placed("c-stream");
        OrderClient.command(orderId, "confirm", 1);
        List<String> types = new ArrayList<>();
        try (var stream = SseClient.open("/streams/shop.orders?from=earliest&subject=" + orderId)) {
            types.add(data(stream.next(PATIENCE)).get("type").asText());
            types.add(data(stream.next(PATIENCE)).get("type").asText());
            OrderClient.command(orderId, "ship", 2);
            types.add(data(stream.next(PATIENCE)).get("type").asText());
            assertThat(stream.next(QUIET)).isNull();
        }
        assertThat(types).containsExactly("order.placed.v1", "order.confirmed.v1", "order.shipped.v1");
    }

    @Test
    void fromAPosition_deliversOnlyTheEventsAfterIt() throws Exception {
        String orderId = OrderClient.placed("c-stream");
        OrderClient.command(orderId, "confirm", 1);
        String afterPlacement;
        try (var stream = SseClient.open("/streams/shop.orders?from=earliest&subject=" + orderId)) {
            afterPlacement = stream.next(PATIENCE).id();
        }
        try (var stream = SseClient.open("/streams/shop.orders?subject=" + orderId + "&from=" + afterPlacement)) {
            assertThat(data(stream.next(PATIENCE)).get("type").asText()).isEqualTo("order.confirmed.v1");
            assertThat(stream.next(QUIET)).isNull();
        }
    }

    @Test
    void idleStream_sendsHeartbeats() throws Exception {
        try (var stream = subscribed("/streams/shop.inventory?subject=nobody")) {
            SseClient.Event comment = stream.nextComment(Duration.ofSeconds(5));
            assertThat(comment).isNotNull();
            assertThat(comment.data()).isEqualTo("heartbeat");
        }
    }

    @Test
    void subscriberThatStopsReading_isToldAndDisconnected_andResumesFromThePositionItWasGiven() throws Exception {
        int events = 300;
        String subject = "slow-" + UUID.randomUUID();
        String reason = "x".repeat(20_000); // 300 x 20 KB: more than the socket buffers and the stream's 64 events
        try (var socket = new Socket()) {
            socket.setReceiveBufferSize(8192);
            socket.connect(new InetSocketAddress("127.0.0.1", port()));
            socket.getOutputStream().write(("GET /streams/streams.test?subject=" + subject + " HTTP/1.0\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + Tokens.operator() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var in = socket.getInputStream();
            socket.setSoTimeout(30_000);
            var head = new StringBuilder();
            while (!head.toString().contains("subscribed")) {
                int b;
                try {
                    b = in.read();
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("the stream did not open; read so far: " + head, e);
                }
                assertThat(b).as("the stream opens").isNotEqualTo(-1);
                head.append((char) b);
            }
            for (int i = 0; i < events; i++) {
                RawTopics.produce(new ProducerRecord<>("streams.test", null, subject,
                        WireRecords.encode("streams.test", new OrderCancelled(subject, i + ":" + reason,
                                Instant.now())),
                        WireRecords.headers("order.cancelled.v1", subject, (long) i)));
            }
            Thread.sleep(3000); // the client reads nothing meanwhile

            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8); // the server ends the stream
            // The SSE wire format, read by hand: "field:value" lines, the space after the colon optional.
            long received = 0;
            String position = null;
            boolean notice = false;
            for (String line : rest.split("\n")) {
                String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).strip() : "";
                if (line.startsWith("event:") && value.equals("slow-consumer")) {
                    notice = true;
                } else if (notice && line.startsWith("data:")) {
                    JsonNode told = JSON.readTree(value);
                    assertThat(told.get("code").asText()).isEqualTo("slow_consumer");
                    position = told.get("position").asText();
                    notice = false;
                } else if (line.startsWith("data:")) {
                    received++; // an event (comments such as heartbeats have no data)
                }
            }
            assertThat(position).as("a slow-consumer event with the position to resume from").isNotNull();
            assertThat(received).as("events before the notice").isLessThan(events);

            // Resuming from the notice's position brings the rest, each once.
            try (var resumed = SseClient.open("/streams/streams.test?subject=" + subject,
                    Map.of("Last-Event-ID", position))) {
                long more = 0;
                for (SseClient.Event next = resumed.next(PATIENCE); next != null; next = resumed.next(QUIET)) {
                    more++;
                }
                assertThat(received + more).isEqualTo(events);
            }
        }
    }

    @Test
    void eventsArrivingWhileAStreamCatchesUp_followTheReplay_onceAndInOrder() throws Exception {
        String subject = "catch-up-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> history = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            history.add(cancelled(subject, i));
        }
        for (int i = 0; i < 3000; i++) {
            history.add(cancelled("filler-" + subject, i)); // a replay long enough for live events to overlap it
        }
        RawTopics.produceAll(history);
        try (var stream = SseClient.open("/streams/streams.test?from=earliest&subject=" + subject)) {
            RawTopics.produceAll(List.of(cancelled(subject, 3), cancelled(subject, 4), cancelled(subject, 5)));
            List<Long> sequences = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sequences.add(data(stream.next(PATIENCE)).get("sequence").asLong());
            }
            assertThat(sequences).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(stream.next(QUIET)).isNull();
        }
    }

    private static ProducerRecord<String, byte[]> cancelled(String subject, long sequence) {
        return new ProducerRecord<>("streams.test", null, subject, WireRecords.encode("streams.test",
                new OrderCancelled(subject, "test", Instant.now())),
                WireRecords.headers("order.cancelled.v1", subject, sequence));
    }

    @Test
    void badRequests_get4xxWithTheFieldAtFault() {
        given().get("/streams/no.such.topic").then().statusCode(404)
                .body("code", equalTo("unknown_topic")).body("field", equalTo("topic"));
        given().queryParam("from", "yesterday").get("/streams/shop.orders").then().statusCode(400)
                .body("code", equalTo("invalid_position")).body("field", equalTo("from"));
        given().header("Last-Event-ID", "0:1,99:2").get("/streams/shop.orders").then().statusCode(400)
                .body("code", equalTo("invalid_position")).body("field", equalTo("Last-Event-ID"));
    }

    @Test
    void streamRoute_isInTheOpenApiDocument() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/streams/{topic}'.get.operationId", equalTo("streamTopic"))
                .body("paths.'/orders'.post", notNullValue()); // merged into the generated document, not instead
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** A stream that is in place (its first comment, "subscribed ...", has arrived). */
    private static SseClient subscribed(String path) throws InterruptedException {
        var stream = SseClient.open(path);
        assertThat(stream.status()).isEqualTo(200);
        SseClient.Event first = stream.nextComment(PATIENCE);
        assertThat(first).isNotNull();
        assertThat(first.data()).startsWith("subscribed ");
        return stream;
    }

    private static JsonNode data(SseClient.Event event) throws Exception {
        assertThat(event).as("an event within the patience").isNotNull();
        return JSON.readTree(event.data());
    }
}
