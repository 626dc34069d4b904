// Load generator and meter for bench/bridge.sh (run on purpose, never by CI), launched as a single-file program
// on the service's own classpath (target/classes + target/quarkus-app/lib/main/* and lib/boot/*).
//   bridge N: produces N Avro order events (ce_type bench.confirmed.v1) onto Kafka topic bench.bridge, which the
//             service's notify-bridge reads in this benchmark, and counts them arriving in RabbitMQ queue
//             bench.bridge (bound to exchange shop.notifications by bench.#): Kafka -> RabbitMQ with confirms.
//   baseline N WINDOW: a plain RabbitMQ publisher of N messages of the same size and headers to the same exchange,
//             with publisher confirms (at most WINDOW unconfirmed), counted into the same queue.
// Prints one line: "<mode> <messages> <seconds> <messages/s>".
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import dev.switchboard.wire.orders.OrderConfirmed;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

public class BridgeLoad {

    static final String TOPIC = "bench.bridge";
    static final String QUEUE = "bench.bridge";
    static final String EXCHANGE = "shop.notifications";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        var factory = new ConnectionFactory();
        factory.setHost(env("SWITCHBOARD_RABBITMQ_HOST", "127.0.0.1"));
        factory.setPort(Integer.parseInt(env("SWITCHBOARD_RABBITMQ_PORT", "5672")));
        factory.setUsername(env("SWITCHBOARD_RABBITMQ_USER", "guest"));
        factory.setPassword(env("SWITCHBOARD_RABBITMQ_PASSWORD", "guest"));
        try (var connection = factory.newConnection("switchboard-bench")) {
            Channel meter = connection.createChannel();
            meter.exchangeDeclare(EXCHANGE, "topic", true);
            meter.queueDeclare(QUEUE, false, false, false, null);
            meter.queueBind(QUEUE, EXCHANGE, "bench.#");
            meter.queuePurge(QUEUE);
            var received = new AtomicLong();
            var done = new Semaphore(0);
            meter.basicQos(1000);
            meter.basicConsume(QUEUE, false, new DefaultConsumer(meter) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) throws IOException {
                    meter.basicAck(envelope.getDeliveryTag(), false);
                    if (received.incrementAndGet() == n) {
                        done.release();
                    }
                }
            });
            long start = System.nanoTime();
            if (mode.equals("bridge")) {
                produceToKafka(n);
            } else {
                publishToRabbit(connection.createChannel(), n, Integer.parseInt(args[2]));
            }
            if (!done.tryAcquire(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException(received.get() + " of " + n + " messages arrived within 600 s");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s %d %.2f %.0f%n", mode, n, seconds, n / seconds);
            meter.queueDelete(QUEUE);
        }
    }

    static void produceToKafka(int n) throws Exception {
        String bootstrap = env("SWITCHBOARD_KAFKA_HOST", "127.0.0.1") + ":" + env("SWITCHBOARD_KAFKA_PORT", "9092");
        try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
        }
        var config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", AvroKafkaSerializer.class.getName());
        config.put("apicurio.registry.url", "http://" + env("SWITCHBOARD_REGISTRY_HOST", "127.0.0.1") + ":"
                + env("SWITCHBOARD_REGISTRY_PORT", "8090") + "/apis/registry/v3");
        config.put("apicurio.registry.auto-register", "true");
        config.put("apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.RecordIdStrategy");
        config.put("linger.ms", "5");
        try (var producer = new KafkaProducer<String, OrderConfirmed>(config)) {
            for (int i = 0; i < n; i++) {
                String orderId = UUID.randomUUID().toString();
                var record = new ProducerRecord<>(TOPIC, orderId, new OrderConfirmed(orderId, Instant.now()));
                headers(orderId).forEach((name, value) -> record.headers().add(name,
                        value.getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }
    }

    static void publishToRabbit(Channel channel, int n, int window) throws Exception {
        channel.confirmSelect();
        var unconfirmed = new Semaphore(window);
        var outstanding = new ConcurrentSkipListSet<Long>();
        channel.addConfirmListener((tag, multiple) -> release(unconfirmed, outstanding, tag, multiple),
                (tag, multiple) -> {
                    throw new IllegalStateException("the broker refused message " + tag);
                });
        for (int i = 0; i < n; i++) {
            String orderId = UUID.randomUUID().toString();
            Map<String, Object> headers = new HashMap<>(headers(orderId));
            byte[] body = ("{\"orderId\":\"" + orderId + "\",\"confirmedAt\":" + System.currentTimeMillis() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            unconfirmed.acquire();
            outstanding.add(channel.getNextPublishSeqNo());
            channel.basicPublish(EXCHANGE, "bench.confirmed.v1", new AMQP.BasicProperties.Builder()
                    .messageId(UUID.randomUUID().toString()).type("bench.confirmed.v1").correlationId(orderId)
                    .contentType("application/json").deliveryMode(2).headers(headers).build(), body);
        }
    }

    /** A confirm may cover every earlier message (multiple): one permit back per message it confirms. */
    static void release(Semaphore unconfirmed, ConcurrentSkipListSet<Long> outstanding, long tag, boolean multiple) {
        int confirmed = 0;
        if (multiple) {
            var covered = outstanding.headSet(tag, true);
            confirmed = covered.size();
            covered.clear();
        } else if (outstanding.remove(tag)) {
            confirmed = 1;
        }
        unconfirmed.release(confirmed);
    }

    static Map<String, String> headers(String orderId) {
        return Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_type",
                "bench.confirmed.v1", "ce_source", "/switchboard/bench", "ce_subject", orderId, "ce_time",
                Instant.now().toString(), "correlationid", orderId, "causationid", "bench");
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
