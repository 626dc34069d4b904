package dev.switchboard.platform.kafka;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * {@code switchboard.consumer.lag} by group, topic and partition: the log end offset less the group's committed
 * offset, read with the admin API every 10 s. Read from the broker rather than from the consumers' own client
 * metrics, so a group whose consumer is stuck, or gone, still shows its lag growing; a partition the group never
 * committed on counts from its earliest record, where the group would start. The groups are those of this service's
 * enabled Kafka channels, on every partition of the topics they read.
 */
@ApplicationScoped
class ConsumerLagMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry registry;
    private final Map<String, Set<String>> groups;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private Admin admin;

    ConsumerLagMetrics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry,
            Config config) {
        this.kafkaConfig = kafkaConfig;
        this.registry = registry;
        this.groups = groupsOf(config);
    }

    /** The group ids of the enabled incoming channels of the Kafka connector, each with the topics it reads. */
    static Map<String, Set<String>> groupsOf(Config config) {
        String prefix = "mp.messaging.incoming.";
        Map<String, Set<String>> groups = new TreeMap<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(prefix) && name.endsWith(".group.id"))
                .map(name -> name.substring(prefix.length(), name.length() - ".group.id".length()))
                .filter(channel -> config.getOptionalValue(prefix + channel + ".connector", String.class)
                        .orElse("").equals("smallrye-kafka"))
                .filter(channel -> config.getOptionalValue(prefix + channel + ".enabled", Boolean.class).orElse(true))
                .forEach(channel -> {
                    String topics = config.getOptionalValue(prefix + channel + ".topics", String.class)
                            .or(() -> config.getOptionalValue(prefix + channel + ".topic", String.class))
                            .orElse(channel);
                    groups.computeIfAbsent(config.getValue(prefix + channel + ".group.id", String.class),
                            group -> new TreeSet<>()).addAll(Arrays.asList(topics.split("\\s*,\\s*")));
                });
        return groups;
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class) // not while shutting down: the pools are closing
    synchronized void refresh() {
        if (admin == null) {
            admin = KafkaAdmins.create(kafkaConfig);
        }
        for (var entry : groups.entrySet()) {
            String group = entry.getKey();
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
                admin.describeTopics(entry.getValue()).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .values().forEach(topic -> topic.partitions().forEach(p -> partitions
                                .add(new TopicPartition(topic.name(), p.partition()))));
                Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata at = committed.get(partition);
                    // Never committed: the group starts from the earliest record (auto.offset.reset=earliest).
                    long from = at != null ? at.offset() : starts.getOrDefault(partition, 0L);
                    lag(group, partition).set(Math.max(0, ends.getOrDefault(partition, from) - from));
                }
            } catch (Exception e) {
                // Kafka away: this group's gauges keep their last values; readiness reports the outage.
                LOG.debugf("consumer lag of %s not refreshed: %s", group, e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        var request = new HashMap<TopicPartition, OffsetSpec>();
        partitions.forEach(partition -> request.put(partition, spec));
        var answers = admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var offsets = new HashMap<TopicPartition, Long>();
        answers.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private AtomicLong lag(String group, TopicPartition partition) {
        return lags.computeIfAbsent(group + " " + partition, key -> registry.gauge("switchboard.consumer.lag",
                Tags.of("group", group, "topic", partition.topic(), "partition",
                        String.valueOf(partition.partition())),
                new AtomicLong()));
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
