package dev.switchboard.shop.orders;

/** A command or query named an order that has no stream. */
public class OrderNotFound extends RuntimeException {

    public OrderNotFound(String orderId) {
        super("no order " + orderId);
    }
}
