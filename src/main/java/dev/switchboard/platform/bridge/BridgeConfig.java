package dev.switchboard.platform.bridge;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Kafka to RabbitMQ route (platform.bridge.KafkaToRabbitMqBridge). */
@ConfigMapping(prefix = "switchboard.bridge")
public interface BridgeConfig {

    /**
     * The event types forwarded to RabbitMQ, as patterns ({@code order.confirmed.v1}, {@code order.*}); the others
     * are skipped. Each message's routing key is its event type.
     */
    @WithDefault("order.confirmed.v1,order.cancelled.v1,order.shipped.v1")
    List<String> eventTypes();
}
