package dev.switchboard.platform.streaming;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * What a stream sends: that it is subscribed, an event (its position and its JSON), a heartbeat, or the notice to
 * a subscriber that fell behind (then the stream ends; resume from the position).
 * <p>
 * An event is encoded for the wire once, however many subscribers get it: as Server-Sent Events bytes that every
 * SSE response writes as they are (Vert.x writes a slice of the same buffer), and as the end of a WebSocket event
 * frame, which each socket only prefixes with its subscription's name. With thousands of subscribers this
 * per-delivery work was most of a stream's cost (bench/streams.sh).
 */
public final class Delivery {

    public enum Kind {
        SUBSCRIBED, EVENT, HEARTBEAT, SLOW_CONSUMER
    }

    private static final Delivery HEARTBEAT = new Delivery(Kind.HEARTBEAT, null, null, ": heartbeat\n\n");

    private final Kind kind;
    private final String position;
    private final String json;
    private final Buffer sse;
    private final String frameTail;

    private Delivery(Kind kind, String position, String json, String sse) {
        this.kind = kind;
        this.position = position;
        this.json = json;
        this.sse = Buffer.buffer(sse.getBytes(StandardCharsets.UTF_8));
        // Positions are digits, colons and commas; the event is JSON already.
        this.frameTail = kind == Kind.EVENT ? position + "\",\"event\":" + json + "}" : null;
    }

    /** The first delivery of every stream: the subscription is in place, from this position on. */
    static Delivery subscribed(String position) {
        // With an id, so that a browser's EventSource resumes from here even before its first event.
        return new Delivery(Kind.SUBSCRIBED, position, null, ": subscribed " + position + "\nid: " + position + "\n\n");
    }

    static Delivery event(String position, String json) {
        return new Delivery(Kind.EVENT, position, json, "id: " + position + "\n" + dataLines(json) + "\n");
    }

    static Delivery heartbeat() {
        return HEARTBEAT;
    }

    static Delivery slowConsumer(String position) {
        String json = "{\"code\":\"slow_consumer\",\"message\":\"the stream fell behind and was closed; resume from the"
                + " position\",\"position\":\"" + position + "\"}";
        return new Delivery(Kind.SLOW_CONSUMER, position, json, "event: slow-consumer\n" + dataLines(json) + "\n");
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
        return sse;
    }

    /** An event frame from its position on: {@code <position>","event":<event>}}. */
    String frameTail() {
        return frameTail;
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
