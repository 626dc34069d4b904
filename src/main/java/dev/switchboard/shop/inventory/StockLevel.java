package dev.switchboard.shop.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Units of one SKU that can still be reserved (table {@code stock_level}, Flyway V5). */
@Entity
@Table(name = "stock_level")
public class StockLevel extends PanacheEntityBase {

    @Id
    @Column(columnDefinition = "text")
    public String sku;

    @Column(nullable = false)
    public int available;
}
