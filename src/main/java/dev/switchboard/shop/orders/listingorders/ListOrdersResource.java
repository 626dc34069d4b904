package dev.switchboard.shop.orders.listingorders;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;
import dev.switchboard.shop.orders.gettingorder.GetOrderResource.OrderDetails;
import dev.switchboard.shop.orders.gettingorder.OrderView;

/**
 * {@code GET /orders?status=&customer=&page=&size=}: orders from the read model, newest first, a page at a time.
 * Bad parameters answer 400 with the parameter's name.
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class ListOrdersResource {

    static final Set<String> STATUSES = Set.of("placed", "confirmed", "cancelled", "shipped");
    static final int MAX_SIZE = 100;

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record OrderPage(List<OrderDetails> items, int page, int size, long total) {
    }

    @GET
    @WithSession
    @RequiresScope("orders:read")
    public Uni<Response> list(@RestQuery String status, @RestQuery String customer, @RestQuery String page,
            @RestQuery String size) {
        if (status != null && !STATUSES.contains(status)) {
            return bad("status", "one of " + STATUSES);
        }
        if (customer != null && (customer.isBlank() || customer.length() > 200)) {
            return bad("customer", "1 to 200 characters");
        }
        Integer pageIndex = number(page, 0);
        Integer pageSize = number(size, 20);
        if (pageIndex == null || pageIndex < 0) {
            return bad("page", "a whole number from 0");
        }
        if (pageSize == null || pageSize < 1 || pageSize > MAX_SIZE) {
            return bad("size", "a whole number from 1 to " + MAX_SIZE);
        }
        var conditions = new ArrayList<String>();
        var parameters = new Parameters();
        if (status != null) {
            conditions.add("status = :status");
            parameters.and("status", status);
        }
        if (customer != null) {
            conditions.add("customerId = :customer");
            parameters.and("customer", customer);
        }
        var query = OrderView.<OrderView>find(String.join(" and ", conditions),
                Sort.descending("placedAt").and("orderId"), parameters);
        return query.page(Page.of(pageIndex, pageSize)).list()
                .chain(views -> query.count().map(total -> Response.ok(new OrderPage(
                        views.stream().map(OrderDetails::of).toList(), pageIndex, pageSize, total)).build()));
    }

    private static Integer number(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Uni<Response> bad(String field, String expected) {
        return Uni.createFrom().item(ApiError.of("invalid_query", field + " must be " + expected, field)
                .toResponse(Response.Status.BAD_REQUEST));
    }
}
