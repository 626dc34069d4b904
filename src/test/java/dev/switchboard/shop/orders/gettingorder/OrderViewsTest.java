package dev.switchboard.shop.orders.gettingorder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

import dev.switchboard.shop.orders.Money;
import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderLine;
import dev.switchboard.shop.orders.OrderWireMapping;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.WireRecords;

/** The order-views consumer group and the queries on its read model, against the real Kafka and PostgreSQL. */
@QuarkusTest
class OrderViewsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    OrderViewProjection projection;

    @Test
    void getOrder_showsTheOrderAsItsEventsLeftIt() {
        String customer = "c-view-" + UUID.randomUUID();
        String id = OrderClient.placed(customer);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").post("/orders/{id}/confirm", id)
                .then().statusCode(200);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", id).then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("status", equalTo("confirmed"))
                .body("version", equalTo(2))
                .body("customerId", equalTo(customer))
                .body("currency", equalTo("EUR"))
                .body("totalMinor", equalTo(2800))
                .body("lines.sku", contains("book", "pen")));
    }

    @Test
    void listOrders_filtersByStatusAndCustomer_aPageAtATime() {
        String customer = "c-list-" + UUID.randomUUID();
        String first = OrderClient.placed(customer);
        String second = OrderClient.placed(customer);
        String cancelled = OrderClient.placed(customer);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").post("/orders/{id}/cancel", cancelled)
                .then().statusCode(200);

        await().atMost(PATIENCE).untilAsserted(() -> given().queryParam("customer", customer)
                .queryParam("status", "placed").get("/orders").then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.orderId", org.hamcrest.Matchers.containsInAnyOrder(first, second)));
        given().queryParam("customer", customer).queryParam("size", 1).queryParam("page", 2).get("/orders")
                .then().statusCode(200).body("total", equalTo(3)).body("items", org.hamcrest.Matchers.hasSize(1));
        given().queryParam("customer", customer).queryParam("status", "cancelled").get("/orders")
                .then().statusCode(200).body("items.orderId", contains(cancelled));
    }

    @Test
    void queries_answer4xx_forBadInput() {
        given().get("/orders/{id}", UUID.randomUUID()).then().statusCode(404).body("code", equalTo("order_not_found"));
        given().get("/orders/{id}", "not-a-uuid").then().statusCode(404);
        given().queryParam("status", "lost").get("/orders").then().statusCode(400).body("field", equalTo("status"));
        given().queryParam("size", "1000").get("/orders").then().statusCode(400).body("field", equalTo("size"));
        given().queryParam("page", "first").get("/orders").then().statusCode(400).body("field", equalTo("page"));
    }

    @Test
    void redeliveredEvents_changeNothing_andAGap_isRefused() throws Throwable {
        String orderId = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var placed = record(orderId, 1, new OrderEvent.OrderPlaced(orderId, "c-redeliver", "EUR",
                List.of(new OrderLine("book", 1, new Money(500, "EUR"))), now));
        var confirmed = record(orderId, 2, new OrderEvent.OrderConfirmed(orderId, now.plusSeconds(1)));
        var shipped = record(orderId, 3, new OrderEvent.OrderShipped(orderId, now.plusSeconds(2)));

        apply(placed);
        apply(confirmed);
        apply(placed);
        apply(confirmed);

        OrderView view = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> OrderView.<OrderView>findById(orderId)));
        assertThat(view.version).isEqualTo(2);
        assertThat(view.status).isEqualTo("confirmed");

        var skipped = record(orderId, 4, new OrderEvent.OrderCancelled(orderId, "late", now.plusSeconds(3)));
        assertThatThrownBy(() -> apply(skipped)).isInstanceOf(OrderViewProjection.ProjectionGap.class);
        apply(shipped);
    }

    @Test
    void rebuild_replaysTheEventStore_intoViewsEqualToTheLiveOnes() {
        String customer = "c-rebuild-" + UUID.randomUUID();
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 6; i++) {
            ids.add(OrderClient.placed(customer));
        }
        OrderClient.command(ids.get(0), "confirm", 1);
        OrderClient.command(ids.get(1), "confirm", 1);
        OrderClient.command(ids.get(1), "ship", 2);
        OrderClient.command(ids.get(2), "cancel", 1);
        await().atMost(PATIENCE).untilAsserted(() -> given().queryParam("customer", customer).get("/orders").then()
                .body("total", equalTo(6)));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", ids.get(1)).then()
                .body("version", equalTo(3)));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", ids.get(2)).then()
                .body("version", equalTo(2)));
        String live = views(ids);

        given().post("/projections/order-views/rebuild").then().statusCode(202).body("state", equalTo("running"));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/projections/order-views/rebuild").then()
                .statusCode(200).body("state", equalTo("done")));

        assertThat(views(ids)).isEqualTo(live);
        int events = given().get("/projections/order-views/rebuild").then().extract().path("events");
        assertThat(events).isGreaterThanOrEqualTo(10);
        // The live projection goes on after the switch.
        OrderClient.command(ids.get(3), "confirm", 1);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/orders/{id}", ids.get(3)).then()
                .body("status", equalTo("confirmed")).body("version", equalTo(2)));
    }

    private static String views(List<String> ids) {
        return ids.stream().map(id -> given().get("/orders/{id}", id).then().statusCode(200).extract().asString())
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private void apply(ConsumerRecord<String, byte[]> record) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> projection.apply(record));
    }

    private static ConsumerRecord<String, byte[]> record(String orderId, long sequence, OrderEvent event) {
        return WireRecords.consumed("shop.orders", OrderWireMapping.typeOf(event), orderId, sequence,
                OrderWireMapping.toWire(event));
    }
}
