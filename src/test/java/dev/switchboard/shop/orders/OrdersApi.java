package dev.switchboard.shop.orders;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Calls to the order API as a client makes them, for the API tests. */
final class OrdersApi {

    static final Map<String, Object> VALID_ORDER = Map.of(
            "customerId", "c-42",
            "lines", List.of(
                    Map.of("sku", "book", "quantity", 2, "unitPrice", Map.of("amountMinor", 1250, "currency", "EUR")),
                    Map.of("sku", "pen", "quantity", 1, "unitPrice", Map.of("amountMinor", 300, "currency", "EUR"))));

    private OrdersApi() {
    }

    static Response place(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/orders");
    }

    /** Places a valid order and answers its id. */
    static String placed() {
        return place(VALID_ORDER).then().statusCode(201).extract().path("orderId");
    }

    static Response command(String orderId, String action, String ifMatch) {
        var request = given().contentType(ContentType.JSON);
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.post("/orders/{id}/{action}", orderId, action);
    }
}
