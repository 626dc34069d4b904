package dev.switchboard.smoke;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * BACKWARD compatibility is the registry's rule, not our code: against the real Apicurio Registry, a schema
 * version that new readers could not use on old data is refused, a compatible one is accepted.
 */
@QuarkusTest
class RegistryCompatibilityTest {

    private static final String V1 = """
            {"type": "record", "name": "Parcel", "namespace": "dev.switchboard.tests",
             "fields": [{"name": "id", "type": "string"}]}""";
    // A new required field: a reader on this schema cannot read records written with V1.
    private static final String INCOMPATIBLE = """
            {"type": "record", "name": "Parcel", "namespace": "dev.switchboard.tests",
             "fields": [{"name": "id", "type": "string"}, {"name": "weight", "type": "int"}]}""";
    // A new optional field with a default: old records read fine.
    private static final String COMPATIBLE = """
            {"type": "record", "name": "Parcel", "namespace": "dev.switchboard.tests",
             "fields": [{"name": "id", "type": "string"},
                        {"name": "weight", "type": ["null", "int"], "default": null}]}""";

    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url")
    String registryUrl;

    private String artifact;

    @BeforeEach
    void registerFirstVersion() {
        String artifactId = "parcel-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("artifactId", artifactId, "artifactType", "AVRO",
                        "firstVersion", Map.of("content", content(V1))))
                .post(registryUrl + "/groups/switchboard-tests/artifacts")
                .then().statusCode(200);
        artifact = registryUrl + "/groups/switchboard-tests/artifacts/" + artifactId;
    }

    @Test
    void registry_enforcesBackwardCompatibility_globally() {
        given().get(registryUrl + "/admin/rules/COMPATIBILITY")
                .then().statusCode(200).body("config", equalTo("BACKWARD"));
    }

    @Test
    void incompatibleVersion_isRefused() {
        given().contentType(ContentType.JSON).body(Map.of("content", content(INCOMPATIBLE)))
                .post(artifact + "/versions")
                .then().statusCode(409).body("name", equalTo("RuleViolationException"));
    }

    @Test
    void compatibleVersion_isAccepted() {
        given().contentType(ContentType.JSON).body(Map.of("content", content(COMPATIBLE)))
                .post(artifact + "/versions")
                .then().statusCode(200).body("version", equalTo("2"));
    }

    private static Map<String, String> content(String schema) {
        return Map.of("content", schema, "contentType", "application/json");
    }
}
