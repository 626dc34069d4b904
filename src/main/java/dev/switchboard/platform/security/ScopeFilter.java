package dev.switchboard.platform.security;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.SecurityIdentity;

import dev.switchboard.platform.http.ApiError;

/**
 * Checks the scope each endpoint declares ({@link RequiresScope}) before the endpoint runs. The token itself
 * (signature, issuer, audience, expiry) was verified by SmallRye JWT when the request arrived; a token that fails
 * there is answered 401 before any endpoint. Here: no token is 401 with {@code WWW-Authenticate: Bearer}, a token
 * without the scope is 403 naming it.
 */
public class ScopeFilter {

    @Inject
    SecurityIdentity identity;

    @ServerRequestFilter
    public Optional<Response> requireScope(ResourceInfo resource, UriInfo uri) {
        RequiresScope required = declared(resource);
        if (required == null) {
            // Closed unless declared open: an endpoint someone forgot to annotate is refused, not served.
            return permitted(resource) ? Optional.empty() : Optional.of(forbidden("<undeclared>"));
        }
        if (identity.isAnonymous()) {
            return Optional.of(unauthenticated());
        }
        Map<String, String> parameters = new HashMap<>();
        uri.getPathParameters().forEach((name, values) -> parameters.put(name, values.getFirst()));
        String scope = Scopes.expand(required.value(), parameters);
        if (!Scopes.holds(identity, scope)) {
            return Optional.of(forbidden(scope));
        }
        return Optional.empty();
    }

    private static Response unauthenticated() {
        return Response.fromResponse(unauthenticatedError().toResponse(Response.Status.UNAUTHORIZED))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static Response forbidden(String scope) {
        return forbiddenError(scope).toResponse(Response.Status.FORBIDDEN);
    }

    /** The body of a 401 (with {@code WWW-Authenticate: Bearer}): no token came. Also the stream route's. */
    public static ApiError unauthenticatedError() {
        return ApiError.of("unauthenticated", "send a bearer token: Authorization: Bearer <token>");
    }

    /** The body of a 403: the token lacks the scope. Also the stream route's. */
    public static ApiError forbiddenError(String scope) {
        return new ApiError("forbidden", "this call needs scope " + scope, null, null, scope);
    }

    private static boolean permitted(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        return method == null || method.isAnnotationPresent(PermitAll.class)
                || resource.getResourceClass().isAnnotationPresent(PermitAll.class);
    }

    private static RequiresScope declared(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        RequiresScope onMethod = method.getAnnotation(RequiresScope.class);
        return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(RequiresScope.class);
    }
}
