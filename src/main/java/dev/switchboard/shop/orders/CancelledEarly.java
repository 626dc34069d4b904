package dev.switchboard.shop.orders;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * For groups that react to an order's placement and undo it on its cancellation (payments, inventory): a cancel
 * that finds nothing to undo is remembered (table {@code order_cancelled_early}, in the caller's transaction), so
 * that a placement arriving later — dead-lettered, then redriven — is skipped instead of holding credit or stock
 * for a cancelled order.
 */
public final class CancelledEarly {

    private CancelledEarly() {
    }

    public static Uni<Void> remember(String group, String orderId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO order_cancelled_early (consumer_group, order_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, group).setParameter(2, orderId).executeUpdate()).replaceWithVoid();
    }

    public static Uni<Boolean> was(String group, String orderId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT count(*) FROM order_cancelled_early WHERE consumer_group = ?1 AND order_id = ?2", Long.class)
                .setParameter(1, group).setParameter(2, orderId).getSingleResult()).map(count -> count > 0);
    }
}
