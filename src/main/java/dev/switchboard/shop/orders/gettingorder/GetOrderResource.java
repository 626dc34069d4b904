package dev.switchboard.shop.orders.gettingorder;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;

/** {@code GET /orders/{id}}: the order from the read model (never from the event store); ETag = its version. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class GetOrderResource {

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record OrderDetails(String orderId, String customerId, String status, String currency, long totalMinor,
            @JsonRawValue String lines, int version, OffsetDateTime placedAt, OffsetDateTime updatedAt) {

        public static OrderDetails of(OrderView view) {
            return new OrderDetails(view.orderId, view.customerId, view.status, view.currency, view.totalMinor,
                    view.lines, view.version, view.placedAt, view.updatedAt);
        }
    }

    @GET
    @Path("/{id}")
    @WithSession
    @RequiresScope("orders:read")
    public Uni<Response> get(@RestPath String id) {
        if (!isUuid(id)) {
            return Uni.createFrom().item(notFound(id));
        }
        return OrderView.<OrderView>findById(id).map(view -> view == null
                ? notFound(id)
                : Response.ok(OrderDetails.of(view)).tag(new EntityTag(Integer.toString(view.version))).build());
    }

    private static Response notFound(String id) {
        // The view may lag the command by a moment: a client that just placed the order can retry.
        return ApiError.of("order_not_found", "no order " + id + " in the read model (yet)")
                .toResponse(Response.Status.NOT_FOUND);
    }

    private static boolean isUuid(String id) {
        try {
            UUID.fromString(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
