package dev.switchboard.shop.payments;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of consumer group payments. */
@ConfigMapping(prefix = "switchboard.payments")
public interface PaymentsConfig {

    /**
     * Credit per customer, in minor units: an order is authorized while the customer's authorized, not yet voided
     * payments plus its total stay within it, and declined otherwise. (One figure for every currency: the shop
     * domain is a reference, not a bank.)
     */
    @WithDefault("100000")
    long creditLimitMinor();
}
