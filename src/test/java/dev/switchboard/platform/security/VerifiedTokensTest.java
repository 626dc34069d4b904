package dev.switchboard.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The cache of verified tokens on a clock the test moves: what it serves without verifying again, and every case
 * in which it must verify again (another token, a token that failed, expiry, the maximum age) or hold nothing.
 */
class VerifiedTokensTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final FakeTime time = new FakeTime();
    /** The tokens the fake verifier was asked about, in order. */
    private final List<String> verifications = new ArrayList<>();

    @Test
    void theSameToken_isVerifiedOnce_andServedAsItWasVerified() throws Exception {
        var tokens = tokens(100);
        String token = "a." + expiringIn(Duration.ofHours(1)) + ".sig";

        JsonWebToken first = tokens.verified(token, this::verify);
        JsonWebToken second = tokens.verified(token, this::verify);

        assertThat(second).isSameAs(first);
        assertThat(verifications).containsExactly(token);
    }

    @Test
    void aTokenDifferingInOneCharacter_isVerifiedOnItsOwn() throws Exception {
        var tokens = tokens(100);
        String token = "a." + expiringIn(Duration.ofHours(1)) + ".sig";
        tokens.verified(token, this::verify);

        assertThatThrownBy(() -> tokens.verified(token + "x", this::verify)).isInstanceOf(ParseException.class);

        assertThat(verifications).containsExactly(token, token + "x");
    }

    @Test
    void aTokenThatFailed_isNeverRemembered_andFailsAgain() {
        var tokens = tokens(100);
        String forged = "forged." + expiringIn(Duration.ofHours(1)) + ".bad";

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.verified(forged, this::verify)).isInstanceOf(ParseException.class);
        }

        assertThat(verifications).hasSize(3);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aRememberedToken_isNotServedOnceExpired_butVerifiedAgain() throws Exception {
        var tokens = tokens(100);
        String token = "a." + expiringIn(Duration.ofSeconds(10)) + ".sig";
        tokens.verified(token, this::verify);

        time.advance(Duration.ofSeconds(9));
        tokens.verified(token, this::verify);
        assertThat(verifications).hasSize(1);

        time.advance(Duration.ofSeconds(1));
        // The fake verifier refuses an expired token, as SmallRye JWT does (past its clock skew).
        assertThatThrownBy(() -> tokens.verified(token, this::verify)).isInstanceOf(ParseException.class);
        assertThat(verifications).hasSize(2);
    }

    @Test
    void aLongLivedToken_isVerifiedAgainAfterTheMaximumAge() throws Exception {
        var tokens = tokens(100);
        String token = "a." + expiringIn(Duration.ofHours(1)) + ".sig";
        JsonWebToken first = tokens.verified(token, this::verify);

        time.advance(MAX_AGE.minusSeconds(1));
        assertThat(tokens.verified(token, this::verify)).isSameAs(first);
        time.advance(Duration.ofSeconds(1));
        assertThat(tokens.verified(token, this::verify)).isNotSameAs(first);

        assertThat(verifications).hasSize(2);
    }

    @Test
    void aTokenWithoutExpiry_isNotRemembered() throws Exception {
        assertVerifiedEachTimeAndNeverKept("a.0.sig"); // 0: no expiry claim
    }

    @Test
    void atMostMaxSizeTokensAreHeld() throws Exception {
        var tokens = tokens(10);
        for (int i = 0; i < 200; i++) {
            tokens.verified("t" + i + "." + expiringIn(Duration.ofHours(1)) + ".sig", this::verify);
        }

        assertThat(tokens.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void aRememberedToken_isNotServedOnceTheWallClockPassesItsExpiry_evenIfTheCachesClockDidNot() throws Exception {
        var tokens = tokens(100);
        String token = "a." + expiringIn(Duration.ofSeconds(10)) + ".sig";
        tokens.verified(token, this::verify);

        time.stepWallClock(Duration.ofSeconds(10)); // an NTP step: the monotonic ticker does not move

        assertThatThrownBy(() -> tokens.verified(token, this::verify)).isInstanceOf(ParseException.class);
        assertThat(verifications).hasSize(2);
    }

    @Test
    void aTokenAcceptedOnlyWithinTheVerifiersClockSkew_isNotRemembered() throws Exception {
        assertVerifiedEachTimeAndNeverKept("a." + expiringIn(Duration.ofSeconds(-30)) + ".sig"); // within 60 s skew
    }

    @Test
    void withAMaximumTokenAge_aRememberedTokenIsVerifiedAgainOnceItIsThatOld() throws Exception {
        var tokens = new VerifiedTokens(100, MAX_AGE, Optional.of(Duration.ofMinutes(2)), time, time);
        String token = "a." + expiringIn(Duration.ofHours(1)) + ".sig"; // issued now (the fake's iat)
        tokens.verified(token, this::verify);

        time.advance(Duration.ofMinutes(2).minusSeconds(1));
        tokens.verified(token, this::verify);
        assertThat(verifications).hasSize(1);
        time.advance(Duration.ofSeconds(1));
        tokens.verified(token, this::verify);
        assertThat(verifications).hasSize(2);
    }

    /** A token the verifier accepts (its expiry unchecked, as within a clock skew) is verified twice, kept never. */
    private void assertVerifiedEachTimeAndNeverKept(String token) throws ParseException {
        var tokens = tokens(100);

        tokens.verified(token, this::verifyWithoutExpiryCheck);
        tokens.verified(token, this::verifyWithoutExpiryCheck);

        assertThat(verifications).hasSize(2);
        assertThat(tokens.size()).isZero();
    }

    private VerifiedTokens tokens(long maxSize) {
        return new VerifiedTokens(maxSize, MAX_AGE, Optional.empty(), time, time);
    }

    /** A token's middle part here is its expiry in epoch seconds (the fake verifier reads it). */
    private long expiringIn(Duration lifetime) {
        return time.instant().plus(lifetime).getEpochSecond();
    }

    /** Verifies as SmallRye JWT would, for these made-up tokens: "forged" or a trailing "x" fails, so does expiry. */
    private JsonWebToken verify(String token) throws ParseException {
        JsonWebToken jwt = verifyWithoutExpiryCheck(token);
        if (jwt.getExpirationTime() <= time.instant().getEpochSecond()) {
            throw new ParseException("expired");
        }
        return jwt;
    }

    private JsonWebToken verifyWithoutExpiryCheck(String token) throws ParseException {
        verifications.add(token);
        String[] parts = token.split("\\.");
        if (parts[0].equals("forged") || token.endsWith("x")) {
            throw new ParseException("signature does not verify");
        }
        var claims = new JwtClaims();
        claims.setSubject("someone");
        claims.setIssuedAt(NumericDate.fromSeconds(time.instant().getEpochSecond()));
        long expiresAt = Long.parseLong(parts[1]);
        if (expiresAt > 0) {
            claims.setExpirationTime(NumericDate.fromSeconds(expiresAt));
        }
        return new DefaultJWTCallerPrincipal(claims);
    }

    /** Caffeine's ticker and the wall clock tokens are checked against: moving together, or the wall clock alone. */
    private static final class FakeTime implements Ticker, InstantSource {

        private long nanos = Duration.ofDays(20_000).toNanos();
        private long wallClockStep;

        void advance(Duration by) {
            nanos += by.toNanos();
        }

        void stepWallClock(Duration by) {
            wallClockStep += by.toNanos();
        }

        @Override
        public long read() {
            return nanos;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos + wallClockStep);
        }
    }
}
