package dev.switchboard.platform.deadletter;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

import dev.switchboard.platform.inbox.PoisonEvent;

/**
 * How a RabbitMQ consumer settles a message (channels with {@code failure-strategy=reject} on a quorum queue with
 * {@code x-delivery-limit} and a DLX into {@code <queue>.dlq}): processed, it is acked; poison (a
 * {@link PoisonEvent}: malformed, invalid) goes to {@code <queue>.dlq} at once with its reason, then is acked; any
 * other failure is retried in place with backoff, then rejected with requeue, so that the broker delivers it again
 * later and, past the queue's delivery limit, dead-letters it itself (x-death reason {@code delivery_limit}).
 */
@ApplicationScoped
public class RabbitMqDeliveries {

    private static final Metadata REQUEUE = Metadata.of(new RabbitMQRejectMetadata(true));

    private final RabbitMqDeadLetters deadLetters;

    RabbitMqDeliveries(RabbitMqDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public Uni<Void> settle(Message<byte[]> message, String queue, Supplier<Uni<?>> processing) {
        return Uni.createFrom().deferred(processing)
                .onFailure(failure -> !(failure instanceof PoisonEvent)).retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(3)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure(PoisonEvent.class).recoverWithUni(poison -> deadLetters.park(message, queue, poison)
                        .chain(() -> Uni.createFrom().completionStage(message.ack())))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(message.nack(failure,
                        REQUEUE)));
    }
}
