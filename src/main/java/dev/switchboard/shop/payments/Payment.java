package dev.switchboard.shop.payments;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The payment of one order (table {@code payment}, Flyway V5): authorized, declined, or voided after a cancel. */
@Entity
@Table(name = "payment")
public class Payment extends PanacheEntityBase {

    @Id
    @Column(name = "order_id", columnDefinition = "text")
    public String orderId;

    @Column(name = "customer_id", columnDefinition = "text", nullable = false)
    public String customerId;

    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;

    @Column(columnDefinition = "text", nullable = false)
    public String currency;

    /** authorized, declined or voided. */
    @Column(columnDefinition = "text", nullable = false)
    public String status;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
