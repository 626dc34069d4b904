package dev.switchboard.shop.notifications;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.testing.Infra;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawRabbit;

/**
 * Order events reach the notifier through Kafka, the bridge and RabbitMQ; poison and messages that keep failing end
 * in notifier.dlq and in the dead-letter collection; a broker restart loses nothing. Real Kafka, RabbitMQ,
 * PostgreSQL and registry.
 */
@QuarkusTest
class NotificationsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Test
    void orderConfirmation_reachesTheNotificationTable_throughKafkaAndRabbitMq_withItsIds() {
        try (var rabbit = RawRabbit.connect()) {
            String watched = rabbit.bindTemporaryQueue("shop.notifications", "order.confirmed.v1");
            String correlationId = "notify-" + UUID.randomUUID();
            String orderId = OrderClient.place(correlationId);
            given().header("If-Match", "\"1\"").header("X-Correlation-ID", correlationId)
                    .post("/orders/{id}/confirm", orderId).then().statusCode(200);
            Map<String, Object> confirmed = given().get("/orders/{id}/events", orderId).then().statusCode(200)
                    .extract().path("[1]");
            String eventId = (String) confirmed.get("eventId");

            Row notification = await().atMost(PATIENCE).until(() -> notification(eventId), row -> row != null);
            assertThat(notification.getString("event_type")).isEqualTo("order.confirmed.v1");
            assertThat(notification.getString("order_id")).isEqualTo(orderId);
            assertThat(notification.getString("correlation_id")).isEqualTo(correlationId);
            assertThat(notification.getString("message")).contains(orderId).contains("confirmed");

            // What the bridge published: the CloudEvents attributes as headers, ids as AMQP properties, persistent.
            var message = new AtomicReference<GetResponse>();
            await().atMost(PATIENCE).until(() -> {
                for (GetResponse next = rabbit.get(watched); next != null; next = rabbit.get(watched)) {
                    if (eventId.equals(next.getProps().getMessageId())) {
                        message.set(next);
                        return true;
                    }
                }
                return false;
            });
            var props = message.get().getProps();
            assertThat(message.get().getEnvelope().getRoutingKey()).isEqualTo("order.confirmed.v1");
            assertThat(props.getDeliveryMode()).isEqualTo(2);
            assertThat(props.getCorrelationId()).isEqualTo(correlationId);
            assertThat(props.getType()).isEqualTo("order.confirmed.v1");
            assertThat(props.getHeaders().get("ce_id")).hasToString(eventId);
            assertThat(props.getHeaders().get("ce_subject")).hasToString(orderId);
            assertThat(props.getHeaders().get("ce_sequence")).hasToString("2");
            assertThat(props.getHeaders().get("correlationid")).hasToString(correlationId);
            @SuppressWarnings("unchecked")
            var metadata = (Map<String, Object>) confirmed.get("metadata");
            assertThat(props.getHeaders().get("traceparent")).hasToString((String) metadata.get("traceparent"));
            assertThat(new String(message.get().getBody(), StandardCharsets.UTF_8)).contains(orderId);
        }
    }

    @Test
    void eventsOfOneOrder_reachRabbitMqInTheirOrder_whileOrdersAreForwardedInParallel() {
        try (var rabbit = RawRabbit.connect()) {
            String watched = rabbit.bindTemporaryQueue("shop.notifications", "order.#");
            List<String> orderIds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                orderIds.add(OrderClient.placed("c-order"));
            }
            for (String orderId : orderIds) {
                OrderClient.command(orderId, "confirm", 1);
                OrderClient.command(orderId, "ship", 2);
            }
            Map<String, List<String>> seen = new HashMap<>();
            await().atMost(PATIENCE).until(() -> {
                for (GetResponse next = rabbit.get(watched); next != null; next = rabbit.get(watched)) {
                    String subject = String.valueOf(next.getProps().getHeaders().get("ce_subject"));
                    seen.computeIfAbsent(subject, s -> new ArrayList<>()).add(next.getProps().getType());
                }
                return orderIds.stream().allMatch(id -> seen.getOrDefault(id, List.of()).size() >= 2);
            });
            // At least once: a message may come twice, but never before an earlier event of its order.
            for (String orderId : orderIds) {
                assertThat(seen.get(orderId).stream().distinct().toList()).as(orderId)
                        .containsExactly("order.confirmed.v1", "order.shipped.v1");
            }
        }
    }

    @Test
    void poisonMessage_isDeadLetteredAtOnce_withItsReason() {
        String eventId = UUID.randomUUID().toString();
        try (var rabbit = RawRabbit.connect()) {
            rabbit.publish("shop.notifications", "order.confirmed.v1", RawRabbit.properties(eventId,
                    "order.confirmed.v1", Map.of("ce_id", eventId, "ce_type", "order.confirmed.v1")), "not json");
        }
        Row deadLetter = await().atMost(PATIENCE).until(() -> deadLetter(eventId), row -> row != null);
        assertThat(deadLetter.getString("broker")).isEqualTo("rabbitmq");
        assertThat(deadLetter.getString("consumer_group")).isEqualTo("notifier");
        assertThat(deadLetter.getString("dlq_topic")).isEqualTo("notifier.dlq");
        assertThat(deadLetter.getString("reason")).contains("not JSON");
        assertThat(deadLetter.getString("exception_class")).endsWith("PoisonEvent");
        assertThat(deadLetter.getString("event_type")).isEqualTo("order.confirmed.v1");
        assertThat(notification(eventId)).isNull();
        given().contentType(ContentType.JSON).body(Map.of("reason", "test poison"))
                .post("/dead-letters/{id}/discard", deadLetter.getLong("id")).then().statusCode(200);
    }

    @Test
    void messageThatKeepsFailing_hitsTheDeliveryLimit_andIsAppliedOnce_whenRedrivenAfterTheFix() {
        String eventId = UUID.randomUUID().toString();
        String orderId = UUID.randomUUID().toString();
        String refuse = "test_refuse_" + orderId.replace("-", "");
        pool.query("ALTER TABLE notification ADD CONSTRAINT " + refuse + " CHECK (order_id <> '" + orderId + "')")
                .executeAndAwait();
        try {
            try (var rabbit = RawRabbit.connect()) {
                rabbit.publish("shop.notifications", "order.shipped.v1", RawRabbit.properties(eventId,
                        "order.shipped.v1", Map.of("ce_id", eventId, "ce_type", "order.shipped.v1")),
                        "{\"orderId\": \"" + orderId + "\", \"shippedAt\": 0}");
            }
            Row deadLetter = await().atMost(PATIENCE).until(() -> deadLetter(eventId), row -> row != null);
            assertThat(deadLetter.getString("reason")).contains("delivery_limit").contains("notifier");
            assertThat(deadLetter.getString("status")).isEqualTo("parked");
            assertThat(notification(eventId)).isNull();
        } finally {
            pool.query("ALTER TABLE notification DROP CONSTRAINT " + refuse).executeAndAwait();
        }

        long id = deadLetter(eventId).getLong("id");
        given().post("/dead-letters/{id}/redrive", id).then().statusCode(200).body("status", equalTo("redriven"));
        await().atMost(PATIENCE).until(() -> notification(eventId) != null);
        // A second redrive is refused: the dead letter is not parked any more, redriven once.
        given().post("/dead-letters/{id}/redrive", id).then().statusCode(409);
        Row redriven = deadLetter(eventId);
        assertThat(redriven.getString("status")).isEqualTo("redriven");
        assertThat(redriven.getInteger("redrive_count")).isEqualTo(1);
    }

    @Test
    void rabbitMqRestart_duringAStreamOfAThousandEvents_losesNothing_andRecordsEachOnce() throws Exception {
        int orders = 500; // each confirmed, then shipped: 1,000 bridged events
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            placed.add(OrderClient.placed("c-restart"));
        }
        String[] ids = placed.toArray(String[]::new);
        var commanding = new Thread(() -> placed.forEach(orderId -> {
            OrderClient.command(orderId, "confirm", 1);
            OrderClient.command(orderId, "ship", 2);
        }));
        commanding.start();
        await().atMost(PATIENCE).until(() -> notifications(ids) >= orders / 5);
        Infra.down("rabbitmq");
        Thread.sleep(2000); // commands keep reaching Kafka while RabbitMQ is away
        Infra.up("rabbitmq");
        commanding.join();

        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(notifications(ids))
                .isEqualTo(2L * orders));
        // Exactly the events the orders have in the store (their own ids, none missing, none extra).
        var stored = new HashSet<UUID>();
        pool.preparedQuery("SELECT event_id FROM event_store WHERE stream_id = ANY($1)"
                + " AND event_type IN ('order.confirmed.v1', 'order.shipped.v1')")
                .executeAndAwait(Tuple.of(placed.stream().map(id -> "order-" + id).toArray(String[]::new)))
                .forEach(row -> stored.add(row.getUUID(0)));
        var recorded = new HashSet<UUID>();
        pool.preparedQuery("SELECT event_id FROM notification WHERE order_id = ANY($1)").executeAndAwait(Tuple.of(ids))
                .forEach(row -> recorded.add(row.getUUID(0)));
        assertThat(stored).hasSize(2 * orders);
        assertThat(recorded).isEqualTo(stored);
    }

    private long notifications(String[] orderIds) {
        return count("SELECT count(*) FROM notification WHERE order_id = ANY($1)", orderIds);
    }

    private Row notification(String eventId) {
        var rows = pool.preparedQuery("SELECT * FROM notification WHERE event_id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(eventId)));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private Row deadLetter(String eventId) {
        var rows = pool.preparedQuery("SELECT * FROM dead_letter WHERE event_id = $1 AND consumer_group = 'notifier'")
                .executeAndAwait(Tuple.of(eventId));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql).executeAndAwait(Tuple.of(parameter)).iterator().next().getLong(0);
    }
}
