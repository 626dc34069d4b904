package dev.switchboard.platform.schemas;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.microsoft.kiota.ApiException;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * Decodes Kafka record values framed by the Apicurio Avro serializer (schema id + Avro binary) into the generated
 * classes, looking schemas up in the registry (and caching them). Consumers receive values as bytes and decode
 * here, so that a record that fails — to decode or to apply — is dead-lettered and redriven with its original
 * bytes, untouched by a re-serialization.
 */
@ApplicationScoped
public class AvroDecoder {

    private final AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();

    AvroDecoder(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        deserializer.configure(Map.of(
                "apicurio.registry.url", registryUrl,
                "apicurio.registry.use-specific-avro-reader", "true"), false);
    }

    /**
     * @throws UndecodableRecord
     *             when the bytes are not an Avro record of a schema the registry knows
     */
    public SpecificRecord decode(String topic, Headers headers, byte[] value) {
        if (value == null) {
            throw new UndecodableRecord(topic, "the record has no value", null);
        }
        try {
            return deserializer.deserialize(topic, headers, value);
        } catch (RuntimeException e) {
            if (registryUnreachable(e)) {
                throw e; // transient: the consumer's retries (and, if they run out, its dead letter) apply
            }
            throw new UndecodableRecord(topic, e.getMessage(), e);
        }
    }

    /**
     * Whether the failure is the registry being away (I/O, a timeout, a 5xx or 429 answer) rather than the record
     * being unreadable: only the latter is poison.
     */
    static boolean registryUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException
                    || t instanceof io.vertx.core.VertxException) {
                return true;
            }
            if (t instanceof ApiException api
                    && (api.getResponseStatusCode() >= 500 || api.getResponseStatusCode() == 429)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }

    /** The value cannot be read with any registered schema; retrying cannot help. */
    public static class UndecodableRecord extends RuntimeException {

        UndecodableRecord(String topic, String why, Throwable cause) {
            super("record on " + topic + " cannot be decoded: " + why, cause);
        }
    }
}
