package dev.switchboard.platform.envelope;

/** Names of the message headers Switchboard sets beside the CloudEvents attributes (ce_*). */
public final class EnvelopeHeaders {

    public static final String CORRELATION_ID = "correlationid";
    public static final String CAUSATION_ID = "causationid";
    public static final String TRACEPARENT = "traceparent";
    /** The HTTP request header a caller may send to join its own correlation id. */
    public static final String HTTP_CORRELATION_ID = "X-Correlation-ID";

    private EnvelopeHeaders() {
    }
}
