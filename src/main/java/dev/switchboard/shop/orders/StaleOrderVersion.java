package dev.switchboard.shop.orders;

/**
 * The caller decided on a version of the order that is no longer the current one (its If-Match is stale, or
 * another writer committed first). {@code currentVersion} is -1 when the winner's version is not known.
 */
public class StaleOrderVersion extends RuntimeException {

    private final int currentVersion;

    /**
     * @param expected
     *            the version the caller sent, or null when it accepted any (If-Match: *)
     */
    public StaleOrderVersion(String orderId, Integer expected, int currentVersion) {
        super("order " + orderId + " changed"
                + (expected == null ? " while your command ran" : ": you sent version " + expected)
                + (currentVersion < 0 ? ", another writer committed first" : ", it is at version " + currentVersion));
        this.currentVersion = currentVersion;
    }

    public int currentVersion() {
        return currentVersion;
    }
}
