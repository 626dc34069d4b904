package dev.switchboard.shop.analytics;

import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

import dev.switchboard.platform.security.RequiresScope;

/** {@code GET /analytics}: the running counters of consumer group analytics. */
@Path("/analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    /** Revenue: authorized payments less voided ones, in minor units per currency. */
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record Snapshot(long ordersPlaced, long ordersConfirmed, long ordersCancelled, long ordersShipped,
            Map<String, Long> revenueMinor) {
    }

    private final Pool pool;

    AnalyticsResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @RequiresScope("analytics:read")
    public Uni<Snapshot> get() {
        return pool.query("SELECT name, value FROM analytics_counter").execute().map(rows -> {
            Map<String, Long> counters = new TreeMap<>();
            for (Row row : rows) {
                counters.put(row.getString("name"), row.getLong("value"));
            }
            Map<String, Long> revenue = new TreeMap<>();
            counters.forEach((name, value) -> {
                if (name.startsWith(Counters.REVENUE_PREFIX)) {
                    revenue.put(name.substring(Counters.REVENUE_PREFIX.length()), value);
                }
            });
            return new Snapshot(counters.getOrDefault(Counters.PLACED, 0L),
                    counters.getOrDefault(Counters.CONFIRMED, 0L), counters.getOrDefault(Counters.CANCELLED, 0L),
                    counters.getOrDefault(Counters.SHIPPED, 0L), revenue);
        });
    }

}
