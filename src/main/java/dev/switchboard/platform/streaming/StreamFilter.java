package dev.switchboard.platform.streaming;

import java.util.List;

import dev.switchboard.platform.envelope.EventTypePattern;

/** What one subscriber wants: event types (patterns with {@code *}; none means all) and one subject, or any. */
public record StreamFilter(List<String> types, String subject) {

    public StreamFilter {
        types = types == null ? List.of() : List.copyOf(types);
    }

    EventTypePattern typePattern() {
        return EventTypePattern.of(types);
    }

    boolean matches(EventTypePattern pattern, String type, String eventSubject) {
        return (types.isEmpty() || pattern.matches(type)) && (subject == null || subject.equals(eventSubject));
    }
}
