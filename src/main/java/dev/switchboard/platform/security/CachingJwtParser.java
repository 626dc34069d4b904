package dev.switchboard.platform.security;

import java.time.InstantSource;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye JWT's parser, remembering the tokens it verified ({@link VerifiedTokens}). Quarkus verifies the bearer
 * token of every request and every socket upgrade with {@link JWTParser#parse(String)}, again and again for a client
 * that sends the same token each time: under ingest load the RS256 check and the claims' parsing took 13 % of the
 * service's CPU (bench/ingest.sh with JFR), and every open stream held its own copy of the same claims. Only that
 * method is cached; the others (another key, another context) go to the parser unchanged.
 * <p>
 * Hand-written: neither SmallRye JWT nor Quarkus caches verified tokens (quarkus-oidc's token cache holds
 * introspection and UserInfo answers, not local verifications).
 */
@Decorator
@Priority(10)
abstract class CachingJwtParser implements JWTParser {

    private final JWTParser parser;
    private final VerifiedTokens verified;
    private final boolean enabled;

    @Inject
    CachingJwtParser(@Delegate @Any JWTParser parser, TokenCacheConfig config) {
        this.parser = parser;
        this.enabled = config.maxSize() > 0;
        this.verified = new VerifiedTokens(config.maxSize(), config.maxAge(), Ticker.systemTicker(),
                InstantSource.system());
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return enabled ? verified.verified(token, parser::parse) : parser.parse(token);
    }
}
