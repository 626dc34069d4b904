package dev.switchboard.shop.orders.gettingorder;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One order as the read side shows it (table {@code order_view}, Flyway V4), at the version of the last event
 * applied. Kept by {@link OrderViewProjection}; never written by the command side.
 */
@Entity
@Table(name = "order_view")
public class OrderView extends PanacheEntityBase {

    @Id
    @Column(name = "order_id", columnDefinition = "text")
    public String orderId;

    @Column(name = "customer_id", columnDefinition = "text", nullable = false)
    public String customerId;

    /** placed, confirmed, cancelled or shipped. */
    @Column(columnDefinition = "text", nullable = false)
    public String status;

    @Column(columnDefinition = "text", nullable = false)
    public String currency;

    @Column(name = "total_minor", nullable = false)
    public long totalMinor;

    /**
     * The lines as a JSON array [{"sku", "quantity", "unitPriceMinor"}], held here as its text: Hibernate's JSON
     * type reads only objects into a String attribute, and a String bound straight to a jsonb parameter would be
     * stored as a JSON string, not as the array. Hence the casts through text, both ways.
     */
    @ColumnTransformer(read = "lines::text", write = "(?::text)::jsonb")
    @Column(columnDefinition = "jsonb", nullable = false)
    public String lines;

    @Column(nullable = false)
    public int version;

    @Column(name = "placed_at", nullable = false)
    public OffsetDateTime placedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
