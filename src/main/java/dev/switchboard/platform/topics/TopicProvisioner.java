package dev.switchboard.platform.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

import dev.switchboard.platform.kafka.KafkaAdmins;

/**
 * Creates the configured topics with their partition counts before any channel connects. The Kafka connector
 * cannot choose a partition count, and brokers in production (and ours) do not auto-create topics.
 */
@ApplicationScoped
class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TopicsConfig config;
    private final Map<String, Object> kafkaConfig;

    TopicProvisioner(TopicsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    // Before the messaging lifecycle (LIBRARY_BEFORE) starts the channels.
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (config.topics().isEmpty()) {
            return;
        }
        try (Admin admin = KafkaAdmins.create(kafkaConfig)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = config.topics().entrySet().stream()
                    .filter(topic -> !existing.contains(topic.getKey()))
                    .map(topic -> new NewTopic(topic.getKey(), topic.getValue().partitions(),
                            config.replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            if (!config.createTopics()) {
                throw new IllegalStateException("Kafka topics missing and switchboard.kafka.create-topics=false: "
                        + missing.stream().map(NewTopic::name).toList());
            }
            create(admin, missing);
        }
    }

    private void create(Admin admin, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (var result : admin.createTopics(topics).values().entrySet()) {
            try {
                result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("Created Kafka topic %s", result.getKey());
            } catch (ExecutionException e) {
                // Another replica of the service created it first.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
