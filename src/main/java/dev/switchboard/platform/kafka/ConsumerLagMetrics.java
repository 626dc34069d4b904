package dev.switchboard.platform.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * metrics, so a group whose consumer is stuck, or gone after it committed, still shows its lag growing (a partition
 * the group never committed on has no gauge). The groups are those of this service's enabled Kafka channels.
 */
@ApplicationScoped
class ConsumerLagMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry registry;
    private final List<String> groups;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
    private Admin admin;

    ConsumerLagMetrics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry,
            Config config) {
        this.kafkaConfig = kafkaConfig;
        this.registry = registry;
        this.groups = groupsOf(config);
    }

    /** The group ids of the enabled incoming channels of the Kafka connector. */
    static List<String> groupsOf(Config config) {
        String prefix = "mp.messaging.incoming.";
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(prefix) && name.endsWith(".group.id"))
                .map(name -> name.substring(prefix.length(), name.length() - ".group.id".length()))
                .filter(channel -> config.getOptionalValue(prefix + channel + ".connector", String.class)
                        .orElse("").equals("smallrye-kafka"))
                .filter(channel -> config.getOptionalValue(prefix + channel + ".enabled", Boolean.class).orElse(true))
                .map(channel -> config.getValue(prefix + channel + ".group.id", String.class))
                .distinct().sorted().toList();
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refresh() {
        if (admin == null) {
            admin = KafkaAdmins.create(kafkaConfig);
        }
        for (String group : groups) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                var latest = new HashMap<TopicPartition, OffsetSpec>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                committed.forEach((partition, offset) -> {
                    if (offset != null && ends.containsKey(partition)) {
                        lag(group, partition).set(Math.max(0, ends.get(partition).offset() - offset.offset()));
                    }
                });
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
