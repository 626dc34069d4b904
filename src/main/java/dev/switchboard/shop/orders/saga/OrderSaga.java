package dev.switchboard.shop.orders.saga;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * What the order saga knows of one order (table {@code order_saga}, Flyway V5): the payment and stock answers as
 * they arrive, in whatever order, and the outcome once it has decided.
 */
@Entity
@Table(name = "order_saga")
public class OrderSaga extends PanacheEntityBase {

    @Id
    @Column(name = "order_id", columnDefinition = "text")
    public String orderId;

    /** authorized or declined; null until the payments group answered. */
    @Column(columnDefinition = "text")
    public String payment;

    /** reserved or short; null until the inventory group answered. */
    @Column(columnDefinition = "text")
    public String stock;

    /** confirmed, cancelled, or order-closed (the order had left "placed" before the saga decided); null while open. */
    @Column(columnDefinition = "text")
    public String outcome;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
