package dev.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * A plain RabbitMQ client (the broker's own Java client, not the application's connector) for tests: publishes with
 * publisher confirms, and reads what a temporary queue bound to an exchange receives.
 */
public final class RawRabbit implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;

    private RawRabbit() throws IOException, TimeoutException {
        var config = ConfigProvider.getConfig();
        var factory = new ConnectionFactory();
        factory.setHost(config.getValue("rabbitmq-host", String.class));
        factory.setPort(config.getValue("rabbitmq-port", Integer.class));
        factory.setUsername(config.getValue("rabbitmq-username", String.class));
        factory.setPassword(config.getValue("rabbitmq-password", String.class));
        connection = factory.newConnection("switchboard-test");
        channel = connection.createChannel();
        channel.confirmSelect();
    }

    public static RawRabbit connect() {
        try {
            return new RawRabbit();
        } catch (IOException | TimeoutException e) {
            throw new AssertionError("cannot connect to RabbitMQ", e);
        }
    }

    /** Publishes a persistent message and waits for the broker's confirm. */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, String body) {
        try {
            channel.basicPublish(exchange, routingKey, properties.builder().deliveryMode(2).build(),
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new AssertionError("publish to " + exchange + " failed", e);
        }
    }

    public static AMQP.BasicProperties properties(String messageId, String type, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().messageId(messageId).type(type).headers(headers)
                .contentType("application/json").build();
    }

    /** A server-named, exclusive queue bound to the exchange: it sees what is published from now on. */
    public String bindTemporaryQueue(String exchange, String routingKey) {
        try {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, routingKey);
            return queue;
        } catch (IOException e) {
            throw new AssertionError("cannot bind a queue to " + exchange, e);
        }
    }

    /** Messages ready in a queue (not delivered to a consumer, or delivered and not yet acked: not counted). */
    public long ready(String queue) {
        try {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            throw new AssertionError("cannot look at " + queue, e);
        }
    }

    /** The next message in the queue (acked), or null when it is empty. */
    public GetResponse get(String queue) {
        try {
            return channel.basicGet(queue, true);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + queue, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // closing a test connection: nothing to keep
        }
    }
}
