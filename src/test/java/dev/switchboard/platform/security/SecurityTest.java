package dev.switchboard.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.platform.streaming.StreamSocket;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.SseClient;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WsClient;

/**
 * Every endpoint, the SSE stream and the WebSocket, with real tokens signed by the local issuer's key (and some a
 * real issuer would never sign): bad tokens are 401 with a challenge, a missing scope is 403 naming it, the right
 * scope gets in; a socket keeps its allowed subscriptions when another is forbidden, asks for a fresh token before
 * expiry and closes at it; redrive and discard need the admin scope and leave an audit record.
 */
@QuarkusTest
class SecurityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String NO_ORDER = UUID.randomUUID().toString();

    /** An endpoint: its method, path, the scope it needs, and a body when it takes one. */
    record Endpoint(String method, String path, String scope, String contentType, String body, boolean harmless) {

        Response call(RequestSpecification request) {
            if (contentType != null) {
                request = request.contentType(contentType).body(body);
            }
            return request.request(method, path);
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/orders", "orders:write", "application/json",
                    "{\"customerId\":\"c-sec\",\"lines\":[{\"sku\":\"book\",\"quantity\":1,"
                            + "\"unitPrice\":{\"amountMinor\":990,\"currency\":\"EUR\"}}]}",
                    true),
            new Endpoint("POST", "/orders/" + NO_ORDER + "/confirm", "orders:write", null, null, true),
            new Endpoint("POST", "/orders/" + NO_ORDER + "/cancel", "orders:write", "application/json",
                    "{\"reason\":\"test\"}", true),
            new Endpoint("POST", "/orders/" + NO_ORDER + "/ship", "orders:write", null, null, true),
            new Endpoint("GET", "/orders", "orders:read", null, null, true),
            new Endpoint("GET", "/orders/" + NO_ORDER, "orders:read", null, null, true),
            new Endpoint("GET", "/orders/" + NO_ORDER + "/events", "orders:read", null, null, true),
            new Endpoint("GET", "/inventory/sku-security", "inventory:read", null, null, true),
            new Endpoint("PUT", "/inventory/sku-security", "inventory:write", "application/json",
                    "{\"available\":3}", true),
            new Endpoint("GET", "/analytics", "analytics:read", null, null, true),
            new Endpoint("GET", "/projections/order-views/rebuild", "projections:admin", null, null, true),
            // Starts a rebuild: never called with the right scope here.
            new Endpoint("POST", "/projections/order-views/rebuild", "projections:admin", null, null, false),
            new Endpoint("GET", "/dead-letters", "dead-letters:read", null, null, true),
            new Endpoint("GET", "/dead-letters/999999999", "dead-letters:read", null, null, true),
            new Endpoint("GET", "/dead-letters/audit", "dead-letters:read", null, null, true),
            new Endpoint("POST", "/dead-letters/999999999/redrive", "dead-letters:admin", null, null, true),
            new Endpoint("POST", "/dead-letters/redrive?group=security-test-nobody", "dead-letters:admin", null,
                    null, true),
            new Endpoint("POST", "/dead-letters/999999999/discard", "dead-letters:admin", "application/json",
                    "{\"reason\":\"test\"}", true),
            new Endpoint("POST", "/topics/ingest.test/events", "topics:ingest.test:produce",
                    "application/cloudevents+json", "{\"not\":\"an event\"}", true));

    @Inject
    Pool pool;

    @BeforeEach
    void withoutTheSuitesOperatorToken() {
        RestAssured.replaceFiltersWith(List.of());
    }

    /** Tokens the service must refuse, each named by what is wrong with it. */
    static Map<String, String> badTokens() throws Exception {
        String scopes = String.join(" ", ENDPOINTS.stream().map(Endpoint::scope).toList())
                + " streams:shop.orders:read";
        String[] all = scopes.split(" ");
        var bad = new LinkedHashMap<String, String>();
        bad.put("expired", Tokens.mint("s", claims -> claims.setExpirationTime(NumericDate.fromSeconds(
                Instant.now().minusSeconds(300).getEpochSecond())), all));
        bad.put("not yet valid", Tokens.mint("s", claims -> claims.setNotBefore(NumericDate.fromSeconds(
                Instant.now().plusSeconds(600).getEpochSecond())), all));
        bad.put("wrong issuer", Tokens.mint("s", claims -> claims.setIssuer("someone-else"), all));
        bad.put("wrong audience", Tokens.mint("s", claims -> claims.setAudience("another-service"), all));
        bad.put("wrong signature", Tokens.sign(Tokens.claims("s", claims -> {
        }, all), Tokens.strangerKey()));
        bad.put("alg none", Tokens.unsigned(Tokens.claims("s", claims -> {
        }, all)));
        bad.put("HS256 keyed with the public key", Tokens.hmacWithPublicKey(Tokens.claims("s", claims -> {
        }, all)));
        bad.put("not a JWT", "abc.def.ghi");
        return bad;
    }

    @Test
    void everyEndpoint_answers401WithAChallenge_withoutAToken_andForEveryKindOfBadToken() throws Exception {
        var bad = badTokens();
        for (Endpoint endpoint : ENDPOINTS) {
            endpoint.call(given()).then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
            bad.forEach((what, token) -> {
                var response = endpoint.call(given().header("Authorization", "Bearer " + token));
                assertThat(response.statusCode()).as(endpoint.method() + " " + endpoint.path() + ", " + what)
                        .isEqualTo(401);
                assertThat(response.header("WWW-Authenticate")).as(what).startsWith("Bearer");
            });
        }
    }

    @Test
    void everyEndpoint_answers403NamingTheScope_forAValidTokenWithout_andLetsTheRightScopeIn() {
        String unrelated = Tokens.mint("s-unrelated", Duration.ofMinutes(10), "something:else");
        for (Endpoint endpoint : ENDPOINTS) {
            endpoint.call(given().header("Authorization", "Bearer " + unrelated)).then().statusCode(403)
                    .body("code", equalTo("forbidden")).body("scope", equalTo(endpoint.scope()));
            if (endpoint.harmless()) {
                String right = Tokens.mint("s-right", Duration.ofMinutes(10), endpoint.scope());
                int status = endpoint.call(given().header("Authorization", "Bearer " + right)).statusCode();
                assertThat(status).as(endpoint.method() + " " + endpoint.path()).isNotIn(401, 403).isLessThan(500);
            }
        }
    }

    @Test
    void sse_checksTheTokenAndTheTopicsScope_atConnect() throws Exception {
        try (var none = SseClient.open("/streams/shop.orders", header(null))) {
            assertThat(none.status()).isEqualTo(401);
        }
        for (var bad : badTokens().entrySet()) {
            try (var refused = SseClient.open("/streams/shop.orders", header(bad.getValue()))) {
                assertThat(refused.status()).as(bad.getKey()).isEqualTo(401);
            }
        }
        String otherTopic = Tokens.mint("s-sse", Duration.ofMinutes(10), "streams:shop.payments:read");
        try (var forbidden = SseClient.open("/streams/shop.orders", header(otherTopic))) {
            assertThat(forbidden.status()).isEqualTo(403);
        }
        // The stream's route answers as every endpoint does: a code, and what a client needs to act.
        given().get("/streams/shop.orders").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthenticated"));
        given().auth().oauth2(otherTopic).get("/streams/shop.orders").then().statusCode(403)
                .body("code", equalTo("forbidden")).body("scope", equalTo("streams:shop.orders:read"));
        String right = Tokens.mint("s-sse", Duration.ofMinutes(10), "streams:shop.orders:read");
        try (var allowed = SseClient.open("/streams/shop.orders", header(right))) {
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.nextComment(PATIENCE).data()).startsWith("subscribed");
        }
        // A browser's EventSource sends the same-site cookie instead; it is checked the same way, on streams only.
        var cookie = header(null);
        cookie.put("Cookie", "switchboard_token=" + right);
        try (var allowed = SseClient.open("/streams/shop.orders", cookie)) {
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.nextComment(PATIENCE).data()).startsWith("subscribed");
        }
        cookie.put("Cookie", "switchboard_token=" + otherTopic);
        try (var forbidden = SseClient.open("/streams/shop.orders", cookie)) {
            assertThat(forbidden.status()).isEqualTo(403);
        }
        given().header("Cookie", "switchboard_token=" + Tokens.operator()).get("/orders").then().statusCode(401);
    }

    @Test
    void webSocket_refusesBadTokensAtTheUpgrade_andNeverEchoesTheToken() throws Exception {
        assertThat(handshake(null, null)).isEqualTo(401);
        for (var bad : badTokens().entrySet()) {
            assertThat(handshake(bad.getValue(), null)).as(bad.getKey()).isEqualTo(401);
        }
        // A page on another origin may not open a socket, even with a good token.
        assertThat(handshake(Tokens.operator(), "http://elsewhere.example")).isEqualTo(403);
        try (var socket = WsClient.open("/ws/streams")) {
            assertThat(socket.protocol()).isEqualTo(WsClient.PROTOCOL);
        }
    }

    @Test
    void webSocket_forbiddenSubscription_getsAnErrorFrame_whileTheAllowedOneKeepsFlowing() throws Exception {
        String ordersOnly = Tokens.mint("s-ws-two", Duration.ofMinutes(10), "streams:shop.orders:read");
        try (var socket = WsClient.open("/ws/streams", ordersOnly)) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"orders\",\"topic\":\"shop.orders\"}");
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"payments\",\"topic\":\"shop.payments\"}");
            var frames = new ArrayList<String>();
            await().atMost(PATIENCE).until(() -> {
                frames.add(socket.next(Duration.ofSeconds(1)));
                return frames.stream().anyMatch(f -> f != null && f.contains("\"subscribed\""))
                        && frames.stream().anyMatch(f -> f != null && f.contains("\"forbidden\""));
            });
            assertThat(frames).anySatisfy(frame -> assertThat(frame).contains("\"subscription\":\"payments\"")
                    .contains("\"code\":\"forbidden\"").contains("streams:shop.payments:read"));
            String orderId = placeOrder();
            assertThat(nextEventOf(socket, orderId)).contains("\"subscription\":\"orders\"");
        }
    }

    @Test
    void webSocket_asksForAFreshTokenBeforeExpiry_keepsGoingWithOne_andClosesAtExpiryWithout() throws Exception {
        // Expires in 6 s: the reauth frame comes at once (reauth-before is 30 s).
        String shortLived = Tokens.mint("s-ws-expiry", Duration.ofSeconds(6), "streams:shop.orders:read");
        try (var renewed = WsClient.open("/ws/streams", shortLived)) {
            assertThat(renewed.next(PATIENCE)).contains("\"op\":\"reauth\"").contains("token_expiring");
            renewed.send("{\"op\":\"auth\",\"token\":\""
                    + Tokens.mint("s-ws-expiry", Duration.ofMinutes(10), "streams:shop.orders:read") + "\"}");
            assertThat(renewed.next(PATIENCE)).contains("\"op\":\"authenticated\"");
            assertThat(renewed.closedWith(Duration.ofSeconds(9))).as("still open after the first token's expiry")
                    .isNull();
        }

        // The event before is already on the topic when the expiring socket subscribes from latest: its subscribed
        // position lies after it. (Waiting for an event on a 6-second socket raced its expiry on a slow machine.)
        String before = placeOrder();
        try (var seen = WsClient.open("/ws/streams")) {
            seen.send("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\",\"from\":\"earliest\","
                    + "\"subject\":\"" + before + "\"}");
            nextEventOf(seen, before);
        }
        String position;
        String expiring = Tokens.mint("s-ws-expiry", Duration.ofSeconds(8), "streams:shop.orders:read");
        try (var socket = WsClient.open("/ws/streams", expiring)) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\"}");
            String subscribed = framesUntil(socket, 1, "\"subscribed\"").getFirst();
            position = subscribed.replaceAll(".*\"position\":\"([^\"]+)\".*", "$1");
            assertThat(socket.closedWith(Duration.ofSeconds(20))).startsWith(StreamSocket.TOKEN_EXPIRED + " ");
        }
        // While no socket is open an order is placed; a fresh token resumes from the last position: that order's
        // event arrives, the one already seen does not come again.
        String meanwhile = placeOrder();
        String fresh = Tokens.mint("s-ws-expiry", Duration.ofMinutes(10), "streams:shop.orders:read");
        try (var socket = WsClient.open("/ws/streams", fresh)) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\",\"from\":\""
                    + position + "\"}");
            var frames = new ArrayList<String>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (frames.stream().noneMatch(f -> f.contains(meanwhile)) && System.nanoTime() < deadline) {
                String frame = socket.next(Duration.ofSeconds(1));
                if (frame != null && frame.contains("\"op\":\"event\"")) {
                    frames.add(frame);
                }
            }
            assertThat(frames).as("no gap").anySatisfy(frame -> assertThat(frame).contains(meanwhile));
            assertThat(frames).as("no duplicate").noneSatisfy(frame -> assertThat(frame).contains(before));
        }
    }

    @Test
    void oneSubject_mayHoldOnlySoManySockets() throws Exception {
        int limit = ConfigProvider.getConfig().getValue("switchboard.streams.max-sockets-per-subject",
                Integer.class);
        String token = Tokens.mint("s-many-sockets", Duration.ofMinutes(10), "streams:shop.orders:read");
        var sockets = new ArrayList<WsClient>();
        try {
            for (int i = 0; i < limit; i++) {
                sockets.add(WsClient.open("/ws/streams", token));
            }
            try (var oneTooMany = WsClient.open("/ws/streams", token)) {
                assertThat(oneTooMany.next(PATIENCE)).contains("too_many_sockets");
                assertThat(oneTooMany.closedWith(PATIENCE)).startsWith(StreamSocket.TOO_MANY_SOCKETS + " ");
            }
            assertThat(sockets.getFirst().closedWith(Duration.ofSeconds(1))).isNull();
            // A socket that closes gives its place back.
            sockets.removeFirst().close();
            await().atMost(PATIENCE).untilAsserted(() -> {
                try (var again = WsClient.open("/ws/streams", token)) {
                    again.send("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\"}");
                    assertThat(again.next(Duration.ofSeconds(2))).contains("\"subscribed\"");
                }
            });
        } finally {
            sockets.forEach(WsClient::close);
        }
    }

    @Test
    void webSocketAuthFrame_withNarrowerScopes_endsWhatTheyNoLongerAllow_andABadOneChangesNothing()
            throws Exception {
        String both = Tokens.mint("s-ws-narrow", Duration.ofMinutes(10), "streams:shop.orders:read",
                "streams:shop.payments:read");
        try (var socket = WsClient.open("/ws/streams", both)) {
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"orders\",\"topic\":\"shop.orders\"}");
            socket.send("{\"op\":\"subscribe\",\"subscription\":\"payments\",\"topic\":\"shop.payments\"}");
            assertThat(framesUntil(socket, 2, "\"subscribed\"")).hasSize(2);

            socket.send("{\"op\":\"auth\",\"token\":\"not-a-token\"}");
            assertThat(framesUntil(socket, 1, "invalid_token")).singleElement().asString()
                    .doesNotContain("not-a-token");
            socket.send("{\"op\":\"auth\",\"token\":\"" + Tokens.mint("someone-else", Duration.ofMinutes(10),
                    "streams:shop.orders:read") + "\"}");
            assertThat(framesUntil(socket, 1, "subject_changed")).hasSize(1);

            socket.send("{\"op\":\"auth\",\"token\":\"" + Tokens.mint("s-ws-narrow", Duration.ofMinutes(10),
                    "streams:shop.orders:read") + "\"}");
            assertThat(framesUntil(socket, 1, "\"forbidden\"")).singleElement().asString()
                    .contains("\"subscription\":\"payments\"");
            String orderId = placeOrder();
            assertThat(nextEventOf(socket, orderId)).contains("\"subscription\":\"orders\"");
        }
    }

    @Test
    void theDevTokenEndpoint_existsInDevModeOnly() {
        given().get("/dev/token").then().statusCode(404);
    }

    private static List<String> framesUntil(WsClient socket, int count, String marker) throws InterruptedException {
        var found = new ArrayList<String>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (found.size() < count && System.nanoTime() < deadline) {
            String frame = socket.next(Duration.ofSeconds(1));
            if (frame != null && frame.contains(marker)) {
                found.add(frame);
            }
        }
        return found;
    }

    @Test
    void oneSocket_mayHoldOnlySoManySubscriptions() throws Exception {
        try (var socket = WsClient.open("/ws/streams")) {
            for (int i = 0; i <= 32; i++) {
                socket.send("{\"op\":\"subscribe\",\"subscription\":\"s" + i + "\",\"topic\":\"shop.orders\"}");
            }
            var refused = new ArrayList<String>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (refused.isEmpty() && System.nanoTime() < deadline) {
                String frame = socket.next(Duration.ofSeconds(1));
                if (frame != null && frame.contains("\"op\":\"error\"")) {
                    refused.add(frame);
                }
            }
            assertThat(refused).singleElement().satisfies(frame -> assertThat(frame)
                    .contains("\"subscription\":\"s32\"").contains("too_many_subscriptions"));
        }
    }

    @Test
    void redriveAndDiscard_needTheAdminScope_andLeaveAnAuditRecord() {
        long id = parkedDeadLetter();
        String reader = Tokens.mint("s-reader", Duration.ofMinutes(10), "dead-letters:read");
        given().header("Authorization", "Bearer " + reader).post("/dead-letters/{id}/redrive", id).then()
                .statusCode(403).body("scope", equalTo("dead-letters:admin"));
        given().header("Authorization", "Bearer " + reader).contentType("application/json")
                .body("{\"reason\":\"no\"}").post("/dead-letters/{id}/discard", id).then().statusCode(403);
        Row untouched = row(id);
        assertThat(untouched.getString("status")).isEqualTo("parked");
        assertThat(untouched.getInteger("redrive_count")).isZero();
        assertThat(auditOf(id)).isEmpty();

        String admin = Tokens.mint("s-operator-ann", Duration.ofMinutes(10), "dead-letters:admin",
                "dead-letters:read");
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"reason\":\"duplicate of a fixed incident\"}").post("/dead-letters/{id}/discard", id)
                .then().statusCode(200).body("status", equalTo("discarded"));
        List<Map<String, Object>> audit = auditOf(id);
        assertThat(audit).hasSize(1);
        assertThat(audit.getFirst()).containsEntry("actor", "s-operator-ann").containsEntry("action", "discard")
                .containsEntry("deadLetterId", (int) id).containsEntry("reason", "duplicate of a fixed incident")
                .containsKey("at");

        long redriven = parkedDeadLetter();
        given().header("Authorization", "Bearer " + admin).queryParam("reason", "cause fixed in 1.4.2")
                .post("/dead-letters/{id}/redrive", redriven).then().statusCode(200);
        assertThat(auditOf(redriven)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("actor", "s-operator-ann").containsEntry("action", "redrive")
                .containsEntry("reason", "cause fixed in 1.4.2").containsEntry("group", "analytics"));
    }

    @Test
    void thePage_carriesSecurityHeaders_andOtherOriginsAreRefused() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", startsWith("default-src 'self'; script-src 'self'"))
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY");
        given().header("Origin", "http://elsewhere.example").header("Authorization", "Bearer " + Tokens.operator())
                .get("/analytics").then().statusCode(403);
        // Past the service's body limit (2 MB), before any endpoint reads it.
        given().header("Authorization", "Bearer " + Tokens.operator()).contentType("application/json")
                .body("{\"customerId\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").post("/orders").then()
                .statusCode(413);
    }

    private long parkedDeadLetter() {
        return pool.preparedQuery("INSERT INTO dead_letter (consumer_group, broker, dlq_topic, dlq_partition,"
                + " dlq_offset, dlq_timestamp, topic, event_id, event_type, reason, headers, payload, status)"
                + " VALUES ('analytics', 'kafka', 'analytics.dlq', 0, $1, now(), 'shop.orders', $2,"
                + " 'order.placed.v1', 'security test', '{}'::jsonb, '\\x00'::bytea, 'parked') RETURNING id")
                .executeAndAwait(Tuple.of(-System.nanoTime(), UUID.randomUUID().toString())).iterator().next()
                .getLong("id");
    }

    private Row row(long id) {
        return pool.preparedQuery("SELECT status, redrive_count FROM dead_letter WHERE id = $1")
                .executeAndAwait(Tuple.of(id)).iterator().next();
    }

    private static List<Map<String, Object>> auditOf(long id) {
        String reader = Tokens.mint("s-audit", Duration.ofMinutes(10), "dead-letters:read");
        return given().header("Authorization", "Bearer " + reader).queryParam("deadLetter", id)
                .get("/dead-letters/audit").then().statusCode(200).extract().path("items");
    }

    private static String placeOrder() {
        return given().header("Authorization", "Bearer " + Tokens.operator()).contentType("application/json")
                .body(OrderClient.VALID_ORDER).post("/orders").then().statusCode(201).extract().path("orderId");
    }

    private static String nextEventOf(WsClient socket, String orderId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = socket.next(Duration.ofSeconds(1));
            if (frame != null && frame.contains("\"op\":\"event\"") && frame.contains(orderId)) {
                return frame;
            }
        }
        throw new AssertionError("no event of order " + orderId + " arrived");
    }

    private static Map<String, String> header(String token) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Authorization", token == null ? null : "Bearer " + token);
        return headers;
    }

    /** The status of a WebSocket handshake offering the token as a browser does (101 when it succeeds). */
    private static int handshake(String token, String origin) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        builder = token == null
                ? builder.subprotocols(WsClient.PROTOCOL)
                : builder.subprotocols(WsClient.PROTOCOL, WsClient.carrier(token));
        if (origin != null) {
            builder = builder.header("Origin", origin);
        }
        try {
            builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/streams"), new WebSocket.Listener() {
            }).join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }
}
