package dev.switchboard.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

import dev.switchboard.testing.Tokens;

/**
 * The service's own JWT parser, the one Quarkus verifies every request with, remembers a good token (the second
 * request is not verified again) and never lets a changed copy of it through, neither to the parser nor over HTTP.
 * The kinds of bad token that never verify are in {@link SecurityTest}.
 */
@QuarkusTest
class CachingJwtParserTest {

    @Inject
    JWTParser parser;

    @Test
    void aGoodToken_isVerifiedOnce_andACopyWithAChangedSignatureIsRefused() throws Exception {
        String token = Tokens.mint("cache-test", Duration.ofMinutes(10), "orders:read");
        JsonWebToken first = parser.parse(token);
        assertThat(parser.parse(token)).as("remembered").isSameAs(first);

        // A character inside the signature (the last one carries spare bits that may not change it).
        int at = token.length() - 20;
        String forged = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);

        given().auth().oauth2(token).get("/orders").then().statusCode(200);
        given().auth().oauth2(forged).get("/orders").then().statusCode(401);
        given().auth().oauth2(token).get("/orders").then().statusCode(200);
    }

    @Test
    void twoTokensOfTheSameSubject_areEachTheirOwn() throws Exception {
        String reader = Tokens.mint("cache-test-2", Duration.ofMinutes(10), "orders:read");
        String writer = Tokens.mint("cache-test-2", Duration.ofMinutes(10), "orders:write");

        assertThat(parser.parse(reader).getGroups()).containsExactly("orders:read");
        assertThat(parser.parse(writer).getGroups()).containsExactly("orders:write");
        given().auth().oauth2(reader).get("/orders").then().statusCode(200);
        given().auth().oauth2(writer).get("/orders").then().statusCode(403);
    }
}
