package dev.switchboard.shop.orders;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.switchboard.platform.http.ApiError;

/** The order API's errors as JSON: status, machine-readable code and the field at fault. */
class OrderErrorMappers {

    @ServerExceptionMapper
    Response rejected(OrderRejected e) {
        // Malformed command: 400. Well formed but not allowed in the order's state: 422.
        int status = e.kind() == OrderRejected.Kind.INVALID ? 400 : 422;
        return ApiError.of(e.code(), e.getMessage(), e.field()).toResponse(status);
    }

    @ServerExceptionMapper
    Response notFound(OrderNotFound e) {
        return ApiError.of("order_not_found", e.getMessage()).toResponse(Response.Status.NOT_FOUND);
    }

    @ServerExceptionMapper
    Response stale(StaleOrderVersion e) {
        Integer current = e.currentVersion() < 0 ? null : e.currentVersion();
        return new ApiError("stale_version", e.getMessage(), HttpHeaders.IF_MATCH, current, null)
                .toResponse(Response.Status.PRECONDITION_FAILED);
    }

    @ServerExceptionMapper
    Response preconditionRequired(OrderResource.PreconditionRequired e) {
        return ApiError.of("if_match_required", "send If-Match with the version (ETag) you read", HttpHeaders.IF_MATCH)
                .toResponse(428);
    }

    @ServerExceptionMapper
    Response invalidHeader(OrderResource.InvalidHeader e) {
        return ApiError.of("invalid_header", e.getMessage(), e.header).toResponse(Response.Status.BAD_REQUEST);
    }
}
