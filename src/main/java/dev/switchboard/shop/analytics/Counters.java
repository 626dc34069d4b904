package dev.switchboard.shop.analytics;

/** Names of the rows of table {@code analytics_counter}. */
final class Counters {

    static final String PLACED = "orders.placed";
    static final String CONFIRMED = "orders.confirmed";
    static final String CANCELLED = "orders.cancelled";
    static final String SHIPPED = "orders.shipped";
    static final String REVENUE_PREFIX = "revenue.";

    static String revenue(String currency) {
        return REVENUE_PREFIX + currency;
    }

    private Counters() {
    }
}
