package dev.switchboard.platform.envelope;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Event types chosen by patterns such as {@code order.*.v1} or {@code order.confirmed.v1}, where {@code *} stands
 * for any run of characters (dots included) and everything else matches itself.
 */
public final class EventTypePattern {

    private final List<Pattern> patterns;

    private EventTypePattern(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    public static EventTypePattern of(Collection<String> patterns) {
        return new EventTypePattern(patterns.stream().map(String::trim).filter(p -> !p.isEmpty())
                .map(EventTypePattern::compile).toList());
    }

    public boolean matches(String type) {
        return type != null && patterns.stream().anyMatch(p -> p.matcher(type).matches());
    }

    private static Pattern compile(String pattern) {
        var regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }
}
