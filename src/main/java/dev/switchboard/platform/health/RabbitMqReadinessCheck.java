package dev.switchboard.platform.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.smallrye.common.annotation.Blocking;

/**
 * Ready only while RabbitMQ accepts an AMQP connection with the service's credentials. Keeps one connection open
 * (the client recovers it by itself), so a probe costs nothing while the broker is up.
 */
@Readiness
@Blocking
@ApplicationScoped
class RabbitMqReadinessCheck implements HealthCheck {

    static final String NAME = "RabbitMQ";

    private final ConnectionFactory factory = new ConnectionFactory();
    private Connection connection;

    RabbitMqReadinessCheck(@ConfigProperty(name = "rabbitmq-host") String host,
            @ConfigProperty(name = "rabbitmq-port") int port,
            @ConfigProperty(name = "rabbitmq-username") String username,
            @ConfigProperty(name = "rabbitmq-password") String password) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setConnectionTimeout(2000);
        factory.setAutomaticRecoveryEnabled(true);
    }

    @Override
    public synchronized HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).withData("address", factory.getHost() + ":" + factory.getPort());
        try {
            if (connection == null) {
                connection = factory.newConnection("switchboard-readiness");
            }
            return response.status(connection.isOpen()).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e)).build();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing left to do with a failure
            }
        }
    }
}
