package dev.switchboard.shop.inventory;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Units of one SKU held for one order until it ships or is cancelled (table {@code stock_reservation}). */
@Entity
@Table(name = "stock_reservation")
@IdClass(StockReservation.Key.class)
public class StockReservation extends PanacheEntityBase {

    @Id
    @Column(name = "order_id", columnDefinition = "text")
    public String orderId;

    @Id
    @Column(columnDefinition = "text")
    public String sku;

    @Column(nullable = false)
    public int quantity;

    public record Key(String orderId, String sku) implements Serializable {
    }
}
