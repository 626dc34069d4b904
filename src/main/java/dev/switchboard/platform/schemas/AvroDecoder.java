package dev.switchboard.platform.schemas;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.generic.IndexedRecord;
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

    private final AvroKafkaDeserializer<Object> specific = new AvroKafkaDeserializer<>();
    // Apicurio's specific reader refuses a schema without a generated class; streams read with the generic one.
    private final AvroKafkaDeserializer<Object> generic = new AvroKafkaDeserializer<>();

    AvroDecoder(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        specific.configure(Map.of(
                "apicurio.registry.url", registryUrl,
                "apicurio.registry.use-specific-avro-reader", "true"), false);
        generic.configure(Map.of("apicurio.registry.url", registryUrl), false);
    }

    /**
     * Into the generated class of the record's schema, for consumers that act on it.
     *
     * @throws UndecodableRecord
     *             when the bytes are not an Avro record of a schema the registry knows, or of one without a
     *             generated class here
     */
    public SpecificRecord decode(String topic, Headers headers, byte[] value) {
        if (decode(specific, topic, headers, value) instanceof SpecificRecord record) {
            return record;
        }
        throw new UndecodableRecord(topic, "the value is not a record of a generated class", null);
    }

    /**
     * Into a generic record of the registry's schema, whether or not a class here has it (streams show events of
     * types this service does not act on, such as those from HTTP ingest).
     *
     * @throws UndecodableRecord
     *             when the bytes are not an Avro record of a schema the registry knows
     */
    public IndexedRecord decodeAny(String topic, Headers headers, byte[] value) {
        return decode(generic, topic, headers, value);
    }

    private static IndexedRecord decode(AvroKafkaDeserializer<Object> deserializer, String topic, Headers headers,
            byte[] value) {
        if (value == null) {
            throw new UndecodableRecord(topic, "the record has no value", null);
        }
        try {
            if (deserializer.deserialize(topic, headers, value) instanceof IndexedRecord record) {
                return record;
            }
            throw new UndecodableRecord(topic, "the value is not an Avro record", null);
        } catch (UndecodableRecord e) {
            throw e;
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
        specific.close();
        generic.close();
    }

    /** The value cannot be read with any registered schema; retrying cannot help. */
    public static class UndecodableRecord extends RuntimeException {

        UndecodableRecord(String topic, String why, Throwable cause) {
            super("record on " + topic + " cannot be decoded: " + why, cause);
        }
    }
}
