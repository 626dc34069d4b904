package dev.switchboard.shop.orders;

/** An amount in the minor units of its currency (cents for EUR): exact, no floating point. */
public record Money(long amountMinor, String currency) {

    public Money times(int quantity) {
        return new Money(Math.multiplyExact(amountMinor, quantity), currency);
    }
}
