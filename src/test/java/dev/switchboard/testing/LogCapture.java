package dev.switchboard.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects what the service logs while it is open, with each line's logging context (MDC) as the service's own
 * handlers see it: a handler on the root logger of the JBoss LogManager that the test JVM shares with Quarkus.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One log line: its logger, its formatted message and its MDC at the moment it was logged. */
    public record Line(String logger, String message, Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        var capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), Map.copyOf(ext.getMdcCopy())));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
