package dev.switchboard.platform.streaming;

import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;

/**
 * {@code GET /streams/{topic}}: a topic's events as Server-Sent Events, each with its position as the SSE id.
 * Query: {@code types} (comma-separated patterns with {@code *}), {@code subject}, {@code from} ({@code latest},
 * the default; {@code earliest}; or a position). A reconnecting client sends {@code Last-Event-ID} and resumes
 * after the last event it got, with no gap and no duplicate. The stream opens with the comment
 * {@code subscribed <position>} once it is in place; heartbeats are SSE comments; a client that falls
 * behind gets a {@code slow-consumer} event with the position to resume from, and the stream ends.
 */
@Path("/streams")
public class StreamResource {

    private final StreamHubs hubs;

    StreamResource(StreamHubs hubs) {
        this.hubs = hubs;
    }

    @GET
    @Path("/{topic}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // the first subscriber of a topic starts its hub (a Kafka connection)
    @RequiresScope("streams:{topic}:read")
    public Multi<OutboundSseEvent> stream(@RestPath String topic, @RestQuery String types,
            @RestQuery String subject, @RestQuery String from,
            @RestHeader("Last-Event-ID") String lastEventId, @Context Sse sse) {
        if (!hubs.streams(topic)) {
            throw new UnknownTopic(topic);
        }
        String start = lastEventId != null && !lastEventId.isBlank() ? lastEventId : from;
        Multi<Delivery> deliveries;
        try {
            deliveries = hubs.subscribe(topic, new StreamFilter(patterns(types), blankToNull(subject)), start,
                    StreamHubs.Transport.SSE);
        } catch (IllegalArgumentException e) {
            throw new InvalidPosition(lastEventId != null && !lastEventId.isBlank() ? "Last-Event-ID" : "from",
                    e.getMessage());
        }
        return deliveries.map(delivery -> switch (delivery.kind()) {
            case EVENT -> sse.newEventBuilder().id(delivery.position()).data(delivery.json())
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).build();
            // With an id, so that a browser's EventSource resumes from here even before its first event.
            case SUBSCRIBED ->
                sse.newEventBuilder().id(delivery.position()).comment("subscribed " + delivery.position())
                        .build();
            case HEARTBEAT -> sse.newEventBuilder().comment("heartbeat").build();
            case SLOW_CONSUMER -> sse.newEventBuilder().name("slow-consumer").data(delivery.json())
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).build();
        });
    }

    @ServerExceptionMapper
    Response stopping(StreamHubs.Stopping e) {
        return Response.fromResponse(ApiError.of("service_stopping", e.getMessage())
                .toResponse(Response.Status.SERVICE_UNAVAILABLE)).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    Response unknownTopic(UnknownTopic e) {
        return ApiError.of("unknown_topic", e.getMessage(), "topic").toResponse(Response.Status.NOT_FOUND);
    }

    @ServerExceptionMapper
    Response invalidPosition(InvalidPosition e) {
        return ApiError.of("invalid_position", e.getMessage(), e.field).toResponse(Response.Status.BAD_REQUEST);
    }

    private static List<String> patterns(String types) {
        return types == null || types.isBlank()
                ? List.of()
                : Arrays.stream(types.split(",")).map(String::trim)
                        .filter(t -> !t.isEmpty()).toList();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    static class UnknownTopic extends RuntimeException {
        UnknownTopic(String topic) {
            super("no stream for topic " + topic);
        }
    }

    static class InvalidPosition extends RuntimeException {
        final String field;

        InvalidPosition(String field, String message) {
            super(field + " is not a position: " + message + " (or use latest, earliest)");
            this.field = field;
        }
    }
}
