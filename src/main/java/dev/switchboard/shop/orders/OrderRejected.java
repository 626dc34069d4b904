package dev.switchboard.shop.orders;

/**
 * The decider refuses a command. {@link Kind#INVALID} means the command itself is malformed (the field says
 * where); {@link Kind#NOT_ALLOWED} means it is well formed but the order's state forbids it.
 */
public class OrderRejected extends RuntimeException {

    public enum Kind {
        INVALID, NOT_ALLOWED
    }

    private final Kind kind;
    private final String code;
    private final String field;

    private OrderRejected(Kind kind, String code, String field, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    static OrderRejected invalid(String field, String message) {
        return new OrderRejected(Kind.INVALID, "invalid_command", field, message);
    }

    static OrderRejected notAllowed(String code, String message) {
        return new OrderRejected(Kind.NOT_ALLOWED, code, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** Machine-readable reason, e.g. {@code invalid_command}, {@code order_cancelled}. */
    public String code() {
        return code;
    }

    /** The field at fault, as a path into the command ({@code lines[1].quantity}), or null. */
    public String field() {
        return field;
    }
}
