package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes manifests in deploy/k8s cannot drift from the application: every environment variable the %prod
 * profile reads is set, every key they reference exists, ports and probe paths are the application's own.
 */
class DeploymentManifestsTest {

    private static final Path K8S = Path.of("deploy", "k8s");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{(SWITCHBOARD_[A-Z0-9_]+)");

    private static final List<JsonNode> documents = new ArrayList<>();
    private static Properties properties;
    private static String applicationProperties;

    @BeforeAll
    static void readManifestsAndConfiguration() throws IOException {
        var yaml = new YAMLMapper();
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (var parser = yaml.createParser(file.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
                }
            }
        }
        applicationProperties = Files.readString(Path.of("src", "main", "resources", "application.properties"));
        properties = new Properties();
        properties.load(new StringReader(applicationProperties));
    }

    @Test
    void deployment_setsExactlyTheVariablesTheProdProfileReads() {
        Set<String> read = new TreeSet<>();
        applicationProperties.lines()
                .filter(line -> line.startsWith("%prod."))
                .forEach(line -> ENV_REFERENCE.matcher(line).results().forEach(m -> read.add(m.group(1))));

        Set<String> set = new TreeSet<>();
        container().path("env").forEach(env -> set.add(env.path("name").asText()));

        assertThat(read).isNotEmpty();
        assertThat(set).filteredOn(name -> name.startsWith("SWITCHBOARD_")).containsExactlyInAnyOrderElementsOf(read);
    }

    @Test
    void everyReferencedKey_existsInItsConfigMapOrExampleSecret() {
        Set<String> configKeys = keys(only("ConfigMap", "switchboard-config").path("data"));
        Set<String> secretKeys = keys(only("Secret", "switchboard-credentials").path("stringData"));

        for (JsonNode env : container().path("env")) {
            JsonNode from = env.path("valueFrom");
            if (from.has("configMapKeyRef")) {
                assertThat(configKeys).as(env.path("name").asText())
                        .contains(from.path("configMapKeyRef").path("key").asText());
            }
            if (from.has("secretKeyRef")) {
                assertThat(secretKeys).as(env.path("name").asText())
                        .contains(from.path("secretKeyRef").path("key").asText());
            }
        }
    }

    @Test
    void portsAndProbes_areTheApplicationsOwn() {
        String port = properties.getProperty("%prod.quarkus.http.port",
                properties.getProperty("quarkus.http.port", "8080"));
        String root = "/" + properties.getProperty("quarkus.http.non-application-root-path", "q");
        String health = root + "/" + properties.getProperty("quarkus.smallrye-health.root-path", "health");
        JsonNode container = container();

        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo(health + "/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo(health + "/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo(health + "/started");
        assertThat(deployment().path("spec").path("template").path("metadata").path("annotations")
                .path("prometheus.io/path").asText()).isEqualTo(root + "/metrics");
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void alerts_watchConsumerLagAndTheOutbox() {
        List<String> expressions = new ArrayList<>();
        only("PrometheusRule", "switchboard").path("spec").path("groups")
                .forEach(group -> group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText())));

        assertThat(expressions).anyMatch(expr -> expr.contains("switchboard_consumer_lag") && expr.endsWith("> 1000"));
        assertThat(expressions).anyMatch(expr -> expr.contains("switchboard_outbox_oldest_age"));
    }

    @Test
    void kustomizations_nameFilesThatExist() {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path kustomization : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .toList()) {
                JsonNode doc = new YAMLMapper().readTree(kustomization.toFile());
                doc.path("resources")
                        .forEach(resource -> assertThat(kustomization.getParent().resolve(resource.asText()))
                                .as("%s in %s", resource.asText(), kustomization).exists());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode deployment() {
        return only("Deployment", "switchboard");
    }

    private static JsonNode container() {
        return deployment().path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode only(String kind, String name) {
        List<JsonNode> found = documents.stream()
                .filter(doc -> kind.equals(doc.path("kind").asText())
                        && name.equals(doc.path("metadata").path("name").asText()))
                .toList();
        assertThat(found).as("%s %s", kind, name).hasSize(1);
        return found.getFirst();
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
