package dev.switchboard.platform.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Kafka admin clients (and the settings of other clients) made from the application's {@code kafka.*} configuration
 * (the
 * {@code default-kafka-broker} bean), keeping only the settings an admin client knows, so it logs no warnings.
 */
public final class KafkaAdmins {

    private KafkaAdmins() {
    }

    public static Admin create(Map<String, Object> kafkaConfig) {
        return Admin.create(only(kafkaConfig, AdminClientConfig.configNames()));
    }

    /** The settings of {@code kafkaConfig} that a client with these config names knows, in a map of its own. */
    public static Map<String, Object> only(Map<String, Object> kafkaConfig, Set<String> names) {
        return kafkaConfig.entrySet().stream().filter(entry -> names.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, HashMap::new));
    }
}
