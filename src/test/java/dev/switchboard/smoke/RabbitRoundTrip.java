package dev.switchboard.smoke;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes to the RabbitMQ topic exchange {@code switchboard.smoke} (channel {@value #OUT}) and keeps what
 * channel {@value #IN} consumes from the quorum queue {@code switchboard.smoke} bound to it.
 */
@ApplicationScoped
public class RabbitRoundTrip {

    static final String OUT = "smoke-rabbit-out";
    static final String IN = "smoke-rabbit-in";

    private final MutinyEmitter<String> emitter;
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    RabbitRoundTrip(@Channel(OUT) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Completes once RabbitMQ confirmed the message. */
    Uni<Void> send(String body) {
        return emitter.send(body);
    }

    @Incoming(IN)
    void receive(String body) {
        received.add(body);
    }

    boolean received(String body) {
        return received.contains(body);
    }
}
