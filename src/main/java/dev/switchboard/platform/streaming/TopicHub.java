package dev.switchboard.platform.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.platform.schemas.AvroDecoder;

/**
 * The one Kafka consumer of a topic on this instance that feeds every live subscriber of it (its own thread; no
 * consumer group, no commits: it reads every partition from the end it found at start). A subscriber that starts
 * from an older position catches up through a reader of its own, which replays to that subscriber alone and hands
 * it over to the hub at the hub's position when it registered, with no gap and no duplicate.
 */
final class TopicHub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicHub.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a catch-up waits for a subscriber that does not take what it reads before calling it slow. */
    private static final long CATCH_UP_PATIENCE_MS = 30_000;

    /** Where a new subscriber starts. */
    sealed interface Start {
        record Latest() implements Start {
        }

        record Earliest() implements Start {
        }

        record At(StreamPosition position) implements Start {
        }
    }

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final AvroDecoder decoder;
    private final ObjectMapper json;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final List<Subscriber> subscribers = new ArrayList<>(); // hub thread only
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile List<TopicPartition> partitions = List.of();
    private StreamPosition position; // hub thread only: the next offset of every partition

    TopicHub(String topic, Map<String, Object> consumerConfig, AvroDecoder decoder, ObjectMapper json) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.decoder = decoder;
        this.json = json;
        this.thread = Thread.ofPlatform().name("stream-hub-" + topic).daemon().unstarted(this::run);
    }

    /** Starts reading; answers once the hub knows its partitions and their end offsets. */
    void start() throws InterruptedException {
        thread.start();
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the stream hub of " + topic + " did not reach Kafka within 30 s");
        }
    }

    /** The topic's partitions, for checking a client's position. */
    List<TopicPartition> partitions() {
        return partitions;
    }

    /** Registers a subscriber on the hub's thread, at the hub's current position. */
    void subscribe(Subscriber subscriber, Start start) {
        commands.add(() -> {
            StreamPosition handOver = position;
            if (start instanceof Start.Latest) {
                subscriber.start(handOver, true);
            } else {
                Thread.ofVirtual().name("stream-catch-up-" + topic).start(() -> catchUp(subscriber, start, handOver));
            }
            subscribers.add(subscriber);
        });
    }

    private void run() {
        try (var consumer = new KafkaConsumer<String, byte[]>(consumerConfig)) {
            partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            var next = new HashMap<Integer, Long>();
            partitions.forEach(p -> next.put(p.partition(), consumer.position(p)));
            position = new StreamPosition(next);
            started.countDown();
            while (running) {
                for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
                    command.run();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    position = position.after(record.partition(), record.offset());
                    dispatch(new DecodedRecord(record));
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "the stream hub of %s stopped", topic);
            subscribers.forEach(Subscriber::end);
        }
    }

    private void dispatch(DecodedRecord record) {
        Delivery delivery = null;
        boolean undecodable = false;
        for (var it = subscribers.iterator(); it.hasNext();) {
            Subscriber subscriber = it.next();
            if (subscriber.closed()) {
                it.remove();
            } else if (!undecodable && subscriber.wants(record)) {
                if (delivery == null) {
                    String event = record.json(position, decoder, json);
                    undecodable = event == null;
                    delivery = undecodable ? null : Delivery.event(position.toString(), event);
                }
                if (delivery != null) {
                    subscriber.live(record, delivery);
                }
            }
        }
    }

    /** Replays to one subscriber from its start up to the hub's position when it registered, then hands over. */
    private void catchUp(Subscriber subscriber, Start start, StreamPosition handOver) {
        try (var consumer = new KafkaConsumer<String, byte[]>(consumerConfig)) {
            List<TopicPartition> all = partitions;
            consumer.assign(all);
            if (start instanceof Start.At at) {
                for (TopicPartition p : all) {
                    Long from = at.position().next().get(p.partition());
                    if (from == null) {
                        consumer.seekToBeginning(List.of(p));
                    } else {
                        consumer.seek(p, from);
                    }
                }
            } else {
                consumer.seekToBeginning(all);
            }
            var next = new HashMap<Integer, Long>();
            all.forEach(p -> next.put(p.partition(), consumer.position(p)));
            StreamPosition mine = new StreamPosition(next);
            subscriber.start(mine, false);
            while (!subscriber.closed() && !reached(consumer, all, handOver)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= handOver.next().getOrDefault(record.partition(), 0L)) {
                        continue; // the hub delivers it
                    }
                    mine = mine.after(record.partition(), record.offset());
                    var decoded = new DecodedRecord(record);
                    if (subscriber.wants(decoded)) {
                        String event = decoded.json(mine, decoder, json);
                        if (event != null && !subscriber.caughtUpTo(Delivery.event(mine.toString(), event),
                                CATCH_UP_PATIENCE_MS)) {
                            return;
                        }
                    }
                }
            }
            subscriber.caughtUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscriber.end();
        } catch (RuntimeException e) {
            LOG.warnf(e, "a catch-up on %s failed", topic);
            subscriber.end();
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, List<TopicPartition> all, StreamPosition target) {
        for (TopicPartition p : all) {
            if (consumer.position(p) < target.next().getOrDefault(p.partition(), 0L)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
