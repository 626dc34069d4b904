package dev.switchboard.platform.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of every error answer: a machine-readable {@code code}, a sentence for people, and where it
 * applies the {@code field} at fault (a path such as {@code lines[1].quantity}, or a header name), the order's
 * {@code currentVersion}, or the {@code scope} a token lacks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // serialized by Jackson outside a REST signature, also in native
public record ApiError(String code, String message, String field, Integer currentVersion, String scope) {

    public static ApiError of(String code, String message) {
        return new ApiError(code, message, null, null, null);
    }

    public static ApiError of(String code, String message, String field) {
        return new ApiError(code, message, field, null, null);
    }

    public Response toResponse(Response.Status status) {
        return toResponse(status.getStatusCode());
    }

    public Response toResponse(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }
}
