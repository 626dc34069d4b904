package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.testing.LocalServers;
import dev.switchboard.testing.PackagedService;
import dev.switchboard.testing.RawTopics;
import dev.switchboard.testing.Tokens;
import dev.switchboard.testing.WsClient;

/**
 * Two instances of the packaged service (the %prod configuration) share the consumer groups, the database and the
 * topics while orders are placed through both, as a load balancer would send them. Each instance in turn is stopped
 * with SIGTERM and started again (a rolling restart), then one is killed with SIGKILL and started again (the chaos
 * run's fault, in short). A WebSocket subscriber follows every order event, resuming on the other instance from its
 * last position whenever its socket ends. Once quiet, from the sources of truth: every event of the run is on Kafka,
 * every order view is at its stream's version and its saga finished, the analytics counters (which add, so an
 * event applied twice would show) grew by exactly the run's events, one notification per confirmed order, and the
 * subscriber got every event once, told on each graceful stop where to resume.
 */
class RollingRestartIT {

    private static final Duration START_PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([^\"]+)\"");
    private static final List<String> COUNTED = List.of("order.placed.v1", "order.confirmed.v1",
            "order.cancelled.v1");
    private static final Map<String, String> COUNTER_OF = Map.of("order.placed.v1", "orders.placed",
            "order.confirmed.v1", "orders.confirmed", "order.cancelled.v1", "orders.cancelled");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String sku = "rolling-" + run;
    private final List<String> placed = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private String token;

    @BeforeAll
    static void clients() {
        LocalServers.configureTestClients();
    }

    @Test
    void aRollingRestartAndAKill_loseNoEvent_applyNoneTwice_andSubscribersResumeWithoutAGap() throws Exception {
        token = Tokens.mint("rolling", Duration.ofHours(1), "orders:write", "orders:read", "inventory:write",
                "streams:shop.orders:read");
        Map<TopicPartition, Long> before = RawTopics.endOffsets("shop.orders");
        try (var a = PackagedService.start("a", 8181); var b = PackagedService.start("b", 8182)) {
            a.awaitReady(START_PATIENCE);
            b.awaitReady(START_PATIENCE);
            assertThat(send(a, "PUT", "/inventory/" + sku, "{\"available\":100000}")).isEqualTo(200);
            // What the earlier tests left (their sagas included) is applied first, so that the counters grow by
            // this run's events only.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(this::settled);
            Map<String, Long> countersBefore = counters();

            var subscriber = new ResumingSubscriber(List.of(a, b));
            Thread following = Thread.ofVirtual().start(subscriber);
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.position != null);
            Thread load = Thread.ofVirtual().start(() -> placeOrders(List.of(a, b)));

            Thread.sleep(3000);
            stopGracefully(a);
            a.restart();
            a.awaitReady(START_PATIENCE);
            Thread.sleep(3000);
            stopGracefully(b);
            b.restart();
            b.awaitReady(START_PATIENCE);
            Thread.sleep(3000);
            a.kill();
            a.restart();
            a.awaitReady(START_PATIENCE);
            Thread.sleep(3000);
            loading.set(false);
            load.join();

            assertThat(placed).as("orders accepted, of answers %s", answers).hasSizeGreaterThan(20);
            // -1: neither instance answered within 10 s (one stopping, the other starting or busy on two cores),
            // as a load balancer would see it too; what must never come is another error.
            assertThat(answers.keySet()).as("answers (-1: neither instance answered)").allMatch(status -> status == 201
                    || status == 503 || status == -1);
            try (Connection db = DriverManager.getConnection(LocalServers.jdbcUrl(), LocalServers.DB_USER,
                    LocalServers.DB_PASSWORD)) {
                awaitQuiet(db);
                Map<String, String> events = events(db);
                assertThat(streams(db)).as("every accepted order has its stream").containsAll(placed);

                assertThat(onKafka(before)).as("every event of the run is on shop.orders")
                        .containsAll(events.keySet());

                Map<String, Long> grown = new HashMap<>();
                counters().forEach((name, value) -> grown.put(name, value - countersBefore.getOrDefault(name, 0L)));
                for (String type : COUNTED) {
                    long ofType = events.values().stream().filter(type::equals).count();
                    assertThat(grown.getOrDefault(COUNTER_OF.get(type), 0L))
                            .as("analytics counted each %s once", type).isEqualTo(ofType);
                }
                long confirmed = events.values().stream().filter("order.confirmed.v1"::equals).count();
                assertThat(confirmed).as("some orders confirmed").isPositive();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        count(db, "SELECT count(*) FROM notification WHERE event_type = 'order.confirmed.v1'"
                                + " AND order_id = ANY (?)"))
                        .isEqualTo(confirmed));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(subscriber.ids)
                        .as("the subscriber got every event of the run").containsAll(events.keySet()));
                subscriber.stop();
                following.join();
                assertThat(subscriber.twice).as("records the subscriber got twice at one position").isEmpty();
                assertThat(subscriber.endedWithPosition).as("told where to resume by each instance stopped gracefully")
                        .isGreaterThanOrEqualTo(2);
                assertThat(subscriber.sockets).as("sockets: the first, one per stop or kill").isGreaterThanOrEqualTo(4);
            }
        }
    }

    /**
     * Nothing left in the outbox, and every group on the way to a decided order (payments, inventory, the saga) and
     * analytics have applied every record on their topics.
     */
    private boolean settled() throws SQLException {
        try (Connection db = DriverManager.getConnection(LocalServers.jdbcUrl(), LocalServers.DB_USER,
                LocalServers.DB_PASSWORD);
                var rows = db.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
            rows.next();
            return rows.getLong(1) == 0 && RawTopics.caughtUp("payments", "shop.orders")
                    && RawTopics.caughtUp("inventory", "shop.orders")
                    && RawTopics.caughtUp("order-saga", "shop.payments", "shop.inventory")
                    && RawTopics.caughtUp("analytics", "shop.orders", "shop.payments");
        }
    }

    /** SIGTERM: readiness goes down while the instance still serves, then it finishes and exits by itself. */
    private static void stopGracefully(PackagedService instance) throws Exception {
        instance.terminate();
        boolean unreadyWhileServing = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!unreadyWhileServing && instance.alive() && System.nanoTime() < deadline) {
            unreadyWhileServing = instance.status("/q/health/ready") == 503
                    && instance.status("/q/health/live") == 200;
            Thread.sleep(100);
        }
        assertThat(unreadyWhileServing).as(instance.name() + ": not ready, still live, after SIGTERM").isTrue();
        instance.awaitExit(Duration.ofSeconds(60));
        assertThat(instance.log()).as(instance.name() + " stopped by itself").contains("stopped in");
    }

    /** About ten orders a second, round robin; an instance that does not answer, the other takes the order. */
    private void placeOrders(List<PackagedService> instances) {
        int next = 0;
        while (loading.get()) {
            String body = "{\"customerId\":\"rolling-" + run + "-" + (next % 20) + "\",\"lines\":[{\"sku\":\"" + sku
                    + "\",\"quantity\":1,\"unitPrice\":{\"amountMinor\":100,\"currency\":\"EUR\"}}]}";
            int status = -1;
            for (int tried = 0; tried < instances.size() && status != 201; tried++) {
                var instance = instances.get((next + tried) % instances.size());
                try {
                    var answer = http.send(HttpRequest.newBuilder(instance.uri("/orders"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = answer.statusCode();
                    Matcher id = ORDER_ID.matcher(answer.body());
                    if (status == 201 && id.find()) {
                        placed.add(id.group(1));
                    }
                } catch (Exception e) {
                    status = -1; // not listening (stopped or starting): the other instance is tried
                }
            }
            answers.merge(status, 1, Integer::sum);
            next++;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int send(PackagedService instance, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(instance.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** No outbox row left, every order of the run past its saga and its view at its stream's last version. */
    private void awaitQuiet(Connection db) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(count(db, "SELECT count(*) FROM outbox")).as("outbox rows").isZero();
            assertThat(count(db, "SELECT count(*) FROM order_view WHERE order_id = ANY (?)")).as("views")
                    .isEqualTo(placed.size());
            assertThat(count(db, "SELECT count(*) FROM order_view WHERE order_id = ANY (?) AND status = 'placed'"))
                    .as("orders still waiting for their saga").isZero();
            assertThat(count(db, "SELECT count(*) FROM (SELECT stream_id, max(stream_version) AS v FROM event_store"
                    + " WHERE stream_id = ANY (SELECT 'order-' || unnest(?::text[])) GROUP BY stream_id) s"
                    + " JOIN order_view o ON s.stream_id = 'order-' || o.order_id WHERE o.version <> s.v"))
                    .as("views behind their stream").isZero();
        });
    }

    /** The run's events: event id to type. */
    private Map<String, String> events(Connection db) throws SQLException {
        var events = new HashMap<String, String>();
        try (var query = db.prepareStatement("SELECT event_id, event_type FROM event_store"
                + " WHERE stream_id = ANY (SELECT 'order-' || unnest(?::text[]))")) {
            query.setArray(1, db.createArrayOf("text", placed.toArray()));
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    events.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return events;
    }

    private Set<String> streams(Connection db) throws SQLException {
        var orders = new HashSet<String>();
        try (var query = db.prepareStatement("SELECT DISTINCT substr(stream_id, 7) FROM event_store"
                + " WHERE stream_id = ANY (SELECT 'order-' || unnest(?::text[])) AND event_type = 'order.placed.v1'")) {
            query.setArray(1, db.createArrayOf("text", placed.toArray()));
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    orders.add(rows.getString(1));
                }
            }
        }
        return orders;
    }

    private long count(Connection db, String sql) throws SQLException {
        try (var query = db.prepareStatement(sql)) {
            if (sql.contains("?")) {
                query.setArray(1, db.createArrayOf("text", placed.toArray()));
            }
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private Map<String, Long> counters() throws SQLException {
        var counters = new HashMap<String, Long>();
        try (Connection db = DriverManager.getConnection(LocalServers.jdbcUrl(), LocalServers.DB_USER,
                LocalServers.DB_PASSWORD);
                var rows = db.createStatement().executeQuery(
                        "SELECT name, value FROM analytics_counter")) {
            while (rows.next()) {
                counters.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counters;
    }

    /** The ce_id of every record written to shop.orders since {@code from}. */
    private static Set<String> onKafka(Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> until = RawTopics.endOffsets("shop.orders");
        var ids = new HashSet<String>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.KAFKA,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(until.keySet());
            until.keySet().forEach(partition -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (until.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())
                    && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var id = record.headers().lastHeader("ce_id");
                    if (id != null) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }

    /**
     * Follows every order event over /ws/streams as a browser page does: when its socket ends (an {@code ended}
     * frame with the position to resume from, or a dropped connection), it opens one on the next instance that
     * answers and subscribes from the last position it had.
     */
    private final class ResumingSubscriber implements Runnable {

        private final List<PackagedService> instances;
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final Set<String> records = new HashSet<>();
        final List<String> twice = new CopyOnWriteArrayList<>();
        volatile String position;
        volatile int endedWithPosition;
        volatile int sockets;
        private volatile boolean stopped;

        ResumingSubscriber(List<PackagedService> instances) {
            this.instances = instances;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            for (int at = 0; !stopped; at = (at + 1) % instances.size()) {
                var instance = instances.get(at);
                if (instance.status("/q/health/ready") != 200) {
                    sleep();
                    continue;
                }
                try (var socket = WsClient.openAt(instance.port(), "/ws/streams", token)) {
                    sockets++;
                    socket.send("{\"op\":\"subscribe\",\"subscription\":\"all\",\"topic\":\"shop.orders\","
                            + "\"types\":[\"order.*\"],\"from\":\"" + (position == null ? "latest" : position)
                            + "\"}");
                    follow(socket);
                } catch (Exception e) {
                    // could not connect: the next instance
                }
            }
        }

        /** Until the subscription or the socket ends. */
        private void follow(WsClient socket) throws Exception {
            while (!stopped) {
                String text = socket.next(Duration.ofMillis(200));
                if (text == null) {
                    if (socket.closedWith(Duration.ZERO) != null) {
                        return;
                    }
                    continue;
                }
                JsonNode frame = JSON.readTree(text);
                switch (frame.path("op").asText()) {
                    case "subscribed" -> position = frame.get("position").asText();
                    case "event" -> {
                        JsonNode event = frame.get("event");
                        ids.add(event.get("id").asText());
                        if (!records.add(event.get("partition").asInt() + "@" + event.get("offset").asLong())) {
                            twice.add(text);
                        }
                        position = frame.get("position").asText();
                    }
                    case "ended" -> {
                        if (frame.hasNonNull("position")) {
                            endedWithPosition++;
                            position = frame.get("position").asText();
                        }
                        return;
                    }
                    case "heartbeat" -> {
                    }
                    default -> {
                        return; // an error (the instance stopping): resume elsewhere from the last position
                    }
                }
            }
        }

        private void sleep() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                stopped = true;
            }
        }
    }
}
