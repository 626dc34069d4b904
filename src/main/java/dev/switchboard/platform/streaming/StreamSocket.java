package dev.switchboard.platform.streaming;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import dev.switchboard.platform.security.Scopes;

/**
 * {@code /ws/streams}: the same streams as {@code GET /streams/{topic}}, several named subscriptions on one socket.
 * Client frames: {@code {"op":"subscribe","subscription":"s1","topic":"shop.orders","types":["order.*"],
 * "subject":"...","from":"latest|earliest|<position>"}}, {@code {"op":"unsubscribe","subscription":"s1"}} and
 * {@code {"op":"auth","token":"..."}} (a fresh token for the socket). Server frames: {@code subscribed} (with the
 * position), {@code event} (with the position and the event), {@code heartbeat}, {@code slow-consumer} (that
 * subscription ended; resume from the position), {@code unsubscribed}, {@code reauth} (the token expires soon),
 * {@code authenticated}, and {@code error} with a code; an error on one subscription never touches the others.
 * Each subscription is sent to as fast as the socket takes it (the next frame waits for the last one's write).
 * <p>
 * The socket opens only with a valid token (checked at the upgrade by SmallRye JWT: the HTTP permission on
 * {@code /ws/*} in application.properties asks for an authenticated caller). Each subscription needs
 * scope {@code streams:<topic>:read} ({@code forbidden} otherwise). When the token expires without an
 * {@code auth} frame bringing a fresh one, the socket is closed with {@value #TOKEN_EXPIRED}.
 */
@WebSocket(path = "/ws/streams", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class StreamSocket {

    private static final Logger LOG = Logger.getLogger(StreamSocket.class);

    /** Close code: the socket's token expired (the client reconnects with a fresh one and resumes). */
    public static final int TOKEN_EXPIRED = 4401;
    /** Close code: the instance is stopping (its streams ended with their positions: resume on another). */
    public static final int GOING_AWAY = 1001;
    /** Close code: the handshake carried no bearer token (the upgrade let it through some other way). */
    public static final int POLICY_VIOLATION = 1008;
    /** Close code: the server failed to open the socket. */
    public static final int INTERNAL_ERROR = 1011;
    /** Close code: the token's subject holds as many sockets as it may. */
    public static final int TOO_MANY_SOCKETS = 4429;

    /** More than this many subscriptions on one socket are refused ({@code too_many_subscriptions}). */
    static final int MAX_SUBSCRIPTIONS = 32;

    /** A client frame. */
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record ClientFrame(String op, String subscription, String topic, List<String> types, String subject,
            String from, String token) {
    }

    /** A server frame; {@code event} is the event's JSON as the SSE stream sends it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record ServerFrame(String op, String subscription, String position, @JsonRawValue String event,
            String code, String message) {
    }

    /** The JSON {@code null}: a frame without a subscription. */
    private static final ClientFrame NO_FRAME = new ClientFrame(null, null, null, null, null, null, null);
    /** A frame that is not JSON (told apart by identity). */
    private static final ClientFrame UNREADABLE = new ClientFrame(null, null, null, null, null, null, null);

    private final StreamHubs hubs;
    private final ObjectMapper json;
    private final JWTParser tokens;
    private final Vertx vertx;
    private final StreamsConfig config;
    /** The open sockets, by connection id (from their opening on, admitted or still being verified). */
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Integer> socketsPerSubject = new ConcurrentHashMap<>();

    StreamSocket(StreamHubs hubs, ObjectMapper json, JWTParser tokens, Vertx vertx,
            StreamsConfig config) {
        this.hubs = hubs;
        this.json = json;
        this.tokens = tokens;
        this.vertx = vertx;
        this.config = config;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        String bearer = bearer(connection);
        if (bearer == null) {
            // Authenticated at the upgrade, yet not by a bearer token: not a caller this protocol knows.
            LOG.warnf("socket %s has no bearer token in its handshake; closed", connection.id());
            closeWith(connection, POLICY_VIOLATION, "unauthenticated");
            return;
        }
        var socket = new Socket(connection, vertx.getOrCreateContext());
        sockets.put(connection.id(), socket);
        socket.open(bearer);
    }

    /**
     * The token the socket was opened with, from its handshake (where Quarkus put it when a browser offered it as a
     * subprotocol). Read there rather than through an injected {@code SecurityIdentity}: that request-scoped bean
     * made Quarkus keep a request context for every socket (bench/streams.sh). Verified again through the
     * parser's cache, so at the cost of a lookup.
     */
    private static String bearer(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    /** Counts a socket for its subject if the subject holds fewer than the limit (atomically, per subject). */
    private boolean admit(String subject) {
        boolean[] admitted = new boolean[1];
        socketsPerSubject.compute(subject, (s, held) -> {
            int now = held == null ? 0 : held;
            admitted[0] = now < config.maxSocketsPerSubject();
            return admitted[0] ? now + 1 : held;
        });
        return admitted[0];
    }

    @OnTextMessage
    @NonBlocking
    void onFrame(String text, WebSocketConnection connection) {
        Socket socket = sockets.get(connection.id());
        if (socket == null) {
            return; // refused at its opening, and closing
        }
        ClientFrame frame;
        try {
            frame = json.readValue(text, ClientFrame.class);
        } catch (JsonProcessingException e) {
            frame = UNREADABLE; // answered in its turn; not with the parser's message, which may quote a token
        }
        socket.receive(frame == null ? NO_FRAME : frame, text.length());
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        Socket socket = sockets.remove(connection.id());
        if (socket != null) {
            socket.close();
            if (socket.admitted()) { // counted once, when its token was accepted
                socketsPerSubject.computeIfPresent(socket.credentials.subject(),
                        (subject, held) -> held <= 1 ? null : held - 1);
            }
        }
    }

    /**
     * This instance stops and its streams ended, each subscription with an {@code ended} frame and its position;
     * then every socket is closed, going away (a moment later, so that those frames are written first).
     */
    void onStreamsStopped(@Observes StreamHubs.Stopped stopped) {
        vertx.setTimer(500, id -> sockets.values().forEach(socket -> closeWith(socket.connection, GOING_AWAY,
                "server_stopping")));
    }

    /** A frame held back, with the length of its text. */
    private record HeldFrame(ClientFrame frame, int length) {
    }

    private static ServerFrame forbidden(String name, String topic) {
        return error(name, "forbidden", "this subscription needs scope " + Scopes.streamRead(topic));
    }

    /**
     * One socket, on its event loop: its token, the timer that warns before the token expires (once per expiry: a
     * token that expires no later than the one it replaces is not warned about again) and then closes the socket,
     * its subscriptions, and the frames held back.
     * <p>
     * Frames are answered one at a time and in the order they came, each on the socket's event loop (the endpoint's
     * methods are {@code @NonBlocking}). What may block goes to a worker: verifying a token (a key set may have to be
     * fetched) and opening a stream (the first subscriber of a topic starts the topic's hub, a Kafka connection).
     * Meanwhile the frames after it are held back; a subscribe holds them until its first frame ({@code subscribed},
     * or an error) is on its way. This order is kept here, not by websockets-next's serial mode, whose queue per
     * connection (Mutiny's MPSC queue of 256 slots, 2 KB) was the largest single share of a socket's heap
     * (bench/streams.sh).
     */
    private final class Socket {

        private final WebSocketConnection connection;
        private final Context context;
        /** The subscriptions open, by name (a writer whose stream ended removes itself, on the hub's thread). */
        private final Map<String, SubscriptionWriter> subscriptions = new ConcurrentHashMap<>();
        /** Null until the token it opened with is verified and the socket admitted. */
        private SocketCredentials credentials;
        private long timer = -1;
        private long warnedFor = -1;
        private boolean closed;
        /** The frames held back while a step runs on a worker (or a subscription opens); null while none does. */
        private ArrayDeque<HeldFrame> held;
        /** The length of their text. */
        private int heldChars;
        /** The subscription whose first frame releases the frames held back. */
        private SubscriptionWriter opening;

        Socket(WebSocketConnection connection, Context context) {
            this.connection = connection;
            this.context = context;
        }

        boolean admitted() {
            return credentials != null;
        }

        /** Verifies the handshake's token (remembered since the upgrade, as a rule) and admits the socket. */
        void open(String bearer) {
            onWorker(() -> SocketCredentials.of(tokens.parse(bearer)), verified -> {
                if (closed) {
                    return;
                }
                if (verified.failed()) {
                    refuseOpening(verified.cause());
                } else if (!admit(verified.result().subject())) {
                    send(connection, error(null, "too_many_sockets", "at most " + config.maxSocketsPerSubject()
                            + " sockets per subject"));
                    closeUnanswered(TOO_MANY_SOCKETS, "too_many_sockets");
                } else {
                    credentials = verified.result();
                    scheduleTimer();
                }
                release();
            });
        }

        private void refuseOpening(Throwable failure) {
            if (failure instanceof ParseException) {
                closeUnanswered(TOKEN_EXPIRED, "token_expired"); // verified at the upgrade, expired since
            } else {
                LOG.errorf(failure, "socket %s failed to open", connection.id());
                closeUnanswered(INTERNAL_ERROR, "internal_error");
            }
        }

        /** Closes the socket with {@code code}; nothing it sent is answered any more. */
        private void closeUnanswered(int code, String reason) {
            closed = true;
            held = null;
            closeWith(connection, code, reason);
        }

        void receive(ClientFrame frame, int length) {
            if (closed) {
                return;
            }
            if (held == null) {
                handle(frame);
            } else if (heldChars + length <= config.maxHeldFrameChars()) {
                held.add(new HeldFrame(frame, length));
                heldChars += length;
            } else {
                // Answering out of turn would break the protocol's order, and dropping the frame its state.
                LOG.warnf("socket %s sent more than %d characters of frames ahead of their answers; closed",
                        connection.id(), config.maxHeldFrameChars());
                send(connection, error(frame.subscription(), "too_many_frames", "at most "
                        + config.maxHeldFrameChars() + " characters of frames may wait for their answers"));
                closeUnanswered(POLICY_VIOLATION, "too_many_frames");
            }
        }

        private void handle(ClientFrame frame) {
            try {
                if (frame == UNREADABLE) {
                    send(connection, error(null, "invalid_frame", "a frame is a JSON object with an op"));
                } else if ("auth".equals(frame.op())) {
                    reauthenticate(frame.token());
                } else if (frame.subscription() == null || frame.subscription().isBlank()) {
                    send(connection, error(null, "invalid_frame", "every frame names its subscription"));
                } else {
                    switch (String.valueOf(frame.op())) {
                        case "subscribe" -> subscribe(frame);
                        case "unsubscribe" -> unsubscribe(frame.subscription());
                        default -> send(connection, error(frame.subscription(), "invalid_frame",
                                "op must be subscribe, unsubscribe or auth, not " + frame.op()));
                    }
                }
            } catch (RuntimeException e) {
                // A failure left uncaught here would close the socket, and every other subscription on it with it.
                LOG.errorf(e, "frame %s of subscription %s failed", frame.op(), frame.subscription());
                send(connection, error(frame.subscription(), "internal_error", "the server failed to handle this"
                        + " frame; the socket's other subscriptions go on"));
            }
        }

        /**
         * Runs {@code step} on a worker and {@code then} back on the event loop, holding back the frames that come
         * meanwhile; {@code then} releases them (or leaves them to the subscription it opened). Whatever
         * {@code then} throws is logged, and the frames are released.
         */
        private <T> void onWorker(Callable<T> step, Consumer<AsyncResult<T>> then) {
            if (held == null) {
                held = new ArrayDeque<>(4);
            }
            context.executeBlocking(step, false).onComplete(result -> {
                try {
                    then.accept(result);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "a step of socket %s failed", connection.id());
                    opening = null;
                    release();
                }
            });
        }

        /** The step that held the frames back is done: they are handled, in order, until one holds them again. */
        private void release() {
            ArrayDeque<HeldFrame> frames = held;
            held = null;
            while (frames != null && !closed && !frames.isEmpty()) {
                HeldFrame next = frames.poll();
                heldChars -= next.length();
                handle(next.frame());
                if (held != null) {
                    held.addAll(frames); // that one went to a worker (or opened a subscription): the rest wait
                    return;
                }
            }
        }

        private void subscribe(ClientFrame frame) {
            String name = frame.subscription();
            String topic = String.valueOf(frame.topic());
            if (subscriptions.containsKey(name)) {
                send(connection, error(name, "duplicate_subscription", "subscription " + name + " is open already"));
                return;
            }
            if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
                send(connection, error(name, "too_many_subscriptions", "at most " + MAX_SUBSCRIPTIONS
                        + " per socket"));
                return;
            }
            // As over HTTP: a topic outside the token's scopes is forbidden whether it exists or not.
            if (!credentials.mayRead(topic)) {
                send(connection, forbidden(name, topic));
                return;
            }
            if (frame.topic() == null || !hubs.streams(topic)) {
                send(connection, error(name, "unknown_topic", "no stream for topic " + frame.topic()));
                return;
            }
            if (frame.types() != null && frame.types().contains(null)) {
                send(connection, error(name, "invalid_frame", "types are event type patterns, strings"));
                return;
            }
            var filter = new StreamFilter(frame.types(), frame.subject());
            onWorker(() -> hubs.subscribe(topic, filter, frame.from(), StreamHubs.Transport.WEBSOCKET), opened -> {
                if (closed) {
                    return; // gone meanwhile: nothing was subscribed yet
                }
                Throwable failure = opened.cause();
                if (opened.succeeded()) {
                    try {
                        start(name, topic, opened.result());
                        return; // its first frame releases the frames held back
                    } catch (RuntimeException e) {
                        opening = null;
                        failure = e;
                    }
                }
                refuse(name, failure);
                release();
            });
        }

        /** Subscribes; the frames held back follow once the subscription's first frame is on its way. */
        private void start(String name, String topic, Flow.Publisher<Delivery> deliveries) {
            var running = new SubscriptionWriter(this, name, topic);
            subscriptions.put(name, running); // before it starts: a stream that ends at once removes it again
            opening = running;
            try {
                deliveries.subscribe(running);
            } catch (RuntimeException e) {
                subscriptions.remove(name, running);
                running.cancel();
                throw e;
            }
        }

        /** A subscription's first frame (or its end) is on its way: if the frames waited for it, they follow. */
        void firstFrameSent(SubscriptionWriter writer) {
            if (opening == writer) {
                opening = null;
                release();
            }
        }

        private void refuse(String name, Throwable failure) {
            if (failure instanceof IllegalArgumentException) {
                send(connection, error(name, "invalid_position", failure.getMessage()));
            } else if (failure instanceof IllegalStateException) { // stopping, or the hub did not reach Kafka
                send(connection, error(name, "unavailable", failure.getMessage()));
            } else {
                LOG.errorf(failure, "subscription %s failed to open", name);
                send(connection, error(name, "internal_error", "the server failed to open this subscription;"
                        + " the socket's other subscriptions go on"));
            }
        }

        private void unsubscribe(String name) {
            SubscriptionWriter running = subscriptions.remove(name);
            if (running == null) {
                send(connection, error(name, "unknown_subscription", "no open subscription " + name));
                return;
            }
            running.cancel();
            send(connection, new ServerFrame("unsubscribed", name, null, null, null, null));
        }

        /**
         * An {@code auth} frame: a fresh token for the same subject replaces the socket's, with its scopes and
         * expiry; a subscription the new scopes no longer allow ends ({@code forbidden}). A token that does not
         * verify changes nothing (the old one still runs out). The token is never logged nor echoed.
         */
        private void reauthenticate(String token) {
            onWorker(() -> SocketCredentials.of(tokens.parse(String.valueOf(token))), verified -> {
                if (!closed) {
                    replaceCredentials(verified);
                }
                release();
            });
        }

        private void replaceCredentials(AsyncResult<SocketCredentials> verified) {
            if (verified.failed()) {
                if (!(verified.cause() instanceof ParseException)) {
                    LOG.errorf(verified.cause(), "a token of socket %s could not be verified", connection.id());
                }
                send(connection, error(null, "invalid_token", "the token did not verify (signature, issuer,"
                        + " audience, expiry); the socket keeps its current one until it expires"));
                return;
            }
            SocketCredentials fresh = verified.result();
            if (!fresh.subject().equals(credentials.subject())) {
                send(connection, error(null, "subject_changed", "a socket keeps its subject; open a new socket for "
                        + "another"));
                return;
            }
            credentials = fresh;
            vertx.cancelTimer(timer);
            scheduleTimer();
            send(connection, new ServerFrame("authenticated", null, null, null, null,
                    "token accepted until " + Instant.ofEpochSecond(fresh.expiresAt())));
            subscriptions.forEach((name, running) -> {
                if (!fresh.mayRead(running.topic)) {
                    running.cancel();
                    subscriptions.remove(name, running);
                    send(connection, forbidden(name, running.topic));
                }
            });
        }

        /** One timer at a time: the warning, unless this token's expiry was warned about already, then the expiry. */
        private void scheduleTimer() {
            if (closed) {
                return;
            }
            long expiresAt = credentials.expiresAt();
            long untilExpiry = Math.max(1, expiresAt * 1000 - System.currentTimeMillis());
            if (expiresAt > warnedFor) {
                long untilWarning = Math.max(1, untilExpiry - config.reauthBefore().toMillis());
                timer = vertx.setTimer(untilWarning, id -> {
                    warn(expiresAt);
                    scheduleTimer();
                });
            } else {
                timer = vertx.setTimer(untilExpiry, id -> {
                    send(connection, error(null, "token_expired", "the token expired; connect again with a fresh"
                            + " one and subscribe from the last positions"));
                    closeWith(connection, TOKEN_EXPIRED, "token_expired");
                });
            }
        }

        private void warn(long expiresAt) {
            warnedFor = expiresAt;
            send(connection, new ServerFrame("reauth", null, null, null, "token_expiring", "the token expires at "
                    + Instant.ofEpochSecond(expiresAt)
                    + "; send {\"op\":\"auth\",\"token\":\"...\"} with a fresh one"));
        }

        void close() {
            closed = true;
            held = null;
            vertx.cancelTimer(timer);
            subscriptions.values().forEach(SubscriptionWriter::cancel);
        }
    }

    /**
     * Writes one subscription's deliveries to its socket, the next only once the last is written, so a socket
     * that does not read fills the subscription's bounded queue (and ends it as slow) instead of the server's
     * memory. An event frame is the subscription's quoted name, made once here, and the frame's end, made once per
     * event however many sockets get it ({@link Delivery#frameTail()}). Each write is followed by a
     * {@link UniSubscriber} of its own rather than callbacks given to {@code subscribe().with(...)}: Mutiny wraps
     * each such callback to capture and restore the request's context, a cost paid per frame. A subscription the
     * server ends (not one the client ended, nor one told it was too slow) gets an {@code ended} frame with the
     * position to subscribe again from.
     */
    private final class SubscriptionWriter implements Flow.Subscriber<Delivery>, UniSubscriber<Void> {

        private final Socket socket;
        private final WebSocketConnection connection;
        private final String name;
        private final String topic;
        private final String head;
        private volatile Flow.Subscription upstream;
        private volatile boolean cancelled;
        /** The position of the last frame written, and whether it told the client it was too slow. */
        private volatile String position;
        private volatile boolean toldSlow;
        /** Its first frame ({@code subscribed}) was handed to the socket. */
        private boolean firstSent;

        SubscriptionWriter(Socket socket, String name, String topic) {
            this.socket = socket;
            this.connection = socket.connection;
            this.name = name;
            this.topic = topic;
            this.head = "{\"op\":\"event\",\"subscription\":" + write(name) + ",\"position\":\"";
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
        public void onNext(Delivery delivery) {
            if (cancelled) {
                return; // ended (unsubscribed, forbidden, socket closed): not one more frame
            }
            if (delivery.position() != null) {
                position = delivery.position();
            }
            toldSlow = delivery.kind() == Delivery.Kind.SLOW_CONSUMER;
            String text = delivery.kind() == Delivery.Kind.EVENT
                    ? head + delivery.frameTail()
                    : write(frameOf(name, delivery));
            connection.sendText(text).subscribe().withSubscriber(this);
            if (!firstSent) {
                firstSent = true;
                released(); // queued after the write just made: what the socket answers next follows it
            }
        }

        /** The frames the socket held back until this subscription's first frame may follow it. */
        private void released() {
            socket.context.runOnContext(first -> socket.firstFrameSent(this));
        }

        /**
         * The last frame was written: the next may follow, in a task of its own (Vert.x may call back while it
         * holds the connection's lock, which another subscription of this socket may be waiting for while it holds
         * its subscriber's).
         */
        @Override
        public void onItem(Void written) {
            socket.context.runOnContext(next -> upstream.request(1));
        }

        /** The last frame could not be written: the socket is going, and this subscription with it. */
        @Override
        public void onFailure(Throwable failure) {
            socket.context.runOnContext(gone -> cancel());
        }

        @Override
        public void onSubscribe(UniSubscription write) {
            // one write at a time; nothing to ask for
        }

        @Override
        public void onError(Throwable failure) {
            socket.subscriptions.remove(name, this);
            send(connection, error(name, "stream_failed", String.valueOf(failure.getMessage())));
            released();
        }

        @Override
        public void onComplete() {
            socket.subscriptions.remove(name, this); // not a newer subscription of the same name
            if (!toldSlow && !cancelled) {
                // The server ended it (its hub stopped): the client subscribes again from the position.
                send(connection, new ServerFrame("ended", name, position, null, "stream_ended",
                        "the stream ended on the server; subscribe again from the position"));
            }
            released();
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

    /** Closes with a code the client acts on; a socket already gone needs nothing more. */
    private static void closeWith(WebSocketConnection connection, int code, String reason) {
        connection.close(new CloseReason(code, reason)).subscribe().with(closed -> {
        }, failure -> {
        });
    }

    private void send(WebSocketConnection connection, ServerFrame frame) {
        connection.sendText(write(frame)).subscribe().with(sent -> {
        }, failure -> {
            // the socket is gone; its subscriptions end with it (onClose)
        });
    }
}
