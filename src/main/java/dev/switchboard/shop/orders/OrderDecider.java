package dev.switchboard.shop.orders;

import java.util.Currency;
import java.util.HashSet;
import java.util.List;

import dev.switchboard.shop.orders.Order.Cancelled;
import dev.switchboard.shop.orders.Order.Confirmed;
import dev.switchboard.shop.orders.Order.None;
import dev.switchboard.shop.orders.Order.Placed;
import dev.switchboard.shop.orders.Order.Shipped;
import dev.switchboard.shop.orders.OrderCommand.CancelOrder;
import dev.switchboard.shop.orders.OrderCommand.ConfirmOrder;
import dev.switchboard.shop.orders.OrderCommand.PlaceOrder;
import dev.switchboard.shop.orders.OrderCommand.ShipOrder;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;

/**
 * The order's rules, as pure functions: {@link #decide} turns a command and the current state into new events
 * (or refuses it), {@link #evolve} folds an event into the state. No I/O, no clock, no framework.
 * Repeating a command that already took effect (confirm a confirmed order, cancel a cancelled one) decides no
 * events, so retries are harmless.
 */
public final class OrderDecider {

    static final int MAX_LINES = 100;
    static final int MAX_TEXT = 200;

    private OrderDecider() {
    }

    public static Order initialState() {
        return new None();
    }

    public static Order fold(List<? extends OrderEvent> events) {
        Order state = initialState();
        for (OrderEvent event : events) {
            state = evolve(state, event);
        }
        return state;
    }

    public static List<OrderEvent> decide(OrderCommand command, Order state) {
        return switch (command) {
            case PlaceOrder place -> place(place, state);
            case ConfirmOrder confirm -> confirm(confirm, state);
            case CancelOrder cancel -> cancel(cancel, state);
            case ShipOrder ship -> ship(ship, state);
        };
    }

    public static Order evolve(Order state, OrderEvent event) {
        return switch (event) {
            case OrderPlaced placed -> new Placed(placed.orderId(), placed.customerId(), placed.currency(),
                    placed.lines());
            case OrderConfirmed confirmed -> state instanceof Placed p
                    ? new Confirmed(p.id(), p.customerId(), p.currency(), p.lines())
                    : state;
            case OrderCancelled cancelled -> new Cancelled(cancelled.orderId(), cancelled.reason());
            case OrderShipped shipped -> new Shipped(shipped.orderId());
        };
    }

    private static List<OrderEvent> place(PlaceOrder command, Order state) {
        if (!(state instanceof None)) {
            throw OrderRejected.notAllowed("order_exists", "order " + command.orderId() + " already exists");
        }
        requireText(command.customerId(), "customerId");
        List<OrderLine> lines = command.lines();
        if (lines == null || lines.isEmpty()) {
            throw OrderRejected.invalid("lines", "an order needs at least one line");
        }
        if (lines.size() > MAX_LINES) {
            throw OrderRejected.invalid("lines", "an order has at most " + MAX_LINES + " lines");
        }
        var skus = new HashSet<String>();
        String currency = null;
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            String at = "lines[" + i + "]";
            if (line == null) {
                throw OrderRejected.invalid(at, "must not be null");
            }
            requireText(line.sku(), at + ".sku");
            if (!skus.add(line.sku())) {
                throw OrderRejected.invalid(at + ".sku", "SKU " + line.sku() + " appears twice; add up the quantity");
            }
            if (line.quantity() <= 0) {
                throw OrderRejected.invalid(at + ".quantity", "must be positive");
            }
            if (line.unitPrice() == null) {
                throw OrderRejected.invalid(at + ".unitPrice", "must be given");
            }
            if (line.unitPrice().amountMinor() <= 0) {
                throw OrderRejected.invalid(at + ".unitPrice.amountMinor", "must be positive");
            }
            String lineCurrency = requireCurrency(line.unitPrice().currency(), at + ".unitPrice.currency");
            if (currency == null) {
                currency = lineCurrency;
            } else if (!currency.equals(lineCurrency)) {
                throw OrderRejected.invalid(at + ".unitPrice.currency",
                        "an order has one currency: " + currency + ", not " + lineCurrency);
            }
            try {
                line.total();
            } catch (ArithmeticException overflow) {
                throw OrderRejected.invalid(at + ".quantity", "line total is too large");
            }
        }
        return List.of(new OrderPlaced(command.orderId(), command.customerId(), currency, List.copyOf(lines),
                command.at()));
    }

    private static List<OrderEvent> confirm(ConfirmOrder command, Order state) {
        return switch (state) {
            case None none -> throw notFound(command);
            case Placed placed -> List.of(new OrderConfirmed(command.orderId(), command.at()));
            case Confirmed confirmed -> List.of();
            case Shipped shipped -> List.of();
            case Cancelled cancelled -> throw OrderRejected.notAllowed("order_cancelled",
                    "a cancelled order cannot be confirmed");
        };
    }

    private static List<OrderEvent> cancel(CancelOrder command, Order state) {
        String reason = command.reason() == null || command.reason().isBlank() ? "not given" : command.reason();
        requirePrintable(reason, "reason");
        return switch (state) {
            case None none -> throw notFound(command);
            case Placed placed -> List.of(new OrderCancelled(command.orderId(), reason, command.at()));
            case Confirmed confirmed -> List.of(new OrderCancelled(command.orderId(), reason, command.at()));
            case Cancelled cancelled -> List.of();
            case Shipped shipped -> throw OrderRejected.notAllowed("order_shipped",
                    "a shipped order cannot be cancelled");
        };
    }

    private static List<OrderEvent> ship(ShipOrder command, Order state) {
        return switch (state) {
            case None none -> throw notFound(command);
            case Placed placed -> throw OrderRejected.notAllowed("order_not_confirmed",
                    "an order ships once payment and stock confirmed it");
            case Confirmed confirmed -> List.of(new OrderShipped(command.orderId(), command.at()));
            case Shipped shipped -> List.of();
            case Cancelled cancelled -> throw OrderRejected.notAllowed("order_cancelled",
                    "a cancelled order cannot be shipped");
        };
    }

    private static OrderNotFound notFound(OrderCommand command) {
        return new OrderNotFound(command.orderId());
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw OrderRejected.invalid(field, "must not be blank");
        }
        requirePrintable(value, field);
    }

    /** At most MAX_TEXT characters, none of them a control character or half of a surrogate pair. */
    private static void requirePrintable(String value, String field) {
        if (value.length() > MAX_TEXT) {
            throw OrderRejected.invalid(field, "at most " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean brokenPair = Character.isHighSurrogate(c)
                    ? i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(++i))
                    : Character.isLowSurrogate(c);
            if (Character.isISOControl(c) || brokenPair) {
                throw OrderRejected.invalid(field, "contains a control character or broken Unicode at index " + i);
            }
        }
    }

    private static String requireCurrency(String code, String field) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw OrderRejected.invalid(field, "an ISO 4217 code such as EUR");
        }
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException unknown) {
            throw OrderRejected.invalid(field, "unknown currency " + code);
        }
    }
}
