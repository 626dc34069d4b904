package dev.switchboard.platform.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;

import dev.switchboard.platform.streaming.StreamsConfig;

/**
 * {@code GET /dev/token}, in dev mode only (not built into test or production): a short-lived token for the page at
 * {@code /}, signed with the clone's local key, with the scopes the page uses. Anyone who can reach a dev-mode
 * service gets one, which is why it exists nowhere else.
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

    static final Duration LIFETIME = Duration.ofMinutes(15);

    private final StreamsConfig streams;

    DevTokenResource(StreamsConfig streams) {
        this.streams = streams;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> token() {
        List<String> scopes = new ArrayList<>(List.of("orders:read", "orders:write", "analytics:read",
                "dead-letters:read"));
        streams.topics().forEach(topic -> scopes.add(Scopes.streamRead(topic)));
        String token = Jwt.subject("page-dev").upn("page-dev").claim("scope", String.join(" ", scopes))
                .expiresIn(LIFETIME).sign();
        return Map.of("token", token);
    }
}
