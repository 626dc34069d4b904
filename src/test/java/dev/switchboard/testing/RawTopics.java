package dev.switchboard.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka as an outside party sees it: a tail of raw records on some topics, a producer of raw records (to inject
 * poison or duplicates), and the consumer groups' committed offsets (to wait until a group has read everything).
 */
public final class RawTopics implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private RawTopics(Collection<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RawKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        var partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Reads what the topics receive from now on. */
    public static RawTopics tail(String... topics) {
        return new RawTopics(List.of(topics));
    }

    /** Polls until the records read so far satisfy the condition; answers them all, in arrival order. */
    public List<ConsumerRecord<String, byte[]>> readUntil(Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " with " + seen.size() + " records read");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static RecordMetadata produce(ProducerRecord<String, byte[]> record) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RawKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new AssertionError("cannot produce to " + record.topic(), e);
        }
    }

    /** Sends records in order through one producer and waits until the broker acknowledged them all. */
    public static void produceAll(List<ProducerRecord<String, byte[]>> records) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RawKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /** Sends records in order, each as it was consumed: same topic, key, headers and bytes. */
    public static void redeliver(List<ConsumerRecord<String, byte[]>> records) {
        for (var record : records) {
            produce(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()));
        }
    }

    /** The end offsets of every partition of the topics. */
    public static Map<TopicPartition, Long> endOffsets(String... topics) {
        try (var admin = admin()) {
            var partitions = new HashMap<TopicPartition, OffsetSpec>();
            admin.describeTopics(List.of(topics)).allTopicNames().get().forEach((topic, description) -> description
                    .partitions().forEach(p -> partitions.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest())));
            var ends = new HashMap<TopicPartition, Long>();
            admin.listOffsets(partitions).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new AssertionError("cannot read the end offsets of " + List.of(topics), e);
        }
    }

    /** Whether the group has committed every record now on the topics. */
    public static boolean caughtUp(String group, String... topics) {
        try (var admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return endOffsets(topics).entrySet().stream().allMatch(end -> {
                OffsetAndMetadata at = committed.get(end.getKey());
                return (at == null ? 0 : at.offset()) >= end.getValue();
            });
        } catch (Exception e) {
            throw new AssertionError("cannot read the offsets of group " + group, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RawKafka.bootstrapServers()));
    }
}
