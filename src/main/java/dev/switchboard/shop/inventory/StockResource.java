package dev.switchboard.shop.inventory;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;

/** {@code GET|PUT /inventory/{sku}}: the units of an SKU that can be reserved; PUT restocks (sets the figure). */
@Path("/inventory")
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record Stock(String sku, Integer available) {
    }

    @GET
    @Path("/{sku}")
    @WithSession
    @RequiresScope("inventory:read")
    public Uni<Response> get(@RestPath String sku) {
        return StockLevel.<StockLevel>findById(sku).map(level -> level == null
                ? ApiError.of("sku_not_found", "no stock recorded for " + sku).toResponse(Response.Status.NOT_FOUND)
                : Response.ok(new Stock(level.sku, level.available)).build());
    }

    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @RequiresScope("inventory:write")
    public Uni<Response> put(@RestPath String sku, Stock body) {
        if (body == null || body.available() == null || body.available() < 0) {
            return Uni.createFrom().item(ApiError.of("invalid_stock", "available must be a number >= 0",
                    "available").toResponse(Response.Status.BAD_REQUEST));
        }
        if (sku.isBlank() || sku.length() > 64) {
            return Uni.createFrom().item(ApiError.of("invalid_stock", "an SKU has 1 to 64 characters", "sku")
                    .toResponse(Response.Status.BAD_REQUEST));
        }
        return StockLevel.<StockLevel>findById(sku).chain(level -> {
            StockLevel target = level != null ? level : new StockLevel();
            target.sku = sku;
            target.available = body.available();
            return (level != null ? Uni.createFrom().item(target) : target.<StockLevel>persist())
                    .map(saved -> Response.ok(new Stock(saved.sku, saved.available)).build());
        });
    }
}
