package dev.switchboard.platform.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.envelope.LogCorrelation;
import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;

/**
 * {@code POST /topics/{topic}/events}: CloudEvents from outside producers onto the topics open to them. The whole
 * body is checked before anything is produced — each event a CloudEvent, of a type the topic takes, its data
 * fitting the Avro schema the registry holds for that type — so a batch with one bad event produces none. Runs on
 * a virtual thread once the body is in: the schema lookup is a blocking call (cached), the produce waits for
 * Kafka's acks.
 */
@Path("/topics/{topic}/events")
public class IngestResource {

    public static final String SINGLE = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";
    /** Longer than the ingest producer's delivery timeout (10 s), so Kafka's own answer comes first. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger LOG = Logger.getLogger(IngestResource.class);

    private final IngestConfig config;
    private final RegistrySchemas schemas;
    private final IngestPublisher publisher;
    private final ExecutorService virtualThreads;

    IngestResource(IngestConfig config, RegistrySchemas schemas, IngestPublisher publisher,
            @VirtualThreads ExecutorService virtualThreads) {
        this.config = config;
        this.virtualThreads = virtualThreads;
        this.schemas = schemas;
        this.publisher = publisher;
    }

    /** Where each event was written, in the order sent. */
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record Accepted(String topic, List<Written> events) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record Written(String id, int partition, long offset) {
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope("topics:{topic}:produce")
    public Uni<Response> ingest(@PathParam("topic") String topic,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId, byte[] body) {
        // The body is read whole on the event loop (a non-blocking method); the checks and the wait for Kafka's
        // acks then run on a virtual thread.
        return Uni.createFrom().item(() -> ingestRead(topic, contentType, correlationId, body))
                .runSubscriptionOn(virtualThreads);
    }

    private Response ingestRead(String topic, String contentType, String correlationId, byte[] body) {
        LogCorrelation.tag(correlationId);
        IngestConfig.Topic open = config.topics().get(topic);
        if (open == null) {
            return ApiError.of("unknown_topic", "topic " + topic + " takes no events over HTTP", "topic")
                    .toResponse(Response.Status.NOT_FOUND);
        }
        Boolean batch = batch(contentType);
        if (batch == null) {
            return ApiError.of("unsupported_media_type", "send " + SINGLE + " (one event) or " + BATCH
                    + " (a batch)", HttpHeaders.CONTENT_TYPE).toResponse(Response.Status.UNSUPPORTED_MEDIA_TYPE);
        }
        long limit = config.maxBodySize().asLongValue();
        if (body.length > limit) {
            return ApiError.of("body_too_large", "a body may hold " + limit + " bytes at most")
                    .toResponse(Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        List<IngestedEvent> events;
        try {
            events = CloudEventsJson.read(body, batch);
        } catch (CloudEventsJson.MalformedBody e) {
            return ApiError.of("malformed_json", e.getMessage()).toResponse(Response.Status.BAD_REQUEST);
        } catch (CloudEventsJson.InvalidEvent e) {
            return ApiError.of("invalid_cloudevent", e.getMessage(), e.field.isEmpty() ? null : e.field)
                    .toResponse(Response.Status.BAD_REQUEST);
        }
        if (events.size() > config.maxBatchSize()) {
            return ApiError.of("batch_too_large", "a batch may hold " + config.maxBatchSize() + " events at most")
                    .toResponse(Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        // Every value is framed before the first is sent: a registry failure on the last event writes nothing.
        List<byte[]> values = new ArrayList<>(events.size());
        for (IngestedEvent event : events) {
            String recordName = open.types().get(event.type());
            if (recordName == null) {
                return ApiError.of("unknown_event_type", "topic " + topic + " takes " + open.types().keySet(),
                        event.field("type")).toResponse(422);
            }
            try {
                Schema schema = schemas.latest(recordName);
                values.add(publisher.encode(topic, JsonToAvro.record(schema, event.data(), event.field("data"))));
            } catch (RegistrySchemas.NotRegistered e) {
                return ApiError.of("unknown_event_type", e.getMessage(), event.field("type")).toResponse(422);
            } catch (JsonToAvro.SchemaViolation e) {
                return ApiError.of("schema_violation", e.getMessage(), e.field).toResponse(422);
            } catch (RegistrySchemas.RegistryUnavailable e) {
                LOG.warnf("ingest refused, registry unavailable: %s", e.getMessage());
                return registryUnavailable();
            } catch (RuntimeException e) {
                // The serializer's own registry lookup failed (what it throws is not of one type).
                LOG.warnf(e, "ingest to %s refused: the record could not be framed", topic);
                return registryUnavailable();
            }
        }
        return produce(topic, events, values, correlationId);
    }

    private Response produce(String topic, List<IngestedEvent> events, List<byte[]> values, String correlationId) {
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(events.size());
        try {
            for (int i = 0; i < events.size(); i++) {
                sends.add(publisher.publish(topic, events.get(i), values.get(i), correlationId));
            }
        } catch (KafkaException e) {
            // Kafka's metadata out of reach (the producer waits up to max.block.ms for it); any event already
            // handed over is still sent, and the answer says to send the batch again.
            LOG.warnf("ingest to %s stopped: %s", topic, e.toString());
            return kafkaUnavailable(sends.size() + " of " + events.size() + " events were handed to Kafka");
        }
        List<Written> written = new ArrayList<>(events.size());
        int failed = 0;
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (int i = 0; i < sends.size(); i++) {
            try {
                RecordMetadata metadata = sends.get(i).get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                written.add(new Written(events.get(i).id(), metadata.partition(), metadata.offset()));
            } catch (ExecutionException | TimeoutException e) {
                failed++;
                LOG.warnf("ingest of %s to %s failed: %s", events.get(i).id(), topic, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return kafkaUnavailable("interrupted while waiting for Kafka");
            }
        }
        if (failed > 0) {
            return kafkaUnavailable(failed + " of " + events.size() + " events were not written");
        }
        return Response.accepted(new Accepted(topic, written)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response registryUnavailable() {
        return ApiError.of("registry_unavailable", "the schema registry does not answer; try again")
                .toResponse(Response.Status.SERVICE_UNAVAILABLE);
    }

    private static Response kafkaUnavailable(String what) {
        return ApiError.of("kafka_unavailable", what + "; send them again (any already written repeat with their"
                + " ids, which consumers absorb)").toResponse(Response.Status.SERVICE_UNAVAILABLE);
    }

    /** True for a batch, false for one event, null for any other content type. */
    private static Boolean batch(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case SINGLE -> false;
            case BATCH -> true;
            default -> null;
        };
    }
}
