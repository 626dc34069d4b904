package dev.switchboard.shop.orders;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.envelope.EventMetadata;
import dev.switchboard.platform.envelope.LogCorrelation;
import dev.switchboard.platform.security.RequiresScope;
import dev.switchboard.shop.orders.OrderCommand.CancelOrder;
import dev.switchboard.shop.orders.OrderCommand.ConfirmOrder;
import dev.switchboard.shop.orders.OrderCommand.PlaceOrder;
import dev.switchboard.shop.orders.OrderCommand.ShipOrder;

/**
 * Order commands over HTTP. {@code POST /orders} creates an order (201, {@code Location}, {@code ETag} = version);
 * later commands must send {@code If-Match} with the version they read: missing, 428; stale, 412. A command runs
 * to its end even when the client goes away ({@code @Cancellable(false)}), so that its outcome is never half known.
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?(\\d{1,9})\"?");

    private final OrderCommandHandler handler;

    OrderResource(OrderCommandHandler handler) {
        this.handler = handler;
    }

    /** The body of POST /orders, and of a place-order command from RabbitMQ queue shop.inbound. */
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record PlaceOrderRequest(String customerId, List<LineRequest> lines) {

        /** The command; a line with a missing part is refused here, every other rule is the decider's. */
        public PlaceOrder toCommand(String orderId, Instant placedAt) {
            return new PlaceOrder(orderId, customerId, lines(lines), placedAt);
        }

        private static List<OrderLine> lines(List<LineRequest> requests) {
            if (requests == null) {
                return List.of();
            }
            var lines = new ArrayList<OrderLine>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                LineRequest line = requests.get(i);
                String at = "lines[" + i + "]";
                if (line == null) {
                    throw OrderRejected.invalid(at, "must not be null");
                }
                if (line.quantity() == null) {
                    throw OrderRejected.invalid(at + ".quantity", "must be given");
                }
                if (line.unitPrice() == null || line.unitPrice().amountMinor() == null) {
                    throw OrderRejected.invalid(at + ".unitPrice.amountMinor", "must be given");
                }
                lines.add(new OrderLine(line.sku(), line.quantity(),
                        new Money(line.unitPrice().amountMinor(), line.unitPrice().currency())));
            }
            return lines;
        }
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record LineRequest(String sku, Integer quantity, PriceRequest unitPrice) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record PriceRequest(Long amountMinor, String currency) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record CancelRequest(String reason) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record OrderVersion(String orderId, int version) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record EventView(long position, int version, UUID eventId, String type, OffsetDateTime recordedAt,
            @JsonRawValue String data, EventMetadata metadata) {
    }

    @POST
    @Cancellable(false)
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope("orders:write")
    public Uni<Response> place(PlaceOrderRequest request,
            @RestHeader(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId) {
        if (request == null) {
            throw OrderRejected.invalid("body", "send the order as JSON");
        }
        String orderId = UUID.randomUUID().toString();
        var command = request.toCommand(orderId, now());
        return run(command, null, correlationId)
                .map(outcome -> versioned(Response.created(URI.create("/orders/" + orderId)), outcome));
    }

    @POST
    @Cancellable(false)
    @Path("/{id}/confirm")
    @RequiresScope("orders:write")
    public Uni<Response> confirm(@RestPath String id, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch,
            @RestHeader(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId) {
        return onExisting(new ConfirmOrder(orderId(id), now()), ifMatch, correlationId);
    }

    @POST
    @Cancellable(false)
    @Path("/{id}/cancel")
    @RequiresScope("orders:write")
    public Uni<Response> cancel(@RestPath String id, CancelRequest request,
            @RestHeader(HttpHeaders.IF_MATCH) String ifMatch,
            @RestHeader(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId) {
        String reason = request == null ? null : request.reason();
        return onExisting(new CancelOrder(orderId(id), reason, now()), ifMatch, correlationId);
    }

    @POST
    @Cancellable(false)
    @Path("/{id}/ship")
    @RequiresScope("orders:write")
    public Uni<Response> ship(@RestPath String id, @RestHeader(HttpHeaders.IF_MATCH) String ifMatch,
            @RestHeader(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId) {
        return onExisting(new ShipOrder(orderId(id), now()), ifMatch, correlationId);
    }

    @GET
    @Path("/{id}/events")
    @RequiresScope("orders:read")
    public Uni<Response> events(@RestPath String id) {
        return handler.history(orderId(id)).map(history -> {
            if (history.isEmpty()) {
                throw new OrderNotFound(id);
            }
            var views = history.stream()
                    .map(e -> new EventView(e.position(), e.version(), e.eventId(), e.type(), e.recordedAt(),
                            e.payload(), e.metadata()))
                    .toList();
            return Response.ok(views).tag(versionTag(history.getLast().version())).build();
        });
    }

    /** A command on an existing order: 200 with the order's version as ETag. */
    private Uni<Response> onExisting(OrderCommand command, String ifMatch, String correlationId) {
        return run(command, requiredVersion(ifMatch), correlationId).map(outcome -> versioned(Response.ok(), outcome));
    }

    private Uni<OrderCommandHandler.Outcome> run(OrderCommand command, Integer expectedVersion, String correlationId) {
        return handler.handle(command, expectedVersion, metadata(correlationId));
    }

    private static Response versioned(Response.ResponseBuilder builder, OrderCommandHandler.Outcome outcome) {
        return builder.entity(new OrderVersion(outcome.orderId(), outcome.version()))
                .tag(versionTag(outcome.version()))
                .build();
    }

    private static EntityTag versionTag(int version) {
        return new EntityTag(Integer.toString(version));
    }

    /** If-Match carries the version the caller read, as an ETag ("3"); "*" means any existing version. */
    private static Integer requiredVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequired();
        }
        if (ifMatch.trim().equals("*")) {
            return null;
        }
        var matcher = VERSION_TAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw new InvalidHeader(HttpHeaders.IF_MATCH, "an ETag of this order, e.g. \"3\"");
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static EventMetadata metadata(String correlationId) {
        if (correlationId != null && !CORRELATION_ID.matcher(correlationId).matches()) {
            throw new InvalidHeader(EnvelopeHeaders.HTTP_CORRELATION_ID, "1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        String correlation = correlationId != null ? correlationId : UUID.randomUUID().toString();
        LogCorrelation.tag(correlation);
        String causation = "command:" + UUID.randomUUID();
        return new EventMetadata(correlation, causation, traceparent());
    }

    /** The W3C traceparent of the current span, or null outside a trace. */
    private static String traceparent() {
        var carrier = new HashMap<String, String>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(EnvelopeHeaders.TRACEPARENT);
    }

    /** Order ids are UUIDs (made by POST /orders): anything else names no order. */
    private static String orderId(String id) {
        try {
            UUID.fromString(id);
            return id;
        } catch (IllegalArgumentException notAUuid) {
            throw new OrderNotFound(id);
        }
    }

    // Avro keeps milliseconds; deciding at the same precision keeps the stored events equal to the decided ones.
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A command on an existing order came without If-Match. */
    static class PreconditionRequired extends RuntimeException {
    }

    /** A header the caller sent cannot be used. */
    static class InvalidHeader extends RuntimeException {

        final String header;

        InvalidHeader(String header, String expected) {
            super(header + " must be " + expected);
            this.header = header;
        }
    }
}
