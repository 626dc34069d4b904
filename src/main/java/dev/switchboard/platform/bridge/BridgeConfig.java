package dev.switchboard.platform.bridge;

import java.util.List;

import io.smallrye.config.ConfigMapping;

/** The Kafka to RabbitMQ route (platform.bridge.KafkaToRabbitMqBridge). */
@ConfigMapping(prefix = "switchboard.bridge")
public interface BridgeConfig {

    /**
     * The event types forwarded to RabbitMQ, as patterns ({@code order.confirmed.v1}, {@code order.*}); the others
     * are skipped. Each message's routing key is its event type.
     */
    List<String> eventTypes();
}
