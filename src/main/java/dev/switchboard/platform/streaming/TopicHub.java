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

    boolean running() {
        return running;
    }

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
    private KafkaConsumer<String, byte[]> consumer; // hub thread only

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
            close();
            throw new IllegalStateException("the stream hub of " + topic + " did not reach Kafka within 30 s");
        }
    }

    /** The topic's partitions, for checking a client's position. */
    List<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * Registers a subscriber on the hub's thread, at the hub's current position: live from there, or from its own
     * start (the earliest retained record, or a client's position kept within the log) through a catch-up.
     */
    void subscribe(Subscriber subscriber, Start start) {
        commands.add(() -> {
            if (!running) {
                subscriber.end(); // the hub stopped before it got to this one: the client reconnects
                return;
            }
            if (subscriber.closed()) {
                return; // cancelled before the hub got to it: no catch-up, no place in the list
            }
            StreamPosition handOver = position;
            if (start instanceof Start.Latest) {
                subscriber.start(handOver, true);
            } else {
                StreamPosition from = within(start instanceof Start.At at ? at.position().next() : Map.of(),
                        handOver);
                subscriber.start(from, false);
                Thread.ofVirtual().name("stream-catch-up-" + topic).start(() -> catchUp(subscriber, from, handOver));
            }
            subscribers.add(subscriber);
        });
        runCommandsIfStopped();
    }

    /** Drops a subscriber whose stream ended (on the hub's thread, so a quiet topic does not keep it). */
    void unsubscribe(Subscriber subscriber) {
        commands.add(() -> {
            if (running) { // once stopped the list is the final loop's, and then dropped
                subscribers.remove(subscriber);
            }
        });
    }

    /**
     * Commands queued after the hub's thread ran its last ones would wait forever: once it has stopped, the caller
     * runs them (a subscribe then ends its subscriber, who reconnects to a new hub).
     */
    private void runCommandsIfStopped() {
        if (!running) {
            for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
                command.run();
            }
        }
    }

    /**
     * A start position inside the log: a partition missing or below its first retained record starts there (the
     * records before are gone), one beyond the hub's position (a topic created again) starts at the hub's.
     */
    private StreamPosition within(Map<Integer, Long> asked, StreamPosition handOver) {
        Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
        var next = new HashMap<Integer, Long>();
        for (TopicPartition p : partitions) {
            long wanted = asked.getOrDefault(p.partition(), 0L);
            next.put(p.partition(), Math.min(Math.max(wanted, first.get(p)), handOver.next().get(p.partition())));
        }
        return new StreamPosition(next);
    }

    private void run() {
        try (var kafka = new KafkaConsumer<String, byte[]>(consumerConfig)) {
            consumer = kafka;
            partitions = kafka.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            var next = new HashMap<Integer, Long>();
            partitions.forEach(p -> next.put(p.partition(), kafka.position(p)));
            position = new StreamPosition(next);
            started.countDown();
            while (running) {
                for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
                    command.run();
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                    position = position.after(record.partition(), record.offset());
                    dispatchPatiently(new DecodedRecord(record));
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "the stream hub of %s stopped", topic);
        } finally {
            running = false; // the next subscriber of the topic gets a new hub
            subscribers.forEach(Subscriber::end);
            for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
                command.run(); // a queued subscribe now ends its subscriber
            }
        }
    }

    /**
     * Delivers a record, waiting out a registry outage (decoding needs its schema): the record is delivered once the
     * registry answers, to no one before, so nothing is skipped and the hub keeps going.
     */
    private void dispatchPatiently(DecodedRecord record) {
        for (long backoff = 200; running; backoff = Math.min(backoff * 2, 10_000)) {
            try {
                dispatch(record);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("the stream hub of %s cannot decode %d@%d yet (%s); trying again in %d ms", topic,
                        record.partition(), record.offset(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Hands a record to the subscribers that want it, decoded and encoded once however many they are. */
    private void dispatch(DecodedRecord record) {
        Delivery delivery = null;
        // Subscribers often share a filter (a page's, a service's): it is tested once for a run of them.
        StreamFilter lastFilter = null;
        boolean lastWanted = false;
        for (var it = subscribers.iterator(); it.hasNext();) {
            Subscriber subscriber = it.next();
            if (subscriber.closed()) {
                it.remove();
                continue;
            }
            if (!subscriber.filter().equals(lastFilter)) {
                lastFilter = subscriber.filter();
                lastWanted = subscriber.wants(record);
            }
            if (lastWanted) {
                if (delivery == null) {
                    String event = record.json(position, decoder, json);
                    if (event == null) {
                        return; // undecodable: the consumer groups dead-letter it, streams have nothing to show
                    }
                    delivery = Delivery.event(position.toString(), event);
                }
                try {
                    subscriber.live(record, delivery);
                } catch (RuntimeException e) {
                    // Its own failure: the others still get the record, once (a throw from here would send it again).
                    LOG.warnf(e, "a subscriber of %s failed on %d@%d; its stream ends", topic, record.partition(),
                            record.offset());
                    subscriber.cancel();
                }
            }
        }
    }

    /** Replays to one subscriber from its start up to the hub's position when it registered, then hands over. */
    private void catchUp(Subscriber subscriber, StreamPosition from, StreamPosition handOver) {
        try (var reader = new KafkaConsumer<String, byte[]>(consumerConfig)) {
            List<TopicPartition> all = partitions;
            reader.assign(all);
            all.forEach(p -> reader.seek(p, from.next().get(p.partition())));
            StreamPosition mine = from;
            while (!subscriber.closed() && !reached(reader, all, handOver)) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
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
