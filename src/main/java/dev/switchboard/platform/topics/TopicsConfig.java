package dev.switchboard.platform.topics;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Kafka topics this service owns and creates at start, under {@code switchboard.kafka}. */
@ConfigMapping(prefix = "switchboard.kafka")
public interface TopicsConfig {

    /**
     * Create the topics below when they are missing. Turn off where topics are managed outside the service
     * (GitOps, an operator); the service then only checks that they exist.
     */
    @WithDefault("true")
    boolean createTopics();

    /** Replication factor of the topics created here: 1 on a single local broker, 3 in production. */
    @WithDefault("1")
    short replicationFactor();

    /** The topics by name. Partition counts matter: records are keyed by aggregate id for ordering. */
    Map<String, Topic> topics();

    interface Topic {

        /** Partitions of a topic created here; an existing topic is never repartitioned (keys would move). */
        @WithDefault("3")
        int partitions();
    }
}
