package dev.switchboard.shop.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of consumer group inventory. */
@ConfigMapping(prefix = "switchboard.inventory")
public interface InventoryConfig {

    /**
     * Units an SKU starts with the first time an order asks for it (0: unknown SKUs are short until stocked
     * through {@code PUT /inventory/{sku}}; dev mode starts them at 1000 so that orders confirm out of the box).
     */
    @WithDefault("0")
    int initialStock();
}
