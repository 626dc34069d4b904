package dev.switchboard.shop.orders.gettingorder;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;

/**
 * {@code POST /projections/order-views/rebuild} starts a rebuild of the order views from the event store (202, or
 * 409 while one runs); {@code GET} on the same path tells how the last one went.
 */
@Path("/projections/order-views/rebuild")
@Produces(MediaType.APPLICATION_JSON)
public class RebuildOrderViewsResource {

    private final OrderViewRebuild rebuild;

    RebuildOrderViewsResource(OrderViewRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @POST
    @RequiresScope("projections:admin")
    public Uni<Response> start() {
        return rebuild.start().map(started -> started == null
                ? ApiError.of("rebuild_running", "a rebuild of order-views is running; GET this path for its progress")
                        .toResponse(Response.Status.CONFLICT)
                : Response.accepted(started).build());
    }

    @GET
    @RequiresScope("projections:admin")
    public OrderViewRebuild.Status status() {
        return rebuild.status();
    }
}
