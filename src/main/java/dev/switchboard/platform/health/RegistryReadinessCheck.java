package dev.switchboard.platform.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready only while the Apicurio Registry answers its v3 API: without it the serializers cannot register or look
 * up schemas, so nothing can be published or read.
 */
@Readiness
@ApplicationScoped
class RegistryReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "Apicurio Registry";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI systemInfo;

    RegistryReadinessCheck(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        this.systemInfo = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var request = HttpRequest.newBuilder(systemInfo).timeout(TIMEOUT).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> HealthCheckResponse.named(NAME)
                        .status(response.statusCode() == 200)
                        .withData("url", systemInfo.toString())
                        .withData("status", response.statusCode())
                        .build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("url", systemInfo.toString())
                        .withData("error", String.valueOf(failure))
                        .build());
    }
}
