package dev.switchboard.platform.bridge;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.switchboard.platform.envelope.AvroJson;
import dev.switchboard.platform.envelope.EventTypePattern;
import dev.switchboard.platform.inbox.IncomingEvent;
import dev.switchboard.platform.inbox.IncomingEvents;
import dev.switchboard.platform.inbox.PoisonEvent;

/**
 * Consumer group {@value #GROUP}: forwards the chosen event types ({@code switchboard.bridge.event-types}) from
 * Kafka (shop.orders and notify-bridge.redrive) to the RabbitMQ topic exchange shop.notifications (channel
 * {@value #OUT}), routing key = event type, persistent, with the envelope of {@link AmqpEnvelope}. A record's
 * processing ends only when RabbitMQ confirmed the message (publisher confirms), and only then is its offset
 * committed: while RabbitMQ is away the route retries with backoff and its partitions wait, losing nothing.
 * Poison (not a CloudEvent, not decodable) goes to notify-bridge.dlq at once.
 */
@ApplicationScoped
class KafkaToRabbitMqBridge {

    static final String GROUP = "notify-bridge";
    static final String OUT = "notifications-out";
    /** The worker pool the bridge waits for confirms on (smallrye.messaging.worker.bridge.max-concurrency). */
    static final String WORKERS = "bridge";

    private final IncomingEvents events;
    private final MutinyEmitter<byte[]> rabbit;
    private final EventTypePattern forwarded;

    KafkaToRabbitMqBridge(IncomingEvents events, @Channel(OUT) MutinyEmitter<byte[]> rabbit, BridgeConfig config) {
        this.events = events;
        this.rabbit = rabbit;
        this.forwarded = EventTypePattern.of(config.eventTypes());
    }

    @Incoming(GROUP)
    // Records of different keys are forwarded concurrently, those of one key one after another, in order
    // (throttled.ordered=key on the channel); each waits for its confirm on a worker of the bridge's own pool.
    @Blocking(value = WORKERS, ordered = false)
    // No limit (maxDuration 0): a broker outage pauses the route instead of dead-lettering what it would forward.
    @Retry(maxRetries = -1, maxDuration = 0, delay = 200, abortOn = PoisonEvent.class)
    @ExponentialBackoff(maxDelay = 10_000)
    void forward(ConsumerRecord<String, byte[]> record) {
        if (!forwarded.matches(IncomingEvents.typeOf(record))) {
            return;
        }
        IncomingEvent event = events.decode(record);
        byte[] body = body(event);
        // Only the send is retried: a confirm lost with a broken connection never arrives, so a send gives up after
        // a while and goes again (the notifier records an event id once, so a message confirmed after all is
        // absorbed there).
        rabbit.sendMessage(Message.of(body).addMetadata(AmqpEnvelope.of(event, event.type())))
                .await().atMost(AmqpEnvelope.CONFIRM_TIMEOUT);
    }

    /** The event's data as JSON; a decoded record that cannot be encoded is poison (no retry changes it). */
    private static byte[] body(IncomingEvent event) {
        try {
            return AvroJson.encode(event.data()).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new PoisonEvent("event " + event.id() + " cannot be written as JSON: " + e.getMessage());
        }
    }
}
