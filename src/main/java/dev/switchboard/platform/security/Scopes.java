package dev.switchboard.platform.security;

import java.security.Principal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Scopes are the token's {@code scope} claim (space-separated, OAuth 2 style), which SmallRye JWT turns into the
 * identity's roles ({@code smallrye.jwt.path.groups=scope}); the subject is whom they are granted to.
 */
public final class Scopes {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private Scopes() {
    }

    public static String streamRead(String topic) {
        return "streams:" + topic + ":read";
    }

    /** The scope a template names for these path parameters; a parameter the request lacks stays as written. */
    static String expand(String template, Map<String, String> parameters) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder scope = new StringBuilder();
        while (matcher.find()) {
            String value = parameters.get(matcher.group(1));
            matcher.appendReplacement(scope, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        return matcher.appendTail(scope).toString();
    }

    /** Whom a caller's token names: its {@code sub}, else the name SmallRye JWT gives it (upn, preferred name). */
    public static String subjectOf(Principal principal) {
        return principal instanceof JsonWebToken token && token.getSubject() != null
                ? token.getSubject()
                : principal.getName();
    }

    public static boolean holds(SecurityIdentity identity, String scope) {
        return identity != null && !identity.isAnonymous() && identity.hasRole(scope);
    }
}
