package dev.switchboard.shop.orders;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.switchboard.testing.Concurrently;
import dev.switchboard.testing.OrderClient;

/** Commands on an existing order: If-Match, versions, the order's rules, and concurrent writers. */
@QuarkusTest
class OrderLifecycleApiTest {

    @Test
    void order_isConfirmedShipped_andItsStreamTellsTheStory() {
        String id = OrderClient.placed();

        OrderClient.command(id, "confirm", "\"1\"").then().statusCode(200).header("ETag", "\"2\"");
        OrderClient.command(id, "ship", "\"2\"").then().statusCode(200).header("ETag", "\"3\"")
                .body("version", equalTo(3));

        given().get("/orders/{id}/events", id).then().statusCode(200).header("ETag", "\"3\"")
                .body("type", contains("order.placed.v1", "order.confirmed.v1", "order.shipped.v1"))
                .body("version", contains(1, 2, 3));
    }

    @Test
    void cancelOrder_fails_with428_withoutIfMatch() {
        String id = OrderClient.placed();

        OrderClient.command(id, "cancel", null).then().statusCode(428)
                .body("code", equalTo("if_match_required"))
                .body("field", equalTo("If-Match"));
    }

    @Test
    void cancelOrder_fails_with412_forAStaleVersion() {
        String id = OrderClient.placed();
        OrderClient.command(id, "confirm", "\"1\"").then().statusCode(200);

        OrderClient.command(id, "cancel", "\"1\"").then().statusCode(412)
                .body("code", equalTo("stale_version"))
                .body("currentVersion", equalTo(2));
    }

    @Test
    void cancelOrder_records_theReason() {
        String id = OrderClient.placed();

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"reason\": \"found it cheaper\"}")
                .post("/orders/{id}/cancel", id)
                .then().statusCode(200).header("ETag", "\"2\"");

        given().get("/orders/{id}/events", id).then().body("[1].data.reason", equalTo("found it cheaper"));
    }

    @Test
    void cancelOrder_fails_with400_forAnUnreadableIfMatch() {
        String id = OrderClient.placed();

        OrderClient.command(id, "cancel", "yesterday").then().statusCode(400).body("field", equalTo("If-Match"));
    }

    @Test
    void shipOrder_fails_with422_beforeConfirmation() {
        String id = OrderClient.placed();

        OrderClient.command(id, "ship", "\"1\"").then().statusCode(422).body("code", equalTo("order_not_confirmed"));
    }

    @Test
    void shipOrder_fails_with422_forACancelledOrder() {
        String id = OrderClient.placed();
        OrderClient.command(id, "cancel", "\"1\"").then().statusCode(200);

        OrderClient.command(id, "ship", "*").then().statusCode(422).body("code", equalTo("order_cancelled"));
    }

    @Test
    void cancelOrder_isANoOp_whenRepeated() {
        String id = OrderClient.placed();
        OrderClient.command(id, "cancel", "\"1\"").then().statusCode(200).header("ETag", "\"2\"");

        OrderClient.command(id, "cancel", "\"2\"").then().statusCode(200).header("ETag", "\"2\"");
    }

    @Test
    void commands_answer404_forAnUnknownOrder() {
        OrderClient.command(java.util.UUID.randomUUID().toString(), "cancel", "\"1\"").then().statusCode(404)
                .body("code", equalTo("order_not_found"));
        OrderClient.command("not-an-order-id", "ship", "\"1\"").then().statusCode(404)
                .body("code", equalTo("order_not_found"));
    }

    @Test
    void cancelOrder_fails_with400_forAControlCharacterInTheReason() {
        String id = OrderClient.placed();

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"reason\": \"bad\\u0000byte\"}")
                .post("/orders/{id}/cancel", id)
                .then().statusCode(400).body("field", equalTo("reason"));
    }

    @Test
    void concurrentCommands_atTheSameVersion_oneWins_theOthersGet412() throws Exception {
        String id = OrderClient.placed();
        int writers = 8;

        var outcomes = Concurrently.run(writers, () -> OrderClient.command(id, "confirm", "\"1\"").statusCode());

        assertThat(outcomes).allMatch(Concurrently.Outcome::succeeded, "every request got an answer");
        var statuses = outcomes.stream().map(Concurrently.Outcome::result).toList();

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 412).hasSize(writers - 1);
        given().get("/orders/{id}/events", id).then().body("type", contains("order.placed.v1", "order.confirmed.v1"));
    }
}
