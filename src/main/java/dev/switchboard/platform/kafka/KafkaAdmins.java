package dev.switchboard.platform.kafka;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Kafka admin clients made from the application's {@code kafka.*} configuration (the
 * {@code default-kafka-broker} bean), keeping only the settings an admin client knows, so it logs no warnings.
 */
public final class KafkaAdmins {

    private KafkaAdmins() {
    }

    public static Admin create(Map<String, Object> kafkaConfig) {
        var names = AdminClientConfig.configNames();
        return Admin.create(kafkaConfig.entrySet().stream()
                .filter(entry -> names.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
