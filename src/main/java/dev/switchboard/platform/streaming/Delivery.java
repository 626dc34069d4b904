package dev.switchboard.platform.streaming;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * What a stream sends: that it is subscribed, an event (its position and its JSON), a heartbeat, or the notice to
 * a subscriber that fell behind (then the stream ends; resume from the position).
 * <p>
 * An event is encoded for the wire once, however many subscribers get it: as Server-Sent Events bytes that every
 * SSE response writes as they are (Vert.x writes a slice of the same buffer), and as the end of a WebSocket event
 * frame, which each socket only prefixes with its subscription's name (each on first use, by the first of them). With
 * thousands of subscribers this
 * per-delivery work was most of a stream's cost (bench/streams.sh).
 */
public final class Delivery {

    public enum Kind {
        SUBSCRIBED, EVENT, HEARTBEAT, SLOW_CONSUMER
    }

    private static final Delivery HEARTBEAT = new Delivery(Kind.HEARTBEAT, null, null);

    private final Kind kind;
    private final String position;
    private final String json;
    // Encoded on first use, for the transports that get it (a catch-up's events go to one subscriber): two threads
    // may both encode it, to equal results, and volatile publishes the encoding whole.
    private volatile Buffer sse;
    private volatile String frameTail;

    private Delivery(Kind kind, String position, String json) {
        this.kind = kind;
        this.position = position;
        this.json = json;
    }

    /** The first delivery of every stream: the subscription is in place, from this position on. */
    static Delivery subscribed(String position) {
        return new Delivery(Kind.SUBSCRIBED, position, null);
    }

    static Delivery event(String position, String json) {
        return new Delivery(Kind.EVENT, position, json);
    }

    static Delivery heartbeat() {
        return HEARTBEAT;
    }

    static Delivery slowConsumer(String position) {
        return new Delivery(Kind.SLOW_CONSUMER, position,
                "{\"code\":\"slow_consumer\",\"message\":\"the stream fell behind and was closed; resume from the"
                        + " position\",\"position\":\"" + position + "\"}");
    }

    public Kind kind() {
        return kind;
    }

    /** Where a stream resumes after this delivery; none for a heartbeat. */
    public String position() {
        return position;
    }

    /** The event's JSON, or the slow-consumer notice's. */
    public String json() {
        return json;
    }

    /** This delivery as Server-Sent Events: shared by every response it is written to, never to be changed. */
    Buffer sse() {
        Buffer encoded = sse;
        if (encoded == null) {
            String text = switch (kind) {
                // With an id, so that a browser's EventSource resumes from here even before its first event.
                case SUBSCRIBED -> ": subscribed " + position + "\nid: " + position + "\n\n";
                case EVENT -> "id: " + position + "\n" + dataLines(json) + "\n";
                case HEARTBEAT -> ": heartbeat\n\n";
                case SLOW_CONSUMER -> "event: slow-consumer\n" + dataLines(json) + "\n";
            };
            encoded = Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
            sse = encoded;
        }
        return encoded;
    }

    /** An event frame from its position on: {@code <position>","event":<event>}}. */
    String frameTail() {
        String encoded = frameTail;
        if (encoded == null) {
            // Positions are digits, colons and commas; the event is JSON already.
            encoded = position + "\",\"event\":" + json + "}";
            frameTail = encoded;
        }
        return encoded;
    }

    /** Each line its own {@code data:} field (compact JSON has one line; a line break inside a string is escaped). */
    private static String dataLines(String text) {
        var lines = new StringBuilder(text.length() + 8);
        for (String line : text.split("\n", -1)) {
            lines.append("data: ").append(line).append('\n');
        }
        return lines.toString();
    }
}
