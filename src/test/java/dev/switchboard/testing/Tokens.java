package dev.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Tokens as the local issuer mints them (infra/token): RS256 with the clone's private key
 * (SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION, made by infra/lib/keys.sh), the test profile's issuer and audience. Each
 * can be bent into one a real issuer would never hand out (expired, not yet valid, wrong issuer, audience or key,
 * {@code alg: none}), to show the service refuses it.
 */
public final class Tokens {

    private static String operator;

    private Tokens() {
    }

    /** Every scope the suite's endpoints and topics need, for the tests that are not about security. */
    public static synchronized String operator() {
        if (operator == null) {
            var config = ConfigProvider.getConfig();
            List<String> scopes = new ArrayList<>(List.of("orders:read", "orders:write", "inventory:read",
                    "inventory:write", "analytics:read", "projections:admin", "dead-letters:read",
                    "dead-letters:admin"));
            // Plus the unknown topics the tests ask for, to see 404 rather than 403.
            for (String topic : config.getValues("switchboard.streams.topics", String.class)) {
                scopes.add("streams:" + topic + ":read");
            }
            scopes.add("streams:no.such.topic:read");
            for (String topic : List.of("ingest.test", "carrier.updates", "nowhere.topic")) {
                scopes.add("topics:" + topic + ":produce");
            }
            operator = mint("test-operator", Duration.ofHours(3), scopes.toArray(String[]::new));
        }
        return operator;
    }

    public static String mint(String subject, Duration lifetime, String... scopes) {
        return mint(subject, claims -> claims.setExpirationTime(NumericDate.fromSeconds(
                Instant.now().plus(lifetime).getEpochSecond())), scopes);
    }

    /** A token for the subject and scopes, valid for an hour unless {@code bend} changes its claims. */
    public static String mint(String subject, Consumer<JwtClaims> bend, String... scopes) {
        return sign(claims(subject, bend, scopes), privateKey());
    }

    public static JwtClaims claims(String subject, Consumer<JwtClaims> bend, String... scopes) {
        var config = ConfigProvider.getConfig();
        var claims = new JwtClaims();
        claims.setIssuer(config.getValue("mp.jwt.verify.issuer", String.class));
        claims.setAudience(config.getValue("mp.jwt.verify.audiences", String.class));
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setClaim("scope", String.join(" ", scopes));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setJwtId(UUID.randomUUID().toString());
        bend.accept(claims);
        return claims;
    }

    public static String sign(JwtClaims claims, PrivateKey key) {
        var jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader(HeaderParameterNames.TYPE, "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims with no signature at all ({@code alg: none}). */
    public static String unsigned(JwtClaims claims) {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "."
                + encoder.encodeToString(claims.toJson().getBytes()) + ".";
    }

    /** The same claims signed HS256 with the bytes of the public key as the secret (the old key-confusion trick). */
    public static String hmacWithPublicKey(JwtClaims claims) throws IOException {
        var jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(new HmacKey(Files.readAllBytes(keyPath("SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION", "public.pem"))));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setDoKeyValidation(false);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key the service has never seen. */
    public static PrivateKey strangerKey() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(keyPath("SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION", "private.pem"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the local signing key is missing; infra/test makes it", e);
        }
    }

    private static Path keyPath(String variable, String name) {
        String location = System.getenv(variable);
        return location != null ? Path.of(location) : Path.of("infra", "data", "keys", name);
    }
}
