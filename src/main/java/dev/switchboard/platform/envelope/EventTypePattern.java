package dev.switchboard.platform.envelope;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Event types chosen by patterns such as {@code order.*.v1} or {@code order.confirmed.v1}, where {@code *} stands
 * for any run of characters (dots included) and everything else matches itself.
 */
public final class EventTypePattern {

    // Streams test every event against every subscriber's patterns: literal types compare as strings.
    private final Set<String> literals;
    private final List<Pattern> wildcards;

    private EventTypePattern(Set<String> literals, List<Pattern> wildcards) {
        this.literals = literals;
        this.wildcards = wildcards;
    }

    public static EventTypePattern of(Collection<String> patterns) {
        List<String> given = patterns.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        return new EventTypePattern(given.stream().filter(p -> !p.contains("*")).collect(Collectors.toSet()),
                given.stream().filter(p -> p.contains("*")).map(EventTypePattern::compile).toList());
    }

    public boolean matches(String type) {
        if (type == null) {
            return false;
        }
        if (literals.contains(type)) {
            return true;
        }
        for (Pattern wildcard : wildcards) {
            if (wildcard.matcher(type).matches()) {
                return true;
            }
        }
        return false;
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
