package dev.switchboard.shop.orders.gettingorder;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;

/**
 * The read model's rule, pure: an order's view after one more event. The live projection and the rebuild both
 * fold with it, so a rebuilt view is the live one.
 */
final class OrderViewFold {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderViewFold() {
    }

    /** One row of {@code order_view}; lines as JSON text. */
    record Row(String orderId, String customerId, String status, String currency, long totalMinor, String lines,
            int version, OffsetDateTime placedAt, OffsetDateTime updatedAt) {

        static Row of(OrderView view) {
            return new Row(view.orderId, view.customerId, view.status, view.currency, view.totalMinor, view.lines,
                    view.version, view.placedAt, view.updatedAt);
        }

        void copyTo(OrderView view) {
            view.orderId = orderId;
            view.customerId = customerId;
            view.status = status;
            view.currency = currency;
            view.totalMinor = totalMinor;
            view.lines = lines;
            view.version = version;
            view.placedAt = placedAt;
            view.updatedAt = updatedAt;
        }
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    record LineView(String sku, int quantity, long unitPriceMinor) {
    }

    /**
     * @param current
     *            the view before the event, null before the order's first event
     * @param version
     *            the event's position in the order's stream
     * @throws IllegalArgumentException
     *             when the event cannot follow {@code current} (an order event before the order was placed)
     */
    static Row next(Row current, OrderEvent event, int version) {
        OffsetDateTime at = utcMillis(switch (event) {
            case OrderPlaced placed -> placed.placedAt();
            case OrderConfirmed confirmed -> confirmed.confirmedAt();
            case OrderCancelled cancelled -> cancelled.cancelledAt();
            case OrderShipped shipped -> shipped.shippedAt();
        });
        if (event instanceof OrderPlaced placed) {
            return new Row(placed.orderId(), placed.customerId(), "placed", placed.currency(),
                    placed.lines().stream().mapToLong(line -> line.total().amountMinor()).sum(), linesJson(placed),
                    version, at, at);
        }
        if (current == null) {
            throw new IllegalArgumentException("order " + event.orderId() + " has no view before its event " + version);
        }
        String status = switch (event) {
            case OrderConfirmed confirmed -> "confirmed";
            case OrderCancelled cancelled -> "cancelled";
            case OrderShipped shipped -> "shipped";
            case OrderPlaced placed -> current.status();
        };
        return new Row(current.orderId(), current.customerId(), status, current.currency(), current.totalMinor(),
                current.lines(), version, current.placedAt(), at);
    }

    private static OffsetDateTime utcMillis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    private static String linesJson(OrderPlaced placed) {
        try {
            return JSON.writeValueAsString(placed.lines().stream()
                    .map(line -> new LineView(line.sku(), line.quantity(), line.unitPrice().amountMinor()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order lines cannot be written as JSON", e);
        }
    }
}
