package dev.switchboard.platform.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.WsClient;

/**
 * {@code /ws/streams} against the real Kafka and registry: several named subscriptions on one socket, each with its
 * own filter; bad frames and bad subscriptions answered with error frames that leave the others flowing.
 */
@QuarkusTest
class StreamSocketTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

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
