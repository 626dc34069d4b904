package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;

/** Drives the order API over HTTP for tests outside the orders package (the relay's, for instance). */
public final class OrderClient {

    private OrderClient() {
    }

    public static String place(String correlationId) {
        var body = Map.of("customerId", "c-relay", "lines", List.of(
                Map.of("sku", "book", "quantity", 1, "unitPrice", Map.of("amountMinor", 990, "currency", "EUR"))));
        return given().contentType(ContentType.JSON).header("X-Correlation-ID", correlationId).body(body)
                .post("/orders").then().statusCode(201).extract().path("orderId");
    }

    public static void command(String orderId, String action, int ifMatchVersion) {
        given().contentType(ContentType.JSON).header("If-Match", "\"" + ifMatchVersion + "\"")
                .post("/orders/{id}/{action}", orderId, action)
                .then().statusCode(200);
    }

    /** The ids of an order's stored events, in version order. */
    public static List<String> eventIds(String orderId) {
        return given().get("/orders/{id}/events", orderId).then().statusCode(200).extract().path("eventId");
    }
}
