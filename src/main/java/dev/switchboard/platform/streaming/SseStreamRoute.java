package dev.switchboard.platform.streaming;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.ScopeFilter;
import dev.switchboard.platform.security.Scopes;

/**
 * {@code GET /streams/{topic}}: a topic's events as Server-Sent Events, each with its position as the SSE id.
 * Query: {@code types} (comma-separated patterns with {@code *}), {@code subject}, {@code from} ({@code latest},
 * the default; {@code earliest}; or a position). A reconnecting client sends {@code Last-Event-ID} and resumes
 * after the last event it got, with no gap and no duplicate. The stream opens with the comment
 * {@code subscribed <position>} once it is in place; heartbeats are SSE comments; a client that falls behind gets
 * a {@code slow-consumer} event with the position to resume from, and the stream ends.
 * <p>
 * A Vert.x route, not a Quarkus REST resource, and written by hand for that reason: Quarkus REST serialized every
 * event again for every subscriber (a writer looked up, the text built) and passed it through Mutiny stages that
 * each captured the request's context, most of the service's CPU with thousands of subscribers
 * (bench/streams.sh). Here each response writes the event's one encoded buffer ({@link Delivery#sse()}). The token
 * was verified before any route runs, as for every endpoint (the cookie of {@code StreamCookieToken} included);
 * the scope is checked here, with the same answers as {@code ScopeFilter} gives Quarkus REST's endpoints. (So it
 * relies on Quarkus' proactive authentication, the default: without it every stream would be refused, 401.)
 */
@ApplicationScoped
class SseStreamRoute {

    private static final Logger LOG = Logger.getLogger(SseStreamRoute.class);

    private final StreamHubs hubs;
    private final ObjectMapper json;

    SseStreamRoute(StreamHubs hubs, ObjectMapper json) {
        this.hubs = hubs;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.get("/streams/:topic").handler(this::stream);
    }

    private void stream(RoutingContext request) {
        String topic = request.pathParam("topic");
        SecurityIdentity identity = request.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            request.response().putHeader("WWW-Authenticate", "Bearer");
            refuse(request, 401, ScopeFilter.unauthenticatedError());
            return;
        }
        String scope = Scopes.streamRead(topic);
        if (!Scopes.holds(identity, scope)) {
            refuse(request, 403, ScopeFilter.forbiddenError(scope));
            return;
        }
        if (!hubs.streams(topic)) {
            refuse(request, 404, ApiError.of("unknown_topic", "no stream for topic " + topic, "topic"));
            return;
        }
        String lastEventId = request.request().getHeader("Last-Event-ID");
        boolean resuming = lastEventId != null && !lastEventId.isBlank();
        String from = resuming ? lastEventId : request.queryParams().get("from");
        var filter = new StreamFilter(patterns(request.queryParams().get("types")),
                blankToNull(request.queryParams().get("subject")));
        // Blocking: the first subscriber of a topic starts its hub (a Kafka connection).
        request.vertx().executeBlocking(() -> hubs.subscribe(topic, filter, from, StreamHubs.Transport.SSE), false)
                .onSuccess(deliveries -> open(request, deliveries))
                .onFailure(failure -> {
                    if (failure instanceof StreamHubs.Stopping) {
                        request.response().putHeader("Retry-After", "1");
                        refuse(request, 503, ApiError.of("service_stopping", failure.getMessage()));
                    } else if (failure instanceof IllegalArgumentException) {
                        String field = resuming ? "Last-Event-ID" : "from";
                        refuse(request, 400, ApiError.of("invalid_position", field + " is not a position: "
                                + failure.getMessage() + " (or use latest, earliest)", field));
                    } else if (failure instanceof IllegalStateException) { // the topic's hub did not reach Kafka
                        LOG.warnf(failure, "the stream of %s could not start", topic);
                        request.response().putHeader("Retry-After", "5");
                        refuse(request, 503, ApiError.of("unavailable", "the topic's stream could not start;"
                                + " try again"));
                    } else {
                        LOG.errorf(failure, "a stream of %s failed to open", topic);
                        refuse(request, 500, ApiError.of("internal_error", "the server failed to open the stream"));
                    }
                });
    }

    private static void open(RoutingContext request, Flow.Publisher<Delivery> deliveries) {
        HttpServerResponse response = request.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        // HTTP/1.0 has no chunks: the stream's end is the connection's.
        boolean closeAtEnd = request.request().version() == HttpVersion.HTTP_1_0;
        if (closeAtEnd) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        deliveries.subscribe(new SseWriter(request.vertx().getOrCreateContext(), response, closeAtEnd));
    }

    /**
     * Writes a stream's deliveries to its response, the next once the last is written: a client that does not
     * read fills its subscriber's bounded queue, which then ends it as slow, instead of the server's memory. What
     * Vert.x calls back with (a write done, the connection closed) reaches the subscriber in a task of its own:
     * Vert.x may call back while it holds the connection's lock, and a subscriber sends while it holds its own.
     */
    private static final class SseWriter implements Flow.Subscriber<Delivery> {

        private final Context context;
        private final HttpServerResponse response;
        private final boolean closeAtEnd;
        private Flow.Subscription subscription;

        SseWriter(Context context, HttpServerResponse response, boolean closeAtEnd) {
            this.context = context;
            this.response = response;
            this.closeAtEnd = closeAtEnd;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            response.closeHandler(closed -> context.runOnContext(cancel -> subscription.cancel()));
            subscription.request(1);
        }

        @Override
        public void onNext(Delivery delivery) {
            response.write(delivery.sse()).onComplete(written -> context.runOnContext(next -> {
                if (written.succeeded()) {
                    subscription.request(1);
                } else {
                    subscription.cancel(); // the client is gone
                }
            }));
        }

        @Override
        public void onError(Throwable failure) {
            response.reset();
        }

        @Override
        public void onComplete() {
            response.end().onComplete(ended -> {
                if (closeAtEnd) {
                    response.close();
                }
            });
        }
    }

    private void refuse(RoutingContext request, int status, ApiError error) {
        String body;
        try {
            body = json.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }

    private static List<String> patterns(String types) {
        return types == null || types.isBlank()
                ? List.of()
                : Arrays.stream(types.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
