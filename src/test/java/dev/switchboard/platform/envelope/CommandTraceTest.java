package dev.switchboard.platform.envelope;

import static dev.switchboard.testing.TopicReader.header;
import static dev.switchboard.testing.TopicReader.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.switchboard.shop.orders.OrderCommandHandler;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawRabbit;
import dev.switchboard.testing.TopicReader;

/**
 * A caller's trace (W3C traceparent on the HTTP command) and correlation id (X-Correlation-ID) follow the command
 * through the outbox to Kafka, through the bridge to RabbitMQ, and into the logging context of the command and of
 * the consumers that apply its events. Real Kafka, RabbitMQ, PostgreSQL and registry.
 */
@QuarkusTest
class CommandTraceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void callersTraceAndCorrelation_reachKafka_rabbitMq_andTheLogLinesOfTheCommandAndItsConsumers() {
        String traceId = hex(16);
        String correlationId = "trace-" + UUID.randomUUID();
        try (var logs = LogCapture.start();
                var kafka = TopicReader.fromNow(OrderCommandHandler.TOPIC);
                var rabbit = RawRabbit.connect()) {
            String confirmations = rabbit.bindTemporaryQueue("shop.notifications", "order.confirmed.v1");

            String orderId = given().contentType(ContentType.JSON).header("traceparent", traceparent(traceId))
                    .header("X-Correlation-ID", correlationId).body(OrderClient.VALID_ORDER).post("/orders")
                    .then().statusCode(201).extract().path("orderId");
            given().header("traceparent", traceparent(traceId)).header("X-Correlation-ID", correlationId)
                    .header("If-Match", "\"1\"").post("/orders/{id}/confirm", orderId).then().statusCode(200);

            // Kafka: both events carry the caller's trace id (each command is its own span in that trace).
            var records = withKey(kafka.readUntil(seen -> withKey(seen, orderId).size() >= 2, PATIENCE), orderId);
            assertThat(records).hasSize(2).allSatisfy(record -> {
                assertThat(header(record, "traceparent")).startsWith("00-" + traceId + "-");
                assertThat(header(record, "correlationid")).isEqualTo(correlationId);
            });

            // RabbitMQ: the bridged confirmation too.
            var confirmation = new AtomicReference<GetResponse>();
            await().atMost(PATIENCE).until(() -> {
                for (GetResponse next = rabbit.get(confirmations); next != null; next = rabbit.get(confirmations)) {
                    if (orderId.equals(String.valueOf(next.getProps().getHeaders().get("ce_subject")))) {
                        confirmation.set(next);
                        return true;
                    }
                }
                return false;
            });
            assertThat(String.valueOf(confirmation.get().getProps().getHeaders().get("traceparent")))
                    .startsWith("00-" + traceId + "-");
            assertThat(confirmation.get().getProps().getCorrelationId()).isEqualTo(correlationId);

            // Logs: the command's line, and the line of a consumer group that applied its event, carry both ids.
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(logs.lines()).anySatisfy(line -> {
                    assertThat(line.logger()).isEqualTo(OrderCommandHandler.class.getName());
                    assertThat(line.message()).contains(orderId).contains("order.confirmed.v1");
                    assertThat(line.mdc()).containsEntry("traceId", traceId)
                            .containsEntry(LogCorrelation.MDC_KEY, correlationId);
                });
                assertThat(logs.lines()).anySatisfy(line -> {
                    assertThat(line.message()).startsWith("order-views: order.confirmed.v1 applied");
                    assertThat(line.mdc()).containsEntry("traceId", traceId)
                            .containsEntry(LogCorrelation.MDC_KEY, correlationId);
                });
            });
        }
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-" + hex(8) + "-01";
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
