package dev.switchboard.platform.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Avro schema the registry holds for a record name now (the artifact's latest version), kept for a short
 * while so that a burst of events asks the registry once, yet a schema evolved in the registry is seen within
 * {@link #FRESH_FOR}. Read through the registry's v3 REST API: the serdes' resolver looks schemas up by the
 * record they are given, and ingest has no record until it has the schema.
 */
@ApplicationScoped
class RegistrySchemas {

    static final Duration FRESH_FOR = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    RegistrySchemas(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        this.registryUrl = registryUrl.replaceAll("/+$", "");
    }

    private record Cached(Schema schema, String content, long fetchedAt) {
    }

    /**
     * @param recordName
     *            {@code namespace.Name}: group = namespace, artifact = name, as the serializer's RecordIdStrategy
     *            registers it
     * @throws NotRegistered
     *             when the registry has no such artifact, or one that is not an Avro record
     * @throws RegistryUnavailable
     *             when the registry does not answer
     */
    Schema latest(String recordName) {
        long now = System.nanoTime();
        Cached cached = cache.get(recordName);
        if (cached != null && now - cached.fetchedAt < FRESH_FOR.toNanos()) {
            return cached.schema;
        }
        String content = fetch(recordName);
        // The same object while the registry's content is unchanged: what is kept per schema (the publisher's
        // framing) is kept once, not once per refresh.
        Schema schema = cached != null && cached.content.equals(content) ? cached.schema : parse(recordName, content);
        cache.put(recordName, new Cached(schema, content, now));
        return schema;
    }

    private String fetch(String recordName) {
        int dot = recordName.lastIndexOf('.');
        String group = dot < 0 ? "default" : recordName.substring(0, dot);
        String artifact = recordName.substring(dot + 1);
        var request = HttpRequest.newBuilder(URI.create(registryUrl + "/groups/" + encode(group) + "/artifacts/"
                + encode(artifact) + "/versions/branch=latest/content")).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailable("interrupted");
        }
        if (response.statusCode() == 404) {
            throw new NotRegistered("the registry holds no schema " + recordName);
        }
        if (response.statusCode() != 200) {
            throw new RegistryUnavailable("the registry answered " + response.statusCode());
        }
        return response.body();
    }

    private static Schema parse(String recordName, String content) {
        try {
            Schema schema = new Schema.Parser().parse(content);
            if (schema.getType() != Schema.Type.RECORD || !schema.getFullName().equals(recordName)) {
                throw new NotRegistered("the registry's " + recordName + " is not an Avro record of that name");
            }
            return schema;
        } catch (AvroRuntimeException e) { // a parse error, or an invalid default
            throw new NotRegistered("the registry's " + recordName + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static final class NotRegistered extends RuntimeException {

        NotRegistered(String message) {
            super(message, null, false, false);
        }
    }

    static final class RegistryUnavailable extends RuntimeException {

        RegistryUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
