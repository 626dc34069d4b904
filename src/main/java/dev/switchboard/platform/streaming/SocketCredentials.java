package dev.switchboard.platform.streaming;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.switchboard.platform.security.Scopes;

/**
 * What a stream socket's token allows and until when: its subject ({@code sub}), its scopes and its expiry (epoch
 * seconds). A
 * socket keeps the token it opened with until an {@code auth} frame brings a fresh one for the same subject.
 */
record SocketCredentials(String subject, Set<String> scopes, long expiresAt) {

    static SocketCredentials of(JsonWebToken token) {
        return new SocketCredentials(Scopes.subjectOf(token), Set.copyOf(token.getGroups()),
                token.getExpirationTime());
    }

    boolean mayRead(String topic) {
        return scopes.contains(Scopes.streamRead(topic));
    }
}
