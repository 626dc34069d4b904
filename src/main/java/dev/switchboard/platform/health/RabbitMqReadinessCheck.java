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
 * Ready only while RabbitMQ accepts an AMQP connection with the service's credentials. Keeps one connection open,
 * so a probe costs nothing while the broker is up; a probe that finds it closed (the broker restarted) opens a new
 * one at once, so readiness follows the broker's return rather than the client's automatic recovery, which
 * retries on a clock of its own.
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
        factory.setAutomaticRecoveryEnabled(false);
    }

    @Override
    public synchronized HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).withData("address", factory.getHost() + ":" + factory.getPort());
        try {
            if (connection == null || !connection.isOpen()) {
                close();
                connection = factory.newConnection("switchboard-readiness");
            }
            return response.up().build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e)).build();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            connection.abort(); // never throws: a connection already broken needs nothing more
            connection = null;
        }
    }
}
