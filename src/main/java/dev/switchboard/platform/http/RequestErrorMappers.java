package dev.switchboard.platform.http;

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

/**
 * Turns request-level failures into {@link ApiError} answers, so bad input always gets a 4xx with a code and,
 * where known, the field at fault, never a 500 or an HTML page.
 */
class RequestErrorMappers {

    private static final Logger LOG = Logger.getLogger(RequestErrorMappers.class);

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
}
