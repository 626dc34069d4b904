package dev.switchboard.shop.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.switchboard.testing.OrderClient;

@QuarkusTest
class PlaceOrderApiTest {

    @Test
    void placeOrder_answers201_withLocationAndETag_andStoresTheEvent() {
        var response = given().contentType(ContentType.JSON).header("X-Correlation-ID", "corr-place-1")
                .body(OrderClient.VALID_ORDER).post("/orders");
        response.then().statusCode(201).header("ETag", "\"1\"").body("version", equalTo(1));
        String orderId = response.path("orderId");
        response.then().header("Location", endsWith("/orders/" + orderId));

        given().get("/orders/{id}/events", orderId).then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("$", hasSize(1))
                .body("[0].type", equalTo("order.placed.v1"))
                .body("[0].version", equalTo(1))
                .body("[0].eventId", notNullValue())
                .body("[0].data.orderId", equalTo(orderId))
                .body("[0].data.customerId", equalTo("c-42"))
                .body("[0].data.currency", equalTo("EUR"))
                .body("[0].data.lines.sku", contains("book", "pen"))
                .body("[0].metadata.correlationId", equalTo("corr-place-1"))
                .body("[0].metadata.causationId", startsWith("command:"));
    }

    @Test
    void placeOrder_fails_with400AndTheField_forANonPositiveQuantity() {
        var body = Map.of("customerId", "c-1", "lines", List.of(
                Map.of("sku", "book", "quantity", 1, "unitPrice", Map.of("amountMinor", 100, "currency", "EUR")),
                Map.of("sku", "pen", "quantity", -3, "unitPrice", Map.of("amountMinor", 100, "currency", "EUR"))));

        OrderClient.place(body).then().statusCode(400)
                .body("code", equalTo("invalid_command"))
                .body("field", equalTo("lines[1].quantity"));
    }

    @Test
    void placeOrder_fails_with400_forAnEmptyOrder() {
        OrderClient.place(Map.of("customerId", "c-1", "lines", List.of())).then().statusCode(400)
                .body("code", equalTo("invalid_command"))
                .body("field", equalTo("lines"));
    }

    @Test
    void placeOrder_fails_with400_forTwoCurrencies() {
        var body = Map.of("customerId", "c-1", "lines", List.of(
                Map.of("sku", "book", "quantity", 1, "unitPrice", Map.of("amountMinor", 100, "currency", "EUR")),
                Map.of("sku", "pen", "quantity", 1, "unitPrice", Map.of("amountMinor", 100, "currency", "USD"))));

        OrderClient.place(body).then().statusCode(400).body("field", equalTo("lines[1].unitPrice.currency"));
    }

    @Test
    void placeOrder_fails_with400_forAMissingPrice() {
        var body = Map.of("customerId", "c-1", "lines", List.of(Map.of("sku", "book", "quantity", 1)));

        OrderClient.place(body).then().statusCode(400).body("field", equalTo("lines[0].unitPrice.amountMinor"));
    }

    @Test
    void placeOrder_fails_with400_forMalformedJson() {
        given().contentType(ContentType.JSON).body("{\"customerId\": \"c-1\", \"lines\": [").post("/orders")
                .then().statusCode(400).body("code", equalTo("malformed_json"));
    }

    @Test
    void placeOrder_fails_with400AndThePath_forAWrongType() {
        given().contentType(ContentType.JSON)
                .body("{\"customerId\": \"c-1\", \"lines\": [{\"sku\": \"a\", \"quantity\": \"many\"}]}")
                .post("/orders")
                .then().statusCode(400)
                .body("code", equalTo("malformed_json"))
                .body("field", equalTo("lines[0].quantity"));
    }

    @Test
    void placeOrder_fails_with400_forAFractionalQuantity() {
        given().contentType(ContentType.JSON)
                .body("{\"customerId\": \"c-1\", \"lines\": [{\"sku\": \"a\", \"quantity\": 1.9,"
                        + " \"unitPrice\": {\"amountMinor\": 100, \"currency\": \"EUR\"}}]}")
                .post("/orders")
                .then().statusCode(400)
                .body("code", equalTo("malformed_json"))
                .body("field", equalTo("lines[0].quantity"));
    }

    @Test
    void placeOrder_fails_with400_forANulCharacter() {
        given().contentType(ContentType.JSON)
                .body("{\"customerId\": \"c\\u00001\", \"lines\": [{\"sku\": \"a\", \"quantity\": 1,"
                        + " \"unitPrice\": {\"amountMinor\": 100, \"currency\": \"EUR\"}}]}")
                .post("/orders")
                .then().statusCode(400)
                .body("field", equalTo("customerId"));
    }

    @Test
    void placeOrder_fails_with400_withoutABody() {
        given().contentType(ContentType.JSON).post("/orders").then().statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void placeOrder_fails_with415_forAnotherContentType() {
        given().contentType(ContentType.TEXT).body("an order please").post("/orders")
                .then().statusCode(415).body("code", equalTo("unsupported_media_type"));
    }

    @Test
    void placeOrder_fails_with400_forAnInvalidCorrelationId() {
        given().contentType(ContentType.JSON).header("X-Correlation-ID", "has spaces and ; semicolons")
                .body(OrderClient.VALID_ORDER).post("/orders")
                .then().statusCode(400)
                .body("code", equalTo("invalid_header"))
                .body("field", equalTo("X-Correlation-ID"));
    }

    @Test
    void events_answer404_forAnUnknownOrder() {
        given().get("/orders/{id}/events", "no-such-order").then().statusCode(404)
                .body("code", equalTo("order_not_found"));
    }
}
