package dev.switchboard.platform.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WireRecords;
import dev.switchboard.testing.WsClient;
import dev.switchboard.wire.orders.OrderCancelled;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.engine.SourceOfRandomness;

/**
 * The WebSocket protocol against a model of it, on random frame sequences. Every sequence runs on a socket that
 * also holds a subscription of its own ({@code keep}); each frame, well-formed or not, gets exactly the one answer the
 * model predicts from what the sequence did before it (subscribed, unsubscribed, authenticated, or an error with its
 * code, for that subscription), and afterwards {@code keep} still delivers a new event exactly once and the socket
 * is open. Frames come from jqwik's generators, driven by a seeded source of randomness so that a failure names the
 * seed
 * that repeats it ({@code -Dswitchboard.seed=...}); a property engine cannot run inside a Quarkus test, so there is
 * no shrinking, and the failing sequence is printed whole instead.
 */
@QuarkusTest
class StreamSocketProtocolTest {

    private static final int SEQUENCES = 100;
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "streams.test";

    /** One client frame, and what the model makes of it. */
    private sealed interface Step {
        String text();
    }

    private record Subscribe(String name, String topic, String from, List<String> types, String text)
            implements
                Step {
    }

    private record Unsubscribe(String name, String text) implements Step {
    }

    private record Auth(String answer, String text) implements Step {
    }

    /** Not a frame the protocol knows: refused as invalid, for the subscription it names if it names one. */
    private record Invalid(String name, String text) implements Step {
    }

    /** The subscriptions a sequence opened: the model's whole state. */
    private static final class Model {
        private final Set<String> open = new HashSet<>();

        String answer(Step step) {
            return switch (step) {
                case Subscribe s when open.contains(s.name()) -> "error duplicate_subscription " + s.name();
                case Subscribe s when !TOPIC.equals(s.topic()) && !"no.such.topic".equals(s.topic()) ->
                    "error forbidden " + s.name(); // outside the token's scopes (also no topic at all)
                case Subscribe s when "no.such.topic".equals(s.topic()) -> "error unknown_topic " + s.name();
                case Subscribe s when s.types() != null && s.types().stream().anyMatch(Objects::isNull) ->
                    "error invalid_frame " + s.name();
                // Blank is the default, as none is: latest.
                case Subscribe s when s.from() != null && !s.from().isBlank() && !s.from().equals("latest") ->
                    "error invalid_position " + s.name();
                case Subscribe s -> {
                    open.add(s.name());
                    yield "subscribed " + s.name();
                }
                case Unsubscribe u when open.remove(u.name()) -> "unsubscribed " + u.name();
                case Unsubscribe u -> "error unknown_subscription " + u.name();
                case Auth a -> a.answer();
                case Invalid i -> "error invalid_frame " + (i.name() == null ? "-" : i.name());
            };
        }
    }

    @Test
    void randomFrameSequences_getTheAnswersTheModelPredicts_andNeverTouchTheSocketsOtherSubscription()
            throws Exception {
        long seed = Long.getLong("switchboard.seed", System.nanoTime());
        // Outside a property, jqwik's samples come from this thread's source of randomness: seeded, they repeat.
        SourceOfRandomness.create(Long.toString(seed));
        var sequences = steps().list().ofMinSize(1).ofMaxSize(12).sampleStream().limit(SEQUENCES).toList();
        for (int n = 0; n < sequences.size(); n++) {
            List<Step> sequence = sequences.get(n);
            // Every other sequence is sent whole before its first answer, as a client that does not wait does: the
            // answers still come in the frames' order (a subscribe opens on a worker, and what follows waits).
            boolean pipelined = n % 2 == 1;
            String context = "seed " + seed + ", sequence " + n + (pipelined ? " (pipelined): " : ": ")
                    + sequence.stream().map(Step::text).toList();
            runOnAFreshSocket(sequence, pipelined, context);
        }
    }

    private static void runOnAFreshSocket(List<Step> sequence, boolean pipelined, String context) throws Exception {
        String subject = "keep-" + UUID.randomUUID();
        try (var socket = WsClient.open("/ws/streams")) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"keep\",\"topic\":\"" + TOPIC + "\",\"subject\":\""
                    + subject + "\"}");
            assertThat(nextAnswer(socket)).as(context).isEqualTo("subscribed keep");
            var model = new Model();
            if (pipelined) {
                for (Step step : sequence) {
                    socket.send(step.text());
                }
            }
            for (Step step : sequence) {
                if (!pipelined) {
                    socket.send(step.text());
                }
                assertThat(nextAnswer(socket)).as("%s\nanswer to %s", context, step.text())
                        .isEqualTo(model.answer(step));
            }

            String id = UUID.randomUUID().toString();
            var record = new ProducerRecord<>(TOPIC, null, subject, WireRecords.encode(TOPIC,
                    new OrderCancelled(subject, "protocol", Instant.now())),
                    WireRecords.headers("order.cancelled.v1", subject, 1L));
            record.headers().remove("ce_id").add("ce_id", id.getBytes());
            RawTopics.produce(record);
            List<String> keep = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            long quietFrom = Long.MAX_VALUE;
            for (long deadline = System.nanoTime() + ANSWER.toNanos(); System.nanoTime() < Math.min(deadline,
                    quietFrom);) {
                String text = socket.next(Duration.ofMillis(100));
                if (text == null) {
                    continue;
                }
                JsonNode frame = JSON.readTree(text);
                if (frame.path("op").asText().equals("event")) {
                    if (frame.path("subscription").asText().equals("keep")) {
                        keep.add(frame.path("event").path("id").asText());
                        quietFrom = System.nanoTime() + Duration.ofMillis(300).toNanos(); // a second copy?
                    }
                } else if (!frame.path("op").asText().equals("heartbeat")) {
                    answers.add(text);
                }
            }
            assertThat(keep).as("%s\nkeep's events after the sequence", context).containsExactly(id);
            assertThat(answers).as("%s\nframes nobody asked for", context).isEmpty();
            assertThat(socket.closedWith(Duration.ZERO)).as(context).isNull();
        }
    }

    /**
     * The next frame that answers a client frame, as "op [code] subscription" ("-" for none); events (of the
     * subscriptions the sequence opened) and heartbeats pass by.
     */
    private static String nextAnswer(WsClient socket) throws Exception {
        for (long deadline = System.nanoTime() + ANSWER.toNanos(); System.nanoTime() < deadline;) {
            String text = socket.next(Duration.ofMillis(200));
            if (text == null) {
                if (socket.closedWith(Duration.ZERO) != null) {
                    return "socket closed: " + socket.closedWith(Duration.ZERO);
                }
                continue;
            }
            JsonNode frame = JSON.readTree(text);
            String op = frame.path("op").asText();
            if (!op.equals("event") && !op.equals("heartbeat")) {
                String name = frame.hasNonNull("subscription") ? frame.get("subscription").asText() : "-";
                return op + (op.equals("error") ? " " + frame.path("code").asText() : "") + " " + name;
            }
        }
        return "no answer in " + ANSWER;
    }

    private static Arbitrary<Step> steps() {
        Arbitrary<String> names = Arbitraries.of("a", "b", "c");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, subscribes(names)),
                net.jqwik.api.Tuple.of(2, names.map(name -> new Unsubscribe(name,
                        "{\"op\":\"unsubscribe\",\"subscription\":\"" + name + "\"}"))),
                net.jqwik.api.Tuple.of(1, auths()),
                net.jqwik.api.Tuple.of(3, invalid(names)));
    }

    private static Arbitrary<Step> subscribes(Arbitrary<String> names) {
        Arbitrary<String> topics = Arbitraries.of(TOPIC, TOPIC, TOPIC, "no.such.topic", "shop.secret").injectNull(0.1);
        Arbitrary<String> froms = Arbitraries.of("latest", "bogus", "1:2:3", "-1", "0:-5", "99:0", " ").injectNull(0.4);
        Arbitrary<List<String>> types = Arbitraries.<List<String>>of(List.of(), List.of("order.*"), List.of("*"),
                List.of("order.cancelled.v1", "x.y"), nullInside()).injectNull(0.3);
        Arbitrary<String> subjects = Arbitraries.of("s-1", "", "any").injectNull(0.5);
        return Combinators.combine(names, topics, froms, types, subjects).as((name, topic, from, type, subject) -> {
            ObjectNode frame = JSON.createObjectNode().put("op", "subscribe").put("subscription", name);
            if (topic != null) {
                frame.put("topic", topic);
            }
            if (from != null) {
                frame.put("from", from);
            }
            if (type != null) {
                var array = frame.putArray("types");
                type.forEach(array::add);
            }
            if (subject != null) {
                frame.put("subject", subject);
            }
            return new Subscribe(name, topic, from, type, frame.toString());
        });
    }

    private static List<String> nullInside() {
        var types = new ArrayList<String>();
        types.add("order.*");
        types.add(null);
        return types;
    }

    private static Arbitrary<Step> auths() {
        return Arbitraries.of(
                new Auth("error invalid_token -", "{\"op\":\"auth\",\"token\":\"not.a.token\"}"),
                new Auth("error invalid_token -", "{\"op\":\"auth\"}"),
                new Auth("error subject_changed -", "{\"op\":\"auth\",\"token\":\"" + Tokens.mint("someone-else",
                        Duration.ofMinutes(30), "streams:" + TOPIC + ":read") + "\"}"),
                new Auth("authenticated -", "{\"op\":\"auth\",\"token\":\"" + Tokens.operator() + "\"}"));
    }

    private static Arbitrary<Step> invalid(Arbitrary<String> names) {
        Arbitrary<Step> junk = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(60)
                .filter(text -> !text.trim().startsWith("{")).map(text -> new Invalid(null, text));
        Arbitrary<Step> shapes = Arbitraries.of("[]", "null", "1", "\"subscribe\"", "{}", "{\"op\":\"subscribe\"}",
                "{\"op\":\"subscribe\",\"subscription\":\"  \"}", "{\"op\":\"subscribe\",\"subscription\":[\"a\"]}",
                "{\"op\":\"subscribe\",\"subscription\":\"a\",\"types\":{\"x\":1}}", "{\"op\":").map(
                        text -> new Invalid(null, text));
        Arbitrary<Step> namedButWrong = names.flatMap(name -> Arbitraries.of(
                new Invalid(name, "{\"op\":\"dance\",\"subscription\":\"" + name + "\"}"),
                new Invalid(name, "{\"subscription\":\"" + name + "\"}")));
        return Arbitraries.oneOf(junk, shapes, namedButWrong);
    }
}
