package dev.switchboard.platform.streaming;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;

import dev.switchboard.platform.schemas.AvroDecoder;

/**
 * The streams of this instance: one {@link TopicHub} per subscribed topic (started at its first subscriber), and
 * each subscription as a publisher of deliveries with heartbeats, whatever the transport. A plain
 * {@link Flow.Publisher} that its transport subscribes to directly, not a Mutiny {@code Multi}: every Mutiny stage
 * captures and restores the request's context (OpenTelemetry's among it) for each item, and with thousands of
 * subscribers that was a tenth of the service's CPU (bench/streams.sh).
 */
@ApplicationScoped
public class StreamHubs {

    private final StreamsConfig config;
    private final AvroDecoder decoder;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Map<String, Object> consumerConfig;
    private final Map<String, TopicHub> hubs = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final Map<String, AtomicInteger> subscriberCounts = new ConcurrentHashMap<>();
    private final Event<Stopped> stopped;
    private final Optional<Duration> shutdownDelay;
    private volatile boolean stopping;

    /** This instance's streams have ended because it stops (each subscriber told where to resume). */
    public record Stopped() {
    }

    /** A subscription refused because this instance is stopping: the client subscribes on another. */
    public static final class Stopping extends IllegalStateException {
        Stopping() {
            super("this instance is stopping; subscribe again (another instance takes it)");
        }
    }

    StreamHubs(StreamsConfig config, AvroDecoder decoder, ObjectMapper json, Vertx vertx, MeterRegistry metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Event<Stopped> stopped,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
        this.config = config;
        this.stopped = stopped;
        this.shutdownDelay = shutdownDelay;
        this.metrics = metrics;
        this.decoder = decoder;
        this.json = json;
        this.vertx = vertx;
        // No group: a hub reads every partition and commits nothing; each instance has its own.
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    public boolean streams(String topic) {
        return config.topics().contains(topic);
    }

    /**
     * A subscription to a configured topic: events that pass the filter from {@code from} on ({@code latest} when
     * null, {@code earliest}, or a position), with heartbeats.
     *
     * @throws IllegalArgumentException
     *             when {@code from} is not a position of this topic
     * @throws Stopping
     *             when this instance is stopping
     */
    public Flow.Publisher<Delivery> subscribe(String topic, StreamFilter filter, String from, Transport transport) {
        if (stopping) {
            throw new Stopping();
        }
        TopicHub hub = hub(topic);
        TopicHub.Start start = start(hub, from);
        AtomicInteger open = subscribers(topic, transport);
        return downstream -> {
            open.incrementAndGet();
            long[] heartbeat = {-1};
            var subscriber = new Subscriber(filter, config.bufferSize(), downstream, ended -> {
                open.decrementAndGet();
                vertx.cancelTimer(heartbeat[0]);
                hub.unsubscribe(ended);
            });
            // Each its own timer, started when it subscribed: heartbeats are spread out, and they go on while the
            // hub is busy or waits for the registry.
            heartbeat[0] = vertx.setPeriodic(config.heartbeat().toMillis(), id -> subscriber.heartbeat());
            downstream.onSubscribe(subscriber);
            hub.subscribe(subscriber, start);
        };
    }

    /** How a subscriber is connected, the tag of {@code switchboard.stream.subscribers}. */
    public enum Transport {
        SSE("sse"), WEBSOCKET("websocket");

        final String tag;

        Transport(String tag) {
            this.tag = tag;
        }
    }

    /** The gauge {@code switchboard.stream.subscribers} of a topic and transport: streams open now. */
    private AtomicInteger subscribers(String topic, Transport transport) {
        return subscriberCounts.computeIfAbsent(topic + " " + transport.tag, key -> metrics.gauge(
                "switchboard.stream.subscribers", Tags.of("topic", topic, "transport", transport.tag),
                new AtomicInteger()));
    }

    private static TopicHub.Start start(TopicHub hub, String from) {
        if (from == null || from.isBlank() || from.equals("latest")) {
            return new TopicHub.Start.Latest();
        }
        if (from.equals("earliest")) {
            return new TopicHub.Start.Earliest();
        }
        StreamPosition position = StreamPosition.parse(from);
        for (int partition : position.next().keySet()) {
            if (hub.partitions().stream().noneMatch(p -> p.partition() == partition)) {
                throw new IllegalArgumentException("partition " + partition + " is not one of "
                        + hub.partitions().size() + " partitions of " + hub.partitions().getFirst().topic());
            }
        }
        return new TopicHub.Start.At(position);
    }

    /** The topic's hub, started if it has none yet or its last one stopped (Kafka refused it, say). */
    private TopicHub hub(String topic) {
        return hubs.compute(topic, (name, current) -> {
            if (current != null && current.running()) {
                return current;
            }
            var hub = new TopicHub(name, consumerConfig, decoder, json);
            try {
                hub.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return hub;
        });
    }

    /**
     * A stop begins with the shutdown delay, while readiness is down and requests are still served; when it is
     * over, the streams end, so that their clients resume on another instance and the shutdown's wait for requests
     * in flight is not spent on streams, which never finish by themselves.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        long delay = shutdownDelay.map(Duration::toMillis).orElse(0L);
        Thread.ofVirtual().name("streams-stop").start(() -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop();
        });
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop(); // without a delay, the delay's event never came
    }

    /** Ends every stream, each subscriber with the position to resume from, and refuses new ones. */
    synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        hubs.values().forEach(TopicHub::close);
        stopped.fire(new Stopped());
    }

    @PreDestroy
    void close() {
        hubs.values().forEach(TopicHub::close);
    }
}
