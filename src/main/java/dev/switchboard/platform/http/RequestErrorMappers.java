package dev.switchboard.platform.http;

import java.util.List;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.vertx.sqlclient.DatabaseException;

/**
 * Turns request-level failures into {@link ApiError} answers, so bad input always gets a 4xx with a code and,
 * where known, the field at fault, never a 500 or an HTML page.
 */
class RequestErrorMappers {

    private static final Logger LOG = Logger.getLogger(RequestErrorMappers.class);

    /**
     * SQLSTATE classes of a server that is not there for now: 08 connection exception, 57P operator intervention
     * (shutting down, crashed, starting: "the database system is shutting down" reached one chaos run's client).
     */
    private static final List<String> UNAVAILABLE_SQL_STATES = List.of("08", "57P");

    @ServerExceptionMapper
    Response malformedJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = JsonPaths.of(mapping);
        }
        String message = e.getOriginalMessage();
        return ApiError.of("malformed_json", message == null ? "the body is not valid JSON for this request" : message,
                field).toResponse(Response.Status.BAD_REQUEST);
    }

    // Quarkus REST has its own mapper for this subtype; ours, more specific to the user, keeps the error shape.
    @ServerExceptionMapper
    Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    Response unsupportedMediaType(NotSupportedException e) {
        return ApiError.of("unsupported_media_type", "send application/json", "Content-Type")
                .toResponse(Response.Status.UNSUPPORTED_MEDIA_TYPE);
    }

    @ServerExceptionMapper
    Response notFound(NotFoundException e) {
        return ApiError.of("not_found", "no such resource").toResponse(Response.Status.NOT_FOUND);
    }

    @ServerExceptionMapper
    Response notAllowed(NotAllowedException e) {
        return ApiError.of("method_not_allowed", "this resource does not answer that method")
                .toResponse(Response.Status.METHOD_NOT_ALLOWED);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    Response otherHttpError(WebApplicationException e) {
        // Quarkus REST reports an unreadable JSON body as a 400 wrapping Jackson's exception.
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return ApiError.of(status >= 500 ? "internal_error" : "bad_request", e.getMessage()).toResponse(status);
    }

    /**
     * Last resort for what no other mapper took: a database that cannot be reached (PostgreSQL stopped or
     * stopping, its pool timing out) is 503 {@code database_unavailable} with Retry-After, found in the cause
     * chain; anything else is a JSON 500 that is logged. Without it Quarkus answered such requests with a
     * plain-text 500 (bench/chaos.sh saw 56 of them while PostgreSQL was stopped).
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 200)
    Response unexpected(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (unreachable(cause)) {
                LOG.warnf("request refused, a server is unreachable: %s", cause.toString());
                return Response.fromResponse(ApiError.of("database_unavailable",
                        "the service cannot reach its database right now; nothing was changed, try again")
                        .toResponse(Response.Status.SERVICE_UNAVAILABLE)).header("Retry-After", "5").build();
            }
        }
        LOG.error("request failed", e);
        return ApiError.of("internal_error", "the request failed on the server").toResponse(500);
    }

    private static boolean unreachable(Throwable cause) {
        return cause instanceof java.net.ConnectException || cause instanceof java.nio.channels.ClosedChannelException
                || cause.getClass().getName().startsWith("io.vertx.sqlclient.ClosedConnection")
                || cause.getClass().getName().endsWith("NoStackTraceTimeoutException")
                || cause instanceof DatabaseException db && db.getSqlState() != null
                        && UNAVAILABLE_SQL_STATES.stream().anyMatch(db.getSqlState()::startsWith);
    }
}
