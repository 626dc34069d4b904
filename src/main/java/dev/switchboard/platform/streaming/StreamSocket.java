package dev.switchboard.platform.streaming;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.subscription.MultiSubscriber;

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
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record ClientFrame(String op, String subscription, String topic, List<String> types, String subject,
            String from) {
    }

    /** A server frame; {@code event} is the event's JSON as the SSE stream sends it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record ServerFrame(String op, String subscription, String position, @JsonRawValue String event,
            String code, String message) {
    }

    private final StreamHubs hubs;
    private final ObjectMapper json;
    private final Map<String, Map<String, SubscriptionWriter>> subscriptions = new ConcurrentHashMap<>();

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
        Map<String, SubscriptionWriter> open = subscriptions.remove(connection.id());
        if (open != null) {
            open.values().forEach(SubscriptionWriter::cancel);
        }
    }

    private void subscribe(ClientFrame frame, WebSocketConnection connection) {
        String name = frame.subscription();
        Map<String, SubscriptionWriter> open = subscriptions.computeIfAbsent(connection.id(),
                id -> new ConcurrentHashMap<>());
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
        SubscriptionWriter running;
        try {
            running = new SubscriptionWriter(connection, name, open);
            hubs.subscribe(frame.topic(), new StreamFilter(frame.types(), frame.subject()), frame.from(),
                    StreamHubs.Transport.WEBSOCKET)
                    .subscribe().withSubscriber(running);
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
        Map<String, SubscriptionWriter> open = subscriptions.getOrDefault(connection.id(), Map.of());
        SubscriptionWriter running = open.remove(name);
        if (running == null) {
            send(connection, error(name, "unknown_subscription", "no open subscription " + name));
            return;
        }
        running.cancel();
        send(connection, new ServerFrame("unsubscribed", name, null, null, null, null));
    }

    /**
     * Writes one subscription's deliveries to its socket, the next only once the last is written, so a socket
     * that does not read fills the subscription's bounded queue (and ends it as slow) instead of the server's
     * memory. An event frame is put together from strings made once (the subscription's quoted name here, the
     * event's JSON once per event in the hub): thousands of sockets share the work of encoding each event. A
     * subscription the server ends (not one the client ended, nor one told it was too slow) gets an {@code ended}
     * frame with the position to subscribe again from.
     */
    private final class SubscriptionWriter implements MultiSubscriber<Delivery> {

        private final WebSocketConnection connection;
        private final String name;
        private final String head;
        private final Map<String, SubscriptionWriter> open;
        private volatile Flow.Subscription upstream;
        private volatile boolean cancelled;
        /** The position of the last frame written, and whether it told the client it was too slow. */
        private volatile String position;
        private volatile boolean toldSlow;

        SubscriptionWriter(WebSocketConnection connection, String name, Map<String, SubscriptionWriter> open) {
            this.connection = connection;
            this.name = name;
            this.head = "{\"op\":\"event\",\"subscription\":" + write(name) + ",\"position\":\"";
            this.open = open;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            if (cancelled) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onItem(Delivery delivery) {
            if (delivery.position() != null) {
                position = delivery.position();
            }
            toldSlow = delivery.kind() == Delivery.Kind.SLOW_CONSUMER;
            String text = delivery.kind() == Delivery.Kind.EVENT
                    // positions are digits, colons and commas; the event is JSON already
                    ? head + delivery.position() + "\",\"event\":" + delivery.json() + "}"
                    : write(frameOf(name, delivery));
            connection.sendText(text).subscribe().with(sent -> upstream.request(1), failure -> cancel());
        }

        @Override
        public void onFailure(Throwable failure) {
            open.remove(name, this);
            send(connection, error(name, "stream_failed", String.valueOf(failure.getMessage())));
        }

        @Override
        public void onCompletion() {
            open.remove(name, this); // not a newer subscription of the same name
            if (!toldSlow && !cancelled) {
                // The server ended it (its hub stopped): the client subscribes again from the position.
                send(connection, new ServerFrame("ended", name, position, null, "stream_ended",
                        "the stream ended on the server; subscribe again from the position"));
            }
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription subscription = upstream;
            if (subscription != null) {
                subscription.cancel();
            }
        }
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

    /** A frame, or a string, as JSON text. */
    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(WebSocketConnection connection, ServerFrame frame) {
        connection.sendText(write(frame)).subscribe().with(sent -> {
        }, failure -> {
            // the socket is gone; its subscriptions end with it (onClose)
        });
    }
}
