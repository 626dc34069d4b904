package dev.switchboard.shop.orders;

/** One line of an order: how many units of a SKU, at what unit price. */
public record OrderLine(String sku, int quantity, Money unitPrice) {

    public Money total() {
        return unitPrice.times(quantity);
    }
}
