package dev.switchboard.platform.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.Metrics;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.WireRecords;
import dev.switchboard.testing.WsBurst;
import dev.switchboard.testing.WsClient;
import dev.switchboard.wire.orders.OrderCancelled;

/**
 * {@code /ws/streams} against the real Kafka and registry: several named subscriptions on one socket, each with its
 * own filter; bad frames and bad subscriptions answered with error frames that leave the others flowing; resuming
 * from a position on a new socket; a socket that stops reading has its subscription ended with a position.
 */
@QuarkusTest
class StreamSocketTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIBERS_GAUGE = "switchboard_stream_subscribers{topic=\"shop.orders\",transport=\"websocket\"}";

    @Test
    void twoSubscriptionsOnOneSocket_eachGetTheirOwnEvents_andAnErrorLeavesTheOthersFlowing() throws Exception {
        String first = OrderClient.placed("c-ws");
        String second = OrderClient.placed("c-ws");
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send(subscribe("a", first, null));
            socket.send(subscribe("b", second, "order.confirmed.v1"));
            Map<String, List<JsonNode>> frames = new HashMap<>();
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("subscribed"), 2);
            assertThat(frames.get("subscribed")).extracting(f -> f.get("subscription").asText())
                    .containsExactlyInAnyOrder("a", "b");
            double subscribersWithBoth = Metrics.sample(SUBSCRIBERS_GAUGE).orElse(0);
            assertThat(subscribersWithBoth).isGreaterThanOrEqualTo(2);

            socket.send("not json");
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"c\",\"topic\":\"no.such.topic\"}");
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"a\",\"topic\":\"shop.orders\"}");
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"d\",\"topic\":\"shop.orders\",\"from\":\"x\"}");
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("error"), 4);
            assertThat(frames.get("error")).extracting(f -> f.get("code").asText()).containsExactlyInAnyOrder(
                    "invalid_frame", "unknown_topic", "duplicate_subscription", "invalid_position");

            OrderClient.command(first, "confirm", 1);
            OrderClient.command(second, "confirm", 1);
            OrderClient.command(second, "ship", 2);
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("event"), 2);
            List<String> seen = new ArrayList<>();
            for (JsonNode event : frames.get("event")) {
                seen.add(event.get("subscription").asText() + ":" + event.get("event").get("subject").asText() + ":"
                        + event.get("event").get("type").asText());
                assertThat(event.get("position").asText()).isEqualTo(event.get("event").get("position").asText());
            }
            assertThat(seen).containsExactlyInAnyOrder("a:" + first + ":order.confirmed.v1",
                    "b:" + second + ":order.confirmed.v1");

            socket.send("{\"op\":\"unsubscribe\",\"subscription\":\"a\"}");
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("unsubscribed"), 1);
            // One fewer than while both were open (other tests' sockets may still be closing: compared, not fixed).
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(Metrics.sample(SUBSCRIBERS_GAUGE).orElse(0))
                    .isEqualTo(subscribersWithBoth - 1));
            OrderClient.command(first, "ship", 2);
            // For a while, nothing but heartbeats (of b, still open): a's shipment is not sent.
            long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quietUntil) {
                JsonNode next = frame(socket.next(Duration.ofMillis(500)));
                if (next != null) {
                    assertThat(next.get("op").asText()).as(next.toString()).isEqualTo("heartbeat");
                    assertThat(next.get("subscription").asText()).isEqualTo("b");
                }
            }
        }
    }

    @Test
    void resumingFromTheLastPositionOnANewSocket_bringsWhatHappenedMeanwhile_onceAndWithoutGap() throws Exception {
        String order = OrderClient.placed("c-ws-resume");
        String position;
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send(subscribe("orders", order, null));
            Map<String, List<JsonNode>> frames = new HashMap<>();
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("subscribed"), 1);
            OrderClient.command(order, "confirm", 1);
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("event"), 1);
            JsonNode confirmed = frames.get("event").get(0);
            assertThat(confirmed.get("event").get("type").asText()).isEqualTo("order.confirmed.v1");
            position = confirmed.get("position").asText();
        }
        OrderClient.command(order, "ship", 2); // while no socket is open
        OrderClient.command(order, "cancel", "\"3\"").then().statusCode(422); // shipped: no event
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"orders\",\"topic\":\"shop.orders\",\"subject\":\""
                    + order + "\",\"from\":\"" + position + "\"}");
            Map<String, List<JsonNode>> frames = new HashMap<>();
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("event"), 1);
            assertThat(frames.get("subscribed").get(0).get("position").asText()).isEqualTo(position);
            assertThat(frames.get("event").get(0).get("event").get("type").asText()).isEqualTo("order.shipped.v1");
            assertThat(frames.get("event").get(0).get("event").get("sequence").asLong()).isEqualTo(3);
            expectOnlyHeartbeats(socket, Duration.ofSeconds(3));
        }
    }

    @Test
    void subscriptionOfASocketThatStopsReading_endsWithItsPosition_theSocketLives_andResumingBringsTheRest()
            throws Exception {
        int events = 1000;
        String subject = "ws-slow-" + UUID.randomUUID();
        String reason = "x".repeat(20_000); // 1,000 x 20 KB: more than both sockets' buffers and the 64-event queue
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"slow\",\"topic\":\"streams.test\",\"subject\":\""
                    + subject + "\"}");
            Map<String, List<JsonNode>> frames = new HashMap<>();
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("subscribed"), 1);
            socket.pause();
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                records.add(new ProducerRecord<>("streams.test", null, subject, WireRecords.encode("streams.test",
                        new OrderCancelled(subject, i + ":" + reason, Instant.now())),
                        WireRecords.headers("order.cancelled.v1", subject, (long) i)));
            }
            RawTopics.produceAll(records);
            Thread.sleep(3000); // the client reads nothing meanwhile
            socket.resume();

            awaitFrames(socket, frames, f -> f.get("op").asText().equals("slow-consumer"), 1);
            JsonNode notice = frames.get("slow-consumer").get(0);
            assertThat(notice.get("subscription").asText()).isEqualTo("slow");
            assertThat(notice.get("code").asText()).isEqualTo("slow_consumer");
            int before = frames.getOrDefault("event", List.of()).size();
            assertThat(before).as("events before the notice").isLessThan(events);

            // The same socket takes a new subscription from the notice's position: the rest, each once.
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"slow\",\"topic\":\"streams.test\",\"subject\":\""
                    + subject + "\",\"from\":\"" + notice.get("position").asText() + "\"}");
            awaitFrames(socket, frames, f -> f.get("op").asText().equals("event"), events - before);
            List<Integer> numbers = frames.get("event").stream()
                    .map(f -> Integer.valueOf(f.get("event").get("data").get("reason").asText().split(":")[0]))
                    .toList();
            assertThat(numbers).hasSize(events).doesNotHaveDuplicates().isSorted();
            expectOnlyHeartbeats(socket, Duration.ofSeconds(2));
        }
    }

    @Test
    void aClientFarAheadOfItsAnswers_isToldAndClosed_andLeavesNoSubscriptionBehind() throws Exception {
        double before = Metrics.sample(SUBSCRIBERS_GAUGE).orElse(0);
        // A subscribe holds the frames after it back until its first answer; these come with it, far more than may
        // wait.
        List<String> frames = new ArrayList<>();
        frames.add(subscribe("s", "ahead-" + UUID.randomUUID(), null));
        String padding = "x".repeat(1000);
        for (int i = 0; i < 40; i++) { // 40 KB, more than the test profile's 32 KB (one TCP segment on loopback)
            frames.add("{\"op\":\"unsubscribe\",\"subscription\":\"" + padding + i + "\"}");
        }
        WsBurst.Answers answers = WsBurst.send("/ws/streams", frames, PATIENCE);

        assertThat(answers.closedWith()).isEqualTo(StreamSocket.POLICY_VIOLATION + " too_many_frames");
        assertThat(answers.texts()).extracting(text -> JSON.readTree(text).path("code").asText())
                .contains("too_many_frames");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Metrics.sample(SUBSCRIBERS_GAUGE).orElse(0))
                .isLessThanOrEqualTo(before));
    }

    @Test
    void framesWrittenTogether_areAnsweredInTheirOrder() throws Exception {
        String subject = "together-" + UUID.randomUUID();
        var frames = List.of(subscribe("a", subject, null), "{\"op\":\"unsubscribe\",\"subscription\":\"a\"}",
                "not json", subscribe("a", subject, null), subscribe("b", subject, null),
                "{\"op\":\"unsubscribe\",\"subscription\":\"b\"}", "{\"op\":\"unsubscribe\",\"subscription\":\"c\"}");
        WsBurst.Answers answers = WsBurst.send("/ws/streams", frames, Duration.ofSeconds(3));

        assertThat(answers.texts()).extracting(text -> {
            JsonNode frame = JSON.readTree(text);
            return frame.path("op").asText() + " " + frame.path("code").asText("-") + " "
                    + frame.path("subscription").asText("-");
        }).filteredOn(answer -> !answer.startsWith("heartbeat")).containsExactly("subscribed - a",
                "unsubscribed - a", "error invalid_frame -", "subscribed - a", "subscribed - b", "unsubscribed - b",
                "error unknown_subscription c");
    }

    private static void expectOnlyHeartbeats(WsClient socket, Duration quiet) throws Exception {
        long quietUntil = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < quietUntil) {
            JsonNode next = frame(socket.next(Duration.ofMillis(500)));
            if (next != null) {
                assertThat(next.get("op").asText()).as(next.toString()).isEqualTo("heartbeat");
            }
        }
    }

    private static String subscribe(String name, String subject, String type) {
        return "{\"op\":\"subscribe\",\"subscription\":\"" + name + "\",\"topic\":\"shop.orders\",\"subject\":\""
                + subject + "\"" + (type == null ? "" : ",\"types\":[\"" + type + "\"]") + "}";
    }

    /** Reads frames into {@code frames} (by op) until {@code count} frames match, heartbeats aside. */
    private static void awaitFrames(WsClient socket, Map<String, List<JsonNode>> frames,
            java.util.function.Predicate<JsonNode> wanted, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int matched = 0;
        while (matched < count) {
            JsonNode frame = frame(socket.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
            assertThat(frame).as("a frame within the patience").isNotNull();
            frames.computeIfAbsent(frame.get("op").asText(), op -> new ArrayList<>()).add(frame);
            if (wanted.test(frame)) {
                matched++;
            }
        }
    }

    private static JsonNode frame(String text) throws Exception {
        return text == null ? null : JSON.readTree(text);
    }
}
