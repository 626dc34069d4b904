package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Drives the order API over HTTP, as a client does, for every test that needs orders. */
public final class OrderClient {

    /** A valid order of two lines (2 x 12.50 + 1 x 3.00 EUR) for customer c-42. */
    public static final Map<String, Object> VALID_ORDER = order("c-42");

    private OrderClient() {
    }

    /** The body of a valid two-line order for a customer. */
    public static Map<String, Object> order(String customerId) {
        return Map.of("customerId", customerId, "lines", List.of(
                Map.of("sku", "book", "quantity", 2, "unitPrice", Map.of("amountMinor", 1250, "currency", "EUR")),
                Map.of("sku", "pen", "quantity", 1, "unitPrice", Map.of("amountMinor", 300, "currency", "EUR"))));
    }

    /** The body of a one-line order: {@code quantity} x {@code sku} at {@code unitPriceMinor} EUR. */
    public static Map<String, Object> order(String customerId, String sku, int quantity, long unitPriceMinor) {
        return Map.of("customerId", customerId, "lines", List.of(Map.of("sku", sku, "quantity", quantity,
                "unitPrice", Map.of("amountMinor", unitPriceMinor, "currency", "EUR"))));
    }

    public static Response place(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/orders");
    }

    /** Places a valid order and answers its id. */
    public static String placed() {
        return placed("c-42");
    }

    /** Places a valid order for a customer and answers its id. */
    public static String placed(String customerId) {
        return place(order(customerId)).then().statusCode(201).extract().path("orderId");
    }

    /** A command on an order, with If-Match when {@code ifMatch} is not null. */
    public static Response command(String orderId, String action, String ifMatch) {
        var request = given().contentType(ContentType.JSON);
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.post("/orders/{id}/{action}", orderId, action);
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
