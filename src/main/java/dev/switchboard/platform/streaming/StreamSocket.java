package dev.switchboard.platform.streaming;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * {@code /ws/streams}: the same streams as {@code GET /streams/{topic}}, several named subscriptions on one socket.
 * Client frames: {@code {"op":"subscribe","subscription":"s1","topic":"shop.orders","types":["order.*"],
 * "subject":"...","from":"latest|earliest|<position>"}} and {@code {"op":"unsubscribe","subscription":"s1"}}.
 * Server frames: {@code subscribed} (with the position), {@code event} (with the position and the event),
 * {@code heartbeat}, {@code slow-consumer} (that subscription ended; resume from the position),
 * {@code unsubscribed}, and {@code error} with a code; an error on one subscription never touches the others.
 * Each subscription is sent to as fast as the socket takes it (the next frame waits for the last one's write).
 */
@WebSocket(path = "/ws/streams")
public class StreamSocket {

    /** More than this many subscriptions on one socket are refused ({@code too_many_subscriptions}). */
    static final int MAX_SUBSCRIPTIONS = 32;

    /** A client frame. */
    public record ClientFrame(String op, String subscription, String topic, List<String> types, String subject,
            String from) {
    }

    /** A server frame; {@code event} is the event's JSON as the SSE stream sends it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServerFrame(String op, String subscription, String position, @JsonRawValue String event,
            String code, String message) {
    }

    private final StreamHubs hubs;
    private final ObjectMapper json;
    private final Map<String, Map<String, Cancellable>> subscriptions = new ConcurrentHashMap<>();

    StreamSocket(StreamHubs hubs, ObjectMapper json) {
        this.hubs = hubs;
        this.json = json;
    }

    @OnTextMessage
    void onFrame(String text, WebSocketConnection connection) {
        ClientFrame frame;
        try {
            frame = json.readValue(text, ClientFrame.class);
        } catch (JsonProcessingException e) {
            send(connection, error(null, "invalid_frame", "a frame is a JSON object with an op: "
                    + e.getOriginalMessage()));
            return;
        }
        if (frame == null || frame.subscription() == null || frame.subscription().isBlank()) {
            send(connection, error(null, "invalid_frame", "every frame names its subscription"));
            return;
        }
        switch (String.valueOf(frame.op())) {
            case "subscribe" -> subscribe(frame, connection);
            case "unsubscribe" -> unsubscribe(frame.subscription(), connection);
            default -> send(connection, error(frame.subscription(), "invalid_frame",
                    "op must be subscribe or unsubscribe, not " + frame.op()));
        }
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        Map<String, Cancellable> open = subscriptions.remove(connection.id());
        if (open != null) {
            open.values().forEach(Cancellable::cancel);
        }
    }

    private void subscribe(ClientFrame frame, WebSocketConnection connection) {
        String name = frame.subscription();
        Map<String, Cancellable> open = subscriptions.computeIfAbsent(connection.id(), id -> new ConcurrentHashMap<>());
        if (open.containsKey(name)) {
            send(connection, error(name, "duplicate_subscription", "subscription " + name + " is open already"));
            return;
        }
        if (open.size() >= MAX_SUBSCRIPTIONS) {
            send(connection, error(name, "too_many_subscriptions", "at most " + MAX_SUBSCRIPTIONS + " per socket"));
            return;
        }
        if (frame.topic() == null || !hubs.streams(frame.topic())) {
            send(connection, error(name, "unknown_topic", "no stream for topic " + frame.topic()));
            return;
        }
        Cancellable running;
        try {
            running = hubs.subscribe(frame.topic(), new StreamFilter(frame.types(), frame.subject()), frame.from())
                    .onItem().call(delivery -> sendAsync(connection, frameOf(name, delivery)))
                    .subscribe().with(delivery -> {
                    }, failure -> {
                        open.remove(name);
                        send(connection, error(name, "stream_failed", String.valueOf(failure.getMessage())));
                    }, () -> open.remove(name));
        } catch (IllegalArgumentException e) {
            send(connection, error(name, "invalid_position", e.getMessage()));
            return;
        } catch (IllegalStateException e) {
            send(connection, error(name, "unavailable", e.getMessage()));
            return;
        }
        open.put(name, running);
    }

    private void unsubscribe(String name, WebSocketConnection connection) {
        Map<String, Cancellable> open = subscriptions.getOrDefault(connection.id(), Map.of());
        Cancellable running = open.remove(name);
        if (running == null) {
            send(connection, error(name, "unknown_subscription", "no open subscription " + name));
            return;
        }
        running.cancel();
        send(connection, new ServerFrame("unsubscribed", name, null, null, null, null));
    }

    private static ServerFrame frameOf(String name, Delivery delivery) {
        return switch (delivery.kind()) {
            case SUBSCRIBED -> new ServerFrame("subscribed", name, delivery.position(), null, null, null);
            case EVENT -> new ServerFrame("event", name, delivery.position(), delivery.json(), null, null);
            case HEARTBEAT -> new ServerFrame("heartbeat", name, null, null, null, null);
            case SLOW_CONSUMER -> new ServerFrame("slow-consumer", name, delivery.position(), null, "slow_consumer",
                    "the subscription fell behind and was closed; subscribe again from the position");
        };
    }

    private static ServerFrame error(String name, String code, String message) {
        return new ServerFrame("error", name, null, null, code, message);
    }

    private Uni<Void> sendAsync(WebSocketConnection connection, ServerFrame frame) {
        try {
            return connection.sendText(json.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private void send(WebSocketConnection connection, ServerFrame frame) {
        sendAsync(connection, frame).subscribe().with(sent -> {
        }, failure -> {
            // the socket is gone; its subscriptions end with it (onClose)
        });
    }
}
