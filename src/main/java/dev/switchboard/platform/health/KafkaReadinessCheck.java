package dev.switchboard.platform.health;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.kafka.KafkaAdmins;

/**
 * Ready only while a Kafka broker describes the cluster within two seconds. Quarkus' own Kafka check waits for
 * the admin client's default 60 s when the broker is gone, longer than a probe should ever take.
 */
@Readiness
@ApplicationScoped
class KafkaReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "Kafka";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;

    KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.admin = KafkaAdmins.create(kafkaConfig);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var options = new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis());
        return Uni.createFrom().completionStage(() -> admin.describeCluster(options).nodes().toCompletionStage())
                .map(nodes -> HealthCheckResponse.named(NAME).status(!nodes.isEmpty())
                        .withData("nodes", nodes.stream().map(node -> node.host() + ":" + node.port())
                                .collect(Collectors.joining(",")))
                        .build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("error", String.valueOf(failure))
                        .build());
    }

    @PreDestroy
    void close() {
        admin.close(TIMEOUT);
    }
}
