package dev.switchboard.platform.outbox;

import static dev.switchboard.testing.TopicReader.header;
import static dev.switchboard.testing.TopicReader.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.testing.Infra;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.TopicReader;
import dev.switchboard.wire.orders.OrderPlaced;

/**
 * The outbox relay against the real PostgreSQL, Kafka and registry, read back by a plain Kafka consumer with the
 * Apicurio deserializer.
 */
@QuarkusTest
class OutboxRelayTest {

    private static final String TOPIC = "shop.orders";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    OutboxRelay relay;

    @Inject
    Outbox outbox;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    OutboxConfig config;

    // A second relay's own producer, as a second instance of the service has (channel in the %test profile).
    @Inject
    @Channel("outbox-relay-twin")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = OutboxRelay.EMITTER_BUFFER)
    MutinyEmitter<SpecificRecord> twinEmitter;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String databasePassword;

    @Test
    void placedOrder_isPublished_asABinaryCloudEvent_withAnAvroBody() {
        try (var reader = TopicReader.fromNow(TOPIC)) {
            String orderId = OrderClient.place("corr-relay-1");
            String eventId = OrderClient.eventIds(orderId).getFirst();

            var record = withKey(reader.readUntil(seen -> !withKey(seen, orderId).isEmpty(), PATIENCE), orderId)
                    .getFirst();

            assertThat(header(record, "ce_id")).isEqualTo(eventId);
            assertThat(header(record, "ce_type")).isEqualTo("order.placed.v1");
            assertThat(header(record, "ce_source")).isEqualTo("/switchboard/shop/orders");
            assertThat(header(record, "ce_subject")).isEqualTo(orderId);
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_sequence")).isEqualTo("1");
            assertThat(OffsetDateTime.parse(header(record, "ce_time"))).isNotNull();
            assertThat(header(record, "correlationid")).isEqualTo("corr-relay-1");
            assertThat(header(record, "causationid")).startsWith("command:");
            assertThat(header(record, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
            assertThat(record.value()).isInstanceOfSatisfying(OrderPlaced.class, placed -> {
                assertThat(placed.getOrderId()).isEqualTo(orderId);
                assertThat(placed.getCurrency()).isEqualTo("EUR");
                assertThat(placed.getLines()).hasSize(1);
            });
        }
    }

    @Test
    void commandTrace_continuesOnKafka() {
        try (var reader = TopicReader.fromNow(TOPIC)) {
            String orderId = OrderClient.place("corr-trace");
            String storedTraceparent = given().get("/orders/{id}/events", orderId)
                    .then().extract().path("[0].metadata.traceparent");

            var record = withKey(reader.readUntil(seen -> !withKey(seen, orderId).isEmpty(), PATIENCE), orderId)
                    .getFirst();

            assertThat(storedTraceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
            assertThat(header(record, "traceparent")).isEqualTo(storedTraceparent);
        }
    }

    @Test
    void ordersWithSeveralEvents_arriveInVersionOrder_withTwoRelaysRunning() throws Exception {
        var twin = new OutboxRelay(pool, vertx, twinEmitter, config, new SimpleMeterRegistry(), databaseUrl,
                databaseUser, databasePassword);
        twin.start();
        try (var reader = TopicReader.fromNow(TOPIC)) {
            List<String> orders = IntStream.range(0, 20).mapToObj(i -> "").toList();
            List<String> placed = new ArrayList<>();
            try (var clients = Executors.newFixedThreadPool(4)) {
                var futures = orders.stream().map(ignored -> clients.submit(() -> {
                    String id = OrderClient.place("corr-order-" + UUID.randomUUID());
                    OrderClient.command(id, "confirm", 1);
                    OrderClient.command(id, "ship", 2);
                    return id;
                })).toList();
                for (var future : futures) {
                    placed.add(future.get());
                }
            }

            var records = reader.readUntil(seen -> placed.stream()
                    .allMatch(id -> distinctIds(withKey(seen, id)).size() == 3), PATIENCE);

            for (String id : placed) {
                var ofOrder = withKey(records, id);
                // Every record, not only the first of each id: a healthy run has no duplicate to hide.
                assertThat(ofOrder).extracting(record -> header(record, "ce_id"))
                        .containsExactlyElementsOf(OrderClient.eventIds(id));
                assertThat(ofOrder).extracting(ConsumerRecord::partition).containsOnly(ofOrder.getFirst().partition());
            }
        } finally {
            twin.stop();
        }
    }

    @Test
    void relayDyingBetweenSendAndDelete_causesADuplicate_neverALoss() {
        try (var reader = TopicReader.fromNow(TOPIC)) {
            var connection = pool.getConnection().await().atMost(PATIENCE);
            try {
                var transaction = connection.begin().await().atMost(PATIENCE);
                // Hold every lane's relay lock so that only this "relay" sees the new rows.
                for (int lane = 0; lane < relay.laneCount(); lane++) {
                    connection.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(relay.lockOf(lane)))
                            .await().atMost(PATIENCE);
                }
                String orderId = OrderClient.place("corr-crash");

                List<Long> sent = new ArrayList<>();
                for (int lane = 0; lane < relay.laneCount(); lane++) {
                    sent.addAll(relay.lockAndSend(connection, lane).await().atMost(PATIENCE));
                }
                assertThat(sent).isNotEmpty();
                // The process dies here: its transaction never deletes the rows and never commits.
                transaction.rollback().await().atMost(PATIENCE);

                var copies = withKey(reader.readUntil(seen -> withKey(seen, orderId).size() >= 2, PATIENCE), orderId);
                assertThat(copies).hasSize(2);
                assertThat(distinctIds(copies)).containsExactlyElementsOf(OrderClient.eventIds(orderId));
            } finally {
                connection.close().await().atMost(PATIENCE);
            }
        }
    }

    @Test
    void eventsCommittedWhileKafkaIsDown_arePublishedOnceItIsBack() {
        try (var reader = TopicReader.fromNow(TOPIC)) {
            Infra.down("kafka");
            List<String> placed = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    placed.add(OrderClient.place("corr-down-" + i));
                }
                // Committed, not published: the rows wait in the outbox while the broker is away.
                await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE)
                        .until(() -> outbox.backlog().await().atMost(PATIENCE).pending() >= placed.size());
                // And the service says it is not ready, so that a load balancer stops sending it traffic.
                await().atMost(PATIENCE).until(() -> given().get("/q/health/ready").statusCode() == 503);
            } finally {
                Infra.up("kafka");
            }

            var records = reader.readUntil(seen -> placed.stream().allMatch(id -> !withKey(seen, id).isEmpty()),
                    Duration.ofSeconds(120));

            for (String id : placed) {
                assertThat(distinctIds(withKey(records, id))).containsExactlyElementsOf(OrderClient.eventIds(id));
            }
            await().atMost(PATIENCE).until(() -> outbox.backlog().await().atMost(PATIENCE).pending() == 0);
            // Ready again by itself, with no operator.
            await().atMost(PATIENCE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        }
    }

    @Test
    void publishedEvents_andTheBacklog_areExposedAsMetrics() {
        try (var reader = TopicReader.fromNow(TOPIC)) {
            String orderId = OrderClient.place("corr-metrics");
            reader.readUntil(seen -> !withKey(seen, orderId).isEmpty(), PATIENCE);

            await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                    .body(containsString(
                            "switchboard_events_published_total{topic=\"shop.orders\",type=\"order.placed.v1\"}"))
                    .body(containsString("switchboard_outbox_pending "))
                    .body(containsString("switchboard_outbox_oldest_age ")));
        }
    }

    @Test
    void undecodableRow_isParkedWithTheLaterRowsOfItsKey_andOtherOrdersStillFlow() {
        String poisonKey = "poison-" + UUID.randomUUID();
        String insert = """
                INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, occurred_at,
                                    avro_schema, payload)
                VALUES (gen_random_uuid(), 'shop.orders', $1, 'order.placed.v1', '/test', $1, now(),
                        'dev.switchboard.wire.orders.OrderPlaced', $2::jsonb)
                RETURNING id""";
        String valid = """
                {"orderId": "x", "customerId": "c", "currency": "EUR", "lines": [], "placedAt": 1763900000000}""";
        try (var reader = TopicReader.fromNow(TOPIC)) {
            long poison = pool.withTransaction(connection -> connection.preparedQuery(insert)
                    .execute(Tuple.of(poisonKey, "{\"not\": \"an order\"}"))
                    .map(rows -> rows.iterator().next().getLong("id"))).await().atMost(PATIENCE);
            long after = pool.preparedQuery(insert).execute(Tuple.of(poisonKey, valid))
                    .map(rows -> rows.iterator().next().getLong("id")).await().atMost(PATIENCE);
            String orderId = OrderClient.place("corr-after-poison");

            reader.readUntil(seen -> !withKey(seen, orderId).isEmpty(), PATIENCE);

            var parked = pool.preparedQuery("SELECT id, reason FROM outbox_parked WHERE message_key = $1 ORDER BY id")
                    .execute(Tuple.of(poisonKey)).await().atMost(PATIENCE);
            List<Long> ids = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            parked.forEach(row -> {
                ids.add(row.getLong("id"));
                reasons.add(row.getString("reason"));
            });
            assertThat(ids).containsExactly(poison, after);
            assertThat(reasons.getFirst()).containsIgnoringCase("avro");
            assertThat(reasons.getLast()).contains("earlier message with the same key is parked");
            assertThat(withKey(reader.readUntil(seen -> true, PATIENCE), poisonKey)).isEmpty();
        }
    }

    /** The ce_id of each record, duplicates dropped, in order of first arrival. */
    private static List<String> distinctIds(List<ConsumerRecord<String, SpecificRecord>> records) {
        var ids = new LinkedHashSet<String>();
        records.forEach(record -> ids.add(header(record, "ce_id")));
        return List.copyOf(ids);
    }
}
