package dev.switchboard.shop.orders;

import java.time.Instant;
import java.util.List;

/** What happened to an order, in the past tense. Stored in stream {@code order-<id>}, published to shop.orders. */
public sealed interface OrderEvent {

    String orderId();

    record OrderPlaced(String orderId, String customerId, String currency, List<OrderLine> lines, Instant placedAt)
            implements
                OrderEvent {
    }

    record OrderConfirmed(String orderId, Instant confirmedAt) implements OrderEvent {
    }

    record OrderCancelled(String orderId, String reason, Instant cancelledAt) implements OrderEvent {
    }

    record OrderShipped(String orderId, Instant shippedAt) implements OrderEvent {
    }
}
