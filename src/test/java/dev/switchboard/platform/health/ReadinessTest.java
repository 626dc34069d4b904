package dev.switchboard.platform.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Readiness reflects every server the service needs; liveness does not depend on them. */
@QuarkusTest
class ReadinessTest {

    @Test
    void readiness_coversPostgresKafkaRabbitMqAndTheRegistry() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(RegistryReadinessCheck.NAME, RabbitMqReadinessCheck.NAME,
                        KafkaReadinessCheck.NAME, "Reactive PostgreSQL connections health check"))
                .body("checks.find { it.name == '" + RegistryReadinessCheck.NAME + "' }.status", equalTo("UP"))
                .body("checks.find { it.name == '" + RabbitMqReadinessCheck.NAME + "' }.status", equalTo("UP"));
    }

    @Test
    void liveness_answersUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
