package dev.switchboard.shop.orders.saga;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.testing.Infra;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.SagaProfile;

/**
 * The saga and the groups it coordinates (payments, inventory, order-views, analytics) against the real Kafka,
 * registry and PostgreSQL: the happy path, both compensation paths, and redelivery of every event type.
 */
@QuarkusTest
@TestProfile(SagaProfile.class)
class OrderSagaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Consumer groups and the topics each reads, to wait until all of them have read everything. */
    static final Map<String, String[]> GROUPS = Map.of(
            "order-views", new String[]{"shop.orders"},
            "payments", new String[]{"shop.orders"},
            "inventory", new String[]{"shop.orders"},
            "order-saga", new String[]{"shop.payments", "shop.inventory"},
            "analytics", new String[]{"shop.orders", "shop.payments"});

    @Inject
    Pool pool;

    @Test
    void placedOrder_isConfirmed_whenPaymentIsAuthorized_andStockReserved() {
        String sku = stocked(10);
        String orderId = place("c-happy-" + UUID.randomUUID(), sku, 2, 1500);

        awaitStatus(orderId, "confirmed", 2);
        assertThat(stock(sku)).isEqualTo(8);
        assertThat(text("SELECT status FROM payment WHERE order_id = $1", orderId)).isEqualTo("authorized");
        assertThat(text("SELECT outcome FROM order_saga WHERE order_id = $1", orderId)).isEqualTo("confirmed");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("switchboard_events_consumed_total{group=\"order-saga\",outcome=\"applied\","
                        + "type=\"payment.authorized.v1\"}")
                .contains("switchboard_events_consumed_total{group=\"order-views\",outcome=\"applied\","
                        + "type=\"order.confirmed.v1\"}")
                .contains("switchboard_event_processing_seconds_count{group=\"inventory\"}");
    }

    @Test
    void declinedPayment_cancelsTheOrder_andReleasesItsStock() {
        String sku = stocked(10);
        // 3 x 400.00 EUR is over the customer's credit of 1,000.00 (switchboard.payments.credit-limit-minor).
        String orderId = place("c-declined-" + UUID.randomUUID(), sku, 3, 40_000);

        awaitStatus(orderId, "cancelled", 2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(stock(sku)).isEqualTo(10));
        assertThat(text("SELECT status FROM payment WHERE order_id = $1", orderId)).isEqualTo("declined");
        assertThat(text("SELECT reason FROM order_saga WHERE order_id = $1", orderId)).isEqualTo("payment declined");
        assertThat(count("SELECT count(*) FROM stock_reservation WHERE order_id = $1", orderId)).isZero();
    }

    @Test
    void shortStock_cancelsTheOrder_andVoidsItsPayment() {
        String sku = stocked(1);
        String orderId = place("c-short-" + UUID.randomUUID(), sku, 2, 1000);

        awaitStatus(orderId, "cancelled", 2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                text("SELECT status FROM payment WHERE order_id = $1", orderId)).isEqualTo("voided"));
        assertThat(stock(sku)).isEqualTo(1);
        assertThat(text("SELECT reason FROM order_saga WHERE order_id = $1", orderId)).isEqualTo("stock short");
    }

    @Test
    void redeliveryOfEveryEventType_changesNothing() {
        String sku = stocked(5);
        String customer = "c-dup-" + UUID.randomUUID();
        List<String> orders;
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> delivered;
        try (var tail = RawTopics.tail("shop.orders", "shop.payments", "shop.inventory")) {
            String confirmed = place(customer, sku, 2, 1000); // placed, authorized, reserved, confirmed
            // over the credit on its own, whatever payments reads first: placed, declined, reserved, cancelled, released
            String declined = place(customer, sku, 1, 120_000);
            String voided = place(customer, sku, 9, 100); // placed, authorized, short, cancelled, voided
            orders = List.of(confirmed, declined, voided);
            awaitStatus(confirmed, "confirmed", 2);
            awaitStatus(declined, "cancelled", 2);
            awaitStatus(voided, "cancelled", 2);
            // 4 + 5 + 5 events about these orders, then nothing new
            delivered = tail.readUntil(seen -> seen.stream().filter(r -> orders.contains(r.key())).count() >= 14,
                    PATIENCE).stream().filter(r -> orders.contains(r.key())).toList();
        }
        assertThat(delivered).extracting(r -> header(r, "ce_type")).contains("order.placed.v1",
                "order.confirmed.v1", "order.cancelled.v1", "payment.authorized.v1", "payment.declined.v1",
                "payment.voided.v1", "stock.reserved.v1", "stock.short.v1", "stock.released.v1");
        awaitAllGroupsCaughtUp();
        String before = snapshot(customer, sku, orders);

        RawTopics.redeliver(delivered);
        awaitAllGroupsCaughtUp();

        assertThat(snapshot(customer, sku, orders)).isEqualTo(before);
    }

    @Test
    void consumers_resumeFromTheirCommittedOffsets_whenKafkaComesBack_andLoseNothing() {
        String sku = stocked(10);
        String customer = "c-resume-" + UUID.randomUUID();
        awaitAllGroupsCaughtUp();
        List<String> orders = new java.util.ArrayList<>();
        Infra.down("kafka");
        try {
            // Accepted while Kafka is away: the events wait in the outbox, the groups in their reconnect loops.
            for (int i = 0; i < 3; i++) {
                orders.add(place(customer, sku, 1, 700));
            }
        } finally {
            Infra.up("kafka");
        }
        for (String orderId : orders) {
            awaitStatus(orderId, "confirmed", 2);
        }
        awaitAllGroupsCaughtUp();
        assertThat(stock(sku)).isEqualTo(7);
        assertThat(rows("SELECT count(*), sum(amount_minor) FROM payment WHERE customer_id = $1 AND status ="
                + " 'authorized'", Tuple.of(customer))).isEqualTo("3|2100\n");
        assertThat(rows("SELECT count(*) FROM order_saga WHERE order_id = ANY($1) AND outcome = 'confirmed'",
                Tuple.of((Object) orders.toArray(String[]::new)))).isEqualTo("3\n");
    }

    /** Everything the groups keep about these orders, as text. */
    private String snapshot(String customer, String sku, List<String> orders) {
        var ids = orders.toArray(String[]::new);
        return String.join("\n",
                rows("SELECT order_id, status, amount_minor FROM payment WHERE customer_id = $1 ORDER BY order_id",
                        Tuple.of(customer)),
                rows("SELECT sku, available FROM stock_level WHERE sku = $1", Tuple.of(sku)),
                rows("SELECT order_id, sku, quantity FROM stock_reservation WHERE order_id = ANY($1) ORDER BY 1",
                        Tuple.of(ids)),
                rows("SELECT order_id, payment, stock, outcome, reason FROM order_saga WHERE order_id = ANY($1)"
                        + " ORDER BY 1", Tuple.of(ids)),
                rows("SELECT order_id, status, version FROM order_view WHERE order_id = ANY($1) ORDER BY 1",
                        Tuple.of(ids)),
                rows("SELECT name, value FROM analytics_counter ORDER BY name", Tuple.tuple()),
                rows("SELECT stream_id, count(*) FROM event_store WHERE stream_id = ANY($1) GROUP BY 1 ORDER BY 1",
                        Tuple.of((Object) orders.stream().map(id -> "order-" + id).toArray(String[]::new))));
    }

    /** Waits for quiet: nothing left in the outbox, and every group has committed every record on its topics. */
    void awaitAllGroupsCaughtUp() {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT count(*) FROM outbox") == 0 && GROUPS.entrySet().stream()
                        .allMatch(group -> RawTopics.caughtUp(group.getKey(), group.getValue()))
                        && count("SELECT count(*) FROM outbox") == 0);
    }

    static String stocked(int available) {
        String sku = "sku-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("available", available)).put("/inventory/{sku}", sku)
                .then().statusCode(200).body("available", equalTo(available));
        return sku;
    }

    static String place(String customer, String sku, int quantity, long unitPriceMinor) {
        return OrderClient.place(OrderClient.order(customer, sku, quantity, unitPriceMinor)).then().statusCode(201)
                .extract().path("orderId");
    }

    static void awaitStatus(String orderId, String status, int version) {
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", orderId).then()
                .statusCode(200).body("status", equalTo(status)).body("version", equalTo(version)));
    }

    private static int stock(String sku) {
        return given().get("/inventory/{sku}", sku).then().statusCode(200).extract().path("available");
    }

    private String text(String sql, String parameter) {
        var rows = pool.preparedQuery(sql).executeAndAwait(Tuple.of(parameter));
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).executeAndAwait(Tuple.of(parameter)).iterator().next().getLong(0);
    }

    private long count(String sql) {
        return pool.query(sql).executeAndAwait().iterator().next().getLong(0);
    }

    private String rows(String sql, Tuple parameters) {
        var out = new StringBuilder();
        for (Row row : pool.preparedQuery(sql).executeAndAwait(parameters)) {
            for (int i = 0; i < row.size(); i++) {
                out.append(row.getValue(i)).append(i + 1 < row.size() ? "|" : "\n");
            }
        }
        return out.toString();
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
