package dev.switchboard.shop.orders;

import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;

/**
 * Domain events to and from their wire form (Avro records from src/main/avro, namespace
 * {@code dev.switchboard.wire.orders}), and their CloudEvents types. The wire form is also how events are
 * stored, so this mapping is the only place that knows both shapes.
 */
public final class OrderWireMapping {

    public static final String PLACED = "order.placed.v1";
    public static final String CONFIRMED = "order.confirmed.v1";
    public static final String CANCELLED = "order.cancelled.v1";
    public static final String SHIPPED = "order.shipped.v1";

    private static final Map<String, Class<? extends SpecificRecord>> WIRE_TYPES = Map.of(
            PLACED, dev.switchboard.wire.orders.OrderPlaced.class,
            CONFIRMED, dev.switchboard.wire.orders.OrderConfirmed.class,
            CANCELLED, dev.switchboard.wire.orders.OrderCancelled.class,
            SHIPPED, dev.switchboard.wire.orders.OrderShipped.class);

    private OrderWireMapping() {
    }

    public static String typeOf(OrderEvent event) {
        return switch (event) {
            case OrderPlaced e -> PLACED;
            case OrderConfirmed e -> CONFIRMED;
            case OrderCancelled e -> CANCELLED;
            case OrderShipped e -> SHIPPED;
        };
    }

    public static Class<? extends SpecificRecord> wireClass(String type) {
        var wireClass = WIRE_TYPES.get(type);
        if (wireClass == null) {
            throw new IllegalArgumentException("not an order event type: " + type);
        }
        return wireClass;
    }

    public static SpecificRecord toWire(OrderEvent event) {
        return switch (event) {
            case OrderPlaced e -> dev.switchboard.wire.orders.OrderPlaced.newBuilder()
                    .setOrderId(e.orderId())
                    .setCustomerId(e.customerId())
                    .setCurrency(e.currency())
                    .setLines(e.lines().stream()
                            .map(line -> new dev.switchboard.wire.orders.OrderLine(line.sku(), line.quantity(),
                                    line.unitPrice().amountMinor()))
                            .toList())
                    .setPlacedAt(e.placedAt())
                    .build();
            case OrderConfirmed e -> new dev.switchboard.wire.orders.OrderConfirmed(e.orderId(), e.confirmedAt());
            case OrderCancelled e -> new dev.switchboard.wire.orders.OrderCancelled(e.orderId(), e.reason(),
                    e.cancelledAt());
            case OrderShipped e -> new dev.switchboard.wire.orders.OrderShipped(e.orderId(), e.shippedAt());
        };
    }

    public static OrderEvent fromWire(SpecificRecord record) {
        return switch (record) {
            case dev.switchboard.wire.orders.OrderPlaced w -> new OrderPlaced(w.getOrderId(), w.getCustomerId(),
                    w.getCurrency(), lines(w.getLines(), w.getCurrency()), w.getPlacedAt());
            case dev.switchboard.wire.orders.OrderConfirmed w -> new OrderConfirmed(w.getOrderId(), w.getConfirmedAt());
            case dev.switchboard.wire.orders.OrderCancelled w -> new OrderCancelled(w.getOrderId(), w.getReason(),
                    w.getCancelledAt());
            case dev.switchboard.wire.orders.OrderShipped w -> new OrderShipped(w.getOrderId(), w.getShippedAt());
            default -> throw new IllegalArgumentException("not an order event: " + record.getSchema().getFullName());
        };
    }

    private static List<OrderLine> lines(List<dev.switchboard.wire.orders.OrderLine> wire, String currency) {
        return wire.stream()
                .map(line -> new OrderLine(line.getSku(), line.getQuantity(),
                        new Money(line.getUnitPriceMinor(), currency)))
                .toList();
    }
}
