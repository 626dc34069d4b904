package dev.switchboard.shop.orders;

import java.time.Instant;
import java.util.List;

/** What someone asks of an order. Each command carries the time it is decided at, so the decider stays pure. */
public sealed interface OrderCommand {

    String orderId();

    Instant at();

    record PlaceOrder(String orderId, String customerId, List<OrderLine> lines, Instant at) implements OrderCommand {
    }

    record ConfirmOrder(String orderId, Instant at) implements OrderCommand {
    }

    record CancelOrder(String orderId, String reason, Instant at) implements OrderCommand {
    }

    record ShipOrder(String orderId, Instant at) implements OrderCommand {
    }
}
