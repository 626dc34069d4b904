package dev.switchboard.smoke;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.quarkus.websockets.next.BasicWebSocketConnector;

import dev.switchboard.platform.eventstore.StoredEvent;
import dev.switchboard.testing.RawKafka;
import dev.switchboard.wire.orders.OrderLine;
import dev.switchboard.wire.orders.OrderPlaced;

/** Each real component is wired: Kafka with Avro and the registry, RabbitMQ, PostgreSQL, SSE, WebSocket. */
@QuarkusTest
class InfrastructureSmokeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    AvroRoundTrip avro;

    @Inject
    RabbitRoundTrip rabbit;

    @Inject
    BasicWebSocketConnector webSocket;

    @TestHTTPResource("/")
    URI baseUri;

    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url")
    String registryUrl;

    @Test
    void avroRecord_roundTripsThroughKafka_withItsSchemaRegisteredInApicurio() {
        String orderId = UUID.randomUUID().toString();
        OrderPlaced sent = OrderPlaced.newBuilder()
                .setOrderId(orderId)
                .setCustomerId("customer-smoke")
                .setCurrency("EUR")
                .setLines(List.of(new OrderLine("sku-1", 2, 1250L)))
                .setPlacedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();

        avro.send(sent).await().atMost(PATIENCE);

        await().atMost(PATIENCE).until(() -> avro.received(orderId).isPresent());
        var record = avro.received(orderId).orElseThrow();
        assertThat(record.value()).isInstanceOf(OrderPlaced.class).isEqualTo(sent);
        assertThat(record.topic()).isEqualTo(AvroRoundTrip.TOPIC);

        String artifact = registryUrl + "/groups/default/artifacts/" + AvroRoundTrip.TOPIC + "-value";
        given().get(artifact).then().statusCode(200).body("artifactType", equalTo("AVRO"));
        given().get(artifact + "/versions/branch=latest/content").then()
                .statusCode(200)
                .body(containsString("\"OrderPlaced\""))
                .body(containsString("dev.switchboard.wire.orders"));
        long contentId = given().get(artifact + "/versions/branch=latest").then()
                .statusCode(200).extract().jsonPath().getLong("contentId");

        // On the wire, the Apicurio serde frames the Avro body: magic byte 0, then the 4-byte content id of the
        // registered schema (no id headers).
        var raw = RawKafka.recordAt(record.topic(), record.partition(), record.offset());
        var body = ByteBuffer.wrap(raw.value());
        assertThat(body.get()).isZero();
        assertThat(body.getInt()).isEqualTo(contentId);
        assertThat(raw.headers().lastHeader("apicurio.value.contentId")).isNull();
    }

    @Test
    void message_roundTripsThroughRabbitMq() {
        String body = "ping-" + UUID.randomUUID();

        rabbit.send(body).await().atMost(PATIENCE);

        await().atMost(PATIENCE).until(() -> rabbit.received(body));
    }

    @Test
    @RunOnVertxContext
    void reactivePanacheEntity_isWrittenAndReadBack(UniAsserter asserter) {
        var event = new StoredEvent();
        event.streamId = "smoke-" + UUID.randomUUID();
        event.streamVersion = 1;
        event.eventId = UUID.randomUUID();
        event.eventType = "smoke.pinged.v1";
        event.payload = "{\"note\": \"hello\"}";
        event.metadata = "{\"correlationId\": \"smoke\"}";

        asserter.execute(() -> Panache.withTransaction(event::persist));
        asserter.assertThat(
                () -> Panache.withSession(() -> StoredEvent.<StoredEvent>find("eventId", event.eventId).firstResult()),
                found -> {
                    assertThat(found.globalPosition).isPositive();
                    assertThat(found.streamId).isEqualTo(event.streamId);
                    assertThat(found.eventType).isEqualTo("smoke.pinged.v1");
                    assertThat(found.payload).contains("\"note\"").contains("hello");
                    assertThat(found.recordedAt).isNotNull();
                });
    }

    @Test
    void sseEndpoint_streamsEvents() {
        String body = given().accept("text/event-stream").queryParam("count", 3)
                .get("/smoke/ticks")
                .then().statusCode(200)
                .extract().asString();

        assertThat(body).contains("data:tick-0", "data:tick-1", "data:tick-2").doesNotContain("tick-3");
    }

    @Test
    void webSocketEndpoint_answersFrames() throws InterruptedException {
        var replies = new LinkedBlockingQueue<String>();
        var connection = webSocket.baseUri(baseUri).path("/smoke/echo")
                .onTextMessage((c, message) -> replies.add(message))
                .connectAndAwait();
        try {
            connection.sendTextAndAwait("hello");
            assertThat(replies.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("echo:hello");
        } finally {
            connection.closeAndAwait();
        }
    }
}
