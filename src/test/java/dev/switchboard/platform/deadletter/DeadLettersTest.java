package dev.switchboard.platform.deadletter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.testing.Metrics;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.SagaProfile;
import dev.switchboard.testing.WireRecords;

/**
 * Poison and failures end in the dead-letter collection with their metadata, never block their partition, and a
 * redrive applies a dead letter once, for the group that failed only. Real Kafka, registry and PostgreSQL.
 */
@QuarkusTest
@TestProfile(SagaProfile.class)
class DeadLettersTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String[] SHOP_ORDERS_READERS = {"order-views", "payments", "inventory", "analytics"};

    @Inject
    Pool pool;

    @Test
    void poisonEvent_isDeadLetteredWithItsMetadata_whileLaterEventsOnItsPartitionAreApplied() {
        String sku = stocked(10);
        String orderId = place("c-poison-" + UUID.randomUUID(), sku);
        awaitView(orderId, "confirmed", 2);
        double viewsGaveUpBefore = metric(deadLettered("order-views"));
        double paymentsGaveUpBefore = metric(deadLettered("payments"));

        var poison = new ProducerRecord<>("shop.orders", null, orderId, "not avro".getBytes(StandardCharsets.UTF_8),
                WireRecords.headers("order.placed.v1", orderId, 3L));
        String poisonId = new String(poison.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
        var sent = RawTopics.produce(poison);
        given().header("If-Match", "\"2\"").contentType(ContentType.JSON).post("/orders/{id}/ship", orderId)
                .then().statusCode(200);

        // The event after the poison on the same partition is applied...
        awaitView(orderId, "shipped", 3);
        // ...and every group that reads shop.orders and wants order.placed.v1 dead-lettered the poison, once.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM dead_letter WHERE event_id = $1", poisonId)).isEqualTo(4));
        for (String group : SHOP_ORDERS_READERS) {
            Row row = pool.preparedQuery("SELECT * FROM dead_letter WHERE event_id = $1 AND consumer_group = $2")
                    .executeAndAwait(Tuple.of(poisonId, group)).iterator().next();
            assertThat(row.getString("status")).isEqualTo("parked");
            assertThat(row.getString("topic")).isEqualTo("shop.orders");
            assertThat(row.getInteger("topic_partition")).isEqualTo(sent.partition());
            assertThat(row.getLong("topic_offset")).isEqualTo(sent.offset());
            assertThat(row.getString("message_key")).isEqualTo(orderId);
            assertThat(row.getString("event_type")).isEqualTo("order.placed.v1");
            assertThat(row.getString("reason")).contains("cannot be decoded");
            assertThat(row.getString("exception_class")).endsWith("PoisonEvent");
            assertThat(row.getString("dlq_topic")).isEqualTo(group + ".dlq");
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(metric(deadLettered("order-views")))
                .isEqualTo(viewsGaveUpBefore + 1));
        long id = count("SELECT id FROM dead_letter WHERE event_id = $1 AND consumer_group = 'order-views'",
                poisonId);
        given().get("/dead-letters/{id}", id).then().statusCode(200)
                .body("group", equalTo("order-views"))
                .body("eventId", equalTo(poisonId))
                .body("partition", equalTo(sent.partition()))
                .body("headers.ce_subject", equalTo(orderId));

        double discardedBefore = metric("switchboard_dead_letters{group=\"order-views\",status=\"discarded\"}");
        // Discarded with a reason, it leaves the parked list; a second discard is refused.
        given().contentType(ContentType.JSON).body(Map.of("reason", "test poison")).post("/dead-letters/{id}/discard",
                id).then().statusCode(200).body("status", equalTo("discarded")).body("note", equalTo("test poison"));
        given().contentType(ContentType.JSON).body(Map.of("reason", "again")).post("/dead-letters/{id}/discard", id)
                .then().statusCode(409).body("code", equalTo("dead_letter_not_parked"));
        given().post("/dead-letters/{id}/redrive", id).then().statusCode(409);

        // Redriven while still poison, it fails again and comes back to the same dead letter, parked.
        long payments = count("SELECT id FROM dead_letter WHERE event_id = $1 AND consumer_group = 'payments'",
                poisonId);
        given().post("/dead-letters/{id}/redrive", payments).then().statusCode(200).body("status",
                equalTo("redriven"));
        // ...and so does a batch redrive of a group's parked dead letters of one type.
        given().queryParam("group", "inventory").queryParam("type", "order.placed.v1").post("/dead-letters/redrive")
                .then().statusCode(200).body("redriven", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        for (String group : new String[]{"payments", "inventory"}) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                Row row = pool.preparedQuery("SELECT status, redrive_count, reason FROM dead_letter"
                        + " WHERE event_id = $1 AND consumer_group = $2").executeAndAwait(Tuple.of(poisonId, group))
                        .iterator().next();
                assertThat(row.getString("status")).isEqualTo("parked");
                assertThat(row.getInteger("redrive_count")).isEqualTo(1);
                assertThat(row.getString("reason")).contains("cannot be decoded");
            });
        }
        assertThat(count("SELECT count(*) FROM dead_letter WHERE event_id = $1", poisonId)).isEqualTo(4);
        // Each time a group gives up on the event counts once: the first time and after the failed redrive.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(metric(deadLettered("payments")))
                .isEqualTo(paymentsGaveUpBefore + 2));
        assertThat(metric(deadLettered("order-views"))).isEqualTo(viewsGaveUpBefore + 1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                metric("switchboard_dead_letters{group=\"order-views\",status=\"discarded\"}"))
                .isEqualTo(discardedBefore + 1));
        // Leave nothing parked for the next run's batch redrive.
        pool.preparedQuery("UPDATE dead_letter SET status = 'discarded', note = 'test cleanup' WHERE event_id = $1")
                .executeAndAwait(Tuple.of(poisonId));
    }

    private static String deadLettered(String group) {
        return "switchboard_events_consumed_total{group=\"" + group
                + "\",outcome=\"dead_lettered\",type=\"order.placed.v1\"}";
    }

    /** A sample's value on /q/metrics, 0 when absent. */
    private static double metric(String sample) {
        return Metrics.sample(sample).orElse(0);
    }

    @Test
    void redrive_afterTheCauseIsFixed_appliesTheEventOnce_forTheGroupThatFailedOnly() {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> RawTopics.caughtUp("analytics", "shop.orders", "shop.payments"));
        long placedBefore = placedCounter();
        String orderId;
        // The cause: analytics cannot count placed orders (a constraint refuses the update), for longer than the
        // group's retries last.
        pool.query("ALTER TABLE analytics_counter DROP CONSTRAINT IF EXISTS test_no_placed").executeAndAwait();
        pool.query("ALTER TABLE analytics_counter ADD CONSTRAINT test_no_placed CHECK (name <> 'orders.placed')"
                + " NOT VALID").executeAndAwait();
        try {
            orderId = place("c-redrive-" + UUID.randomUUID(), stocked(10));
            String placedId = OrderClient.eventIds(orderId).getFirst();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                    "SELECT count(*) FROM dead_letter WHERE event_id = $1 AND consumer_group = 'analytics'",
                    placedId)).isEqualTo(1));
        } finally {
            pool.query("ALTER TABLE analytics_counter DROP CONSTRAINT test_no_placed").executeAndAwait();
        }
        String placedId = OrderClient.eventIds(orderId).getFirst();
        long id = count("SELECT id FROM dead_letter WHERE event_id = $1 AND consumer_group = 'analytics'", placedId);
        assertThat(placedCounter()).isEqualTo(placedBefore);
        // Only analytics failed: the other groups applied the event as usual.
        awaitView(orderId, "confirmed", 2);
        try (var shopOrders = RawTopics.tail("shop.orders", "analytics.redrive")) {
            given().post("/dead-letters/{id}/redrive", id).then().statusCode(200)
                    .body("status", equalTo("redriven")).body("redriveCount", equalTo(1));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(placedCounter()).isEqualTo(placedBefore + 1));
            // Redriven through analytics.redrive, not through shop.orders: no other group saw it again.
            var seen = shopOrders.readUntil(records -> records.stream()
                    .anyMatch(r -> r.topic().equals("analytics.redrive") && placedId.equals(ceId(r))), PATIENCE);
            assertThat(seen).filteredOn(r -> r.topic().equals("shop.orders") && placedId.equals(ceId(r))).isEmpty();
        }
        given().post("/dead-letters/{id}/redrive", id).then().statusCode(409);

        // A second redrive of the same event (as after a lost answer) is absorbed by the inbox.
        pool.preparedQuery("UPDATE dead_letter SET status = 'parked' WHERE id = $1").executeAndAwait(Tuple.of(id));
        given().post("/dead-letters/{id}/redrive", id).then().statusCode(200).body("redriveCount", equalTo(2));
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> RawTopics.caughtUp("analytics", "analytics.redrive"));
        assertThat(placedCounter()).isEqualTo(placedBefore + 1);
        assertThat(count("SELECT count(*) FROM inbox WHERE consumer_group = 'analytics' AND event_id = $1::uuid",
                placedId)).isEqualTo(1);
    }

    @Test
    void deadLetterApi_answers4xx_forBadInput() {
        given().get("/dead-letters/{id}", "x").then().statusCode(404).body("code", equalTo("dead_letter_not_found"));
        given().get("/dead-letters/{id}", Long.MAX_VALUE).then().statusCode(404);
        given().queryParam("status", "lost").get("/dead-letters").then().statusCode(400)
                .body("field", equalTo("status"));
        given().queryParam("size", 0).get("/dead-letters").then().statusCode(400).body("field", equalTo("size"));
        given().post("/dead-letters/redrive").then().statusCode(400).body("field", equalTo("group"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/dead-letters/{id}/discard", 1).then()
                .statusCode(400).body("code", equalTo("invalid_body")).body("field", equalTo("reason"));
        given().queryParam("page", 2_000_000).get("/dead-letters").then().statusCode(400)
                .body("field", equalTo("page"));
        given().queryParam("group", "analytics").queryParam("status", "parked").get("/dead-letters").then()
                .statusCode(200).body("page", equalTo(0)).body("size", equalTo(50));
    }

    private static String ceId(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader("ce_id");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private long placedCounter() {
        var rows = pool.query("SELECT value FROM analytics_counter WHERE name = 'orders.placed'").executeAndAwait();
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).executeAndAwait(Tuple.of(parameter)).iterator().next().getLong(0);
    }

    private static String stocked(int available) {
        String sku = "sku-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("available", available)).put("/inventory/{sku}", sku)
                .then().statusCode(200);
        return sku;
    }

    private static String place(String customer, String sku) {
        return OrderClient.place(OrderClient.order(customer, sku, 1, 500)).then().statusCode(201).extract()
                .path("orderId");
    }

    private static void awaitView(String orderId, String status, int version) {
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", orderId).then()
                .statusCode(200).body("status", equalTo(status)).body("version", equalTo(version)));
    }
}
