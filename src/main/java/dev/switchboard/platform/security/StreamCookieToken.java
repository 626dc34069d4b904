package dev.switchboard.platform.security;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

/**
 * A browser's SSE stream ({@code GET /streams/{topic}}) may carry its token in the same-site cookie
 * {@value #COOKIE} instead of the Authorization header, as an {@code EventSource} cannot set headers. Only there:
 * before authentication this filter turns the cookie into the header, so the token is verified and the topic's
 * scope checked exactly as for a header. Every other endpoint takes the header alone, so a cookie can never carry
 * a command (no cross-site request forgery through it). Hand-written because SmallRye JWT's cookie support applies
 * to every path at once.
 */
@ApplicationScoped
class StreamCookieToken {

    static final String COOKIE = "switchboard_token";
    /** GET /streams/{topic}, on the path as routed (normalized: no dot segments or encoded slashes slip by). */
    private static final Pattern STREAM = Pattern.compile("/streams/[^/]+");

    void register(@Observes Filters filters) {
        filters.register(context -> {
            var request = context.request();
            if (request.method() == HttpMethod.GET && STREAM.matcher(context.normalizedPath()).matches()
                    && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
                Cookie cookie = request.getCookie(COOKIE);
                if (cookie != null && !cookie.getValue().isBlank()) {
                    request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + cookie.getValue());
                }
            }
            context.next();
        }, SecurityHandlerPriorities.AUTHENTICATION + 10);
    }
}
