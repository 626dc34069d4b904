package dev.switchboard.shop.orders;

import java.util.List;

/** The state of one order, folded from its events; {@link None} before the first. */
public sealed interface Order {

    record None() implements Order {
    }

    record Placed(String id, String customerId, String currency, List<OrderLine> lines) implements Order {
    }

    record Confirmed(String id, String customerId, String currency, List<OrderLine> lines) implements Order {
    }

    record Cancelled(String id, String reason) implements Order {
    }

    record Shipped(String id) implements Order {
    }
}
