package dev.switchboard.shop.orders.inbound;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawRabbit;
import dev.switchboard.testing.TopicReader;
import dev.switchboard.wire.orders.OrderPlaced;

/**
 * Place-order commands dropped into RabbitMQ queue shop.inbound take the normal command path to Kafka; invalid ones
 * end in shop.inbound.dlq and the dead-letter collection with the validation error. Real RabbitMQ, Kafka,
 * PostgreSQL and registry.
 */
@QuarkusTest
class InboundOrderCommandsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Test
    void validCommand_placesTheOrder_andItsEventReachesKafka_once_evenWhenSentTwice() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String orderId = UUID.nameUUIDFromBytes(("shop.inbound/" + messageId).getBytes(StandardCharsets.UTF_8))
                .toString();
        String body = json.writeValueAsString(OrderClient.order("c-amqp"));
        try (var kafka = TopicReader.fromNow("shop.orders"); var rabbit = RawRabbit.connect()) {
            var properties = RawRabbit.properties(messageId, "place-order", Map.of()).builder()
                    .correlationId("legacy-" + messageId).build();
            rabbit.publish("", "shop.inbound", properties, body);
            rabbit.publish("", "shop.inbound", properties, body); // a resend of the same message

            // Both deliveries are settled (acked, none left in the queue), neither dead-lettered...
            await().atMost(PATIENCE).until(() -> rabbit.ready("shop.inbound") == 0
                    && OrderClient.eventIds(orderId).size() == 1);
            var records = kafka.readUntil(seen -> seen.stream().anyMatch(r -> orderId.equals(r.key())), PATIENCE);
            var placed = records.stream().filter(r -> orderId.equals(r.key())).findFirst().orElseThrow();
            assertThat(placed.value()).isInstanceOf(OrderPlaced.class);
            assertThat(((OrderPlaced) placed.value()).getCustomerId()).isEqualTo("c-amqp");
            assertThat(new String(placed.headers().lastHeader("correlationid").value(), StandardCharsets.UTF_8))
                    .isEqualTo("legacy-" + messageId);
            // ...and the order's one event reached Kafka once: nothing more comes for it while the relay drains.
            assertThat(TopicReader.withKey(kafka.readFor(Duration.ofSeconds(3)), orderId)).hasSize(1);
        }
        assertThat(deadLetter(messageId)).isNull();
        assertThat(OrderClient.eventIds(orderId)).hasSize(1);
    }

    @Test
    void commandWithAMissingQuantity_isDeadLetteredNamingIt() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String body = "{\"customerId\": \"c-amqp\", \"lines\": [{\"sku\": \"book\","
                + " \"unitPrice\": {\"amountMinor\": 500, \"currency\": \"EUR\"}}]}";
        try (var rabbit = RawRabbit.connect()) {
            rabbit.publish("", "shop.inbound", RawRabbit.properties(messageId, "place-order", Map.of()), body);
        }
        Row deadLetter = await().atMost(PATIENCE).until(() -> deadLetter(messageId), row -> row != null);
        assertThat(deadLetter.getString("reason")).contains("invalid_command").contains("lines[0].quantity");
        assertThat(deadLetter.getString("exception_class")).endsWith("PoisonEvent");
    }

    @Test
    void invalidCommand_isDeadLettered_withTheValidationError() throws Exception {
        String messageId = UUID.randomUUID().toString();
        String body = json.writeValueAsString(OrderClient.order("c-amqp", "book", 0, 500));
        try (var rabbit = RawRabbit.connect()) {
            rabbit.publish("", "shop.inbound", RawRabbit.properties(messageId, "place-order", Map.of()), body);
        }
        Row deadLetter = await().atMost(PATIENCE).until(() -> deadLetter(messageId), row -> row != null);
        assertThat(deadLetter.getString("broker")).isEqualTo("rabbitmq");
        assertThat(deadLetter.getString("consumer_group")).isEqualTo("shop.inbound");
        assertThat(deadLetter.getString("dlq_topic")).isEqualTo("shop.inbound.dlq");
        assertThat(deadLetter.getString("reason")).contains("invalid_command").contains("lines[0].quantity");
        assertThat(deadLetter.getString("exception_class")).endsWith("PoisonEvent");
        String orderId = UUID.nameUUIDFromBytes(("shop.inbound/" + messageId).getBytes(StandardCharsets.UTF_8))
                .toString();
        given().get("/orders/{id}/events", orderId).then().statusCode(404);
        // The listing shows it among the group's parked dead letters; an operator discards it.
        given().queryParam("group", "shop.inbound").queryParam("status", "parked").queryParam("size", 200)
                .get("/dead-letters").then().statusCode(200).body("items.eventId", hasItem(messageId))
                .body("items.broker", everyItem(equalTo("rabbitmq")));
        given().contentType(ContentType.JSON).body(Map.of("reason", "test: quantity 0"))
                .post("/dead-letters/{id}/discard", deadLetter.getLong("id")).then().statusCode(200);
    }

    @Test
    void commandWithoutAMessageId_orOfAnUnknownType_isDeadLetteredNamingTheProperty() throws Exception {
        String body = json.writeValueAsString(OrderClient.order("c-amqp-noid"));
        String unknownTypeId = UUID.randomUUID().toString();
        try (var rabbit = RawRabbit.connect()) {
            rabbit.publish("", "shop.inbound", RawRabbit.properties(null, "place-order",
                    Map.of("test-marker", unknownTypeId)), body);
            rabbit.publish("", "shop.inbound", RawRabbit.properties(unknownTypeId, "cancel-everything", Map.of()),
                    body);
        }
        Row unknownType = await().atMost(PATIENCE).until(() -> deadLetter(unknownTypeId), row -> row != null);
        assertThat(unknownType.getString("reason")).contains("type").contains("cancel-everything");
        Row noId = await().atMost(PATIENCE).until(() -> {
            var rows = pool.preparedQuery("SELECT * FROM dead_letter WHERE consumer_group = 'shop.inbound'"
                    + " AND headers ->> 'test-marker' = $1").executeAndAwait(Tuple.of(unknownTypeId));
            return rows.size() == 0 ? null : rows.iterator().next();
        }, row -> row != null);
        assertThat(noId.getString("reason")).contains("message-id");
    }

    private Row deadLetter(String messageId) {
        var rows = pool
                .preparedQuery("SELECT * FROM dead_letter WHERE event_id = $1 AND consumer_group = 'shop.inbound'")
                .executeAndAwait(Tuple.of(messageId));
        return rows.size() == 0 ? null : rows.iterator().next();
    }
}
