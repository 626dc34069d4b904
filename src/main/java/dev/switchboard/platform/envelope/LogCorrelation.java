package dev.switchboard.platform.envelope;

import org.jboss.logging.MDC;

/**
 * Puts the correlation id of the work at hand into the logging context (MDC key {@value #MDC_KEY}), beside the
 * {@code traceId} and {@code spanId} that Quarkus' OpenTelemetry support puts there: every log line of a command
 * and of the events it causes can be found by either. On a Vert.x thread Quarkus keeps the MDC in the request's or
 * the message's own (duplicated) context, so it follows the work across threads and never leaks into the next
 * request or record.
 */
public final class LogCorrelation {

    public static final String MDC_KEY = "correlationId";

    private LogCorrelation() {
    }

    /** Tags what is logged from here on in this context; a null id clears a tag left by earlier work. */
    public static void tag(String correlationId) {
        if (correlationId == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, correlationId);
        }
    }
}
