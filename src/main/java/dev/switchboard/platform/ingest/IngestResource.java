package dev.switchboard.platform.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.EnvelopeHeaders;
import dev.switchboard.platform.http.ApiError;

/**
 * {@code POST /topics/{topic}/events}: CloudEvents from outside producers onto the topics open to them. The whole
 * body is checked before anything is produced — each event a CloudEvent, of a type the topic takes, its data
 * fitting the Avro schema the registry holds for that type — so a batch with one bad event produces none. Runs on
 * a virtual thread: the schema lookup is a blocking call (cached), the produce waits for Kafka's acks.
 */
@Path("/topics/{topic}/events")
public class IngestResource {

    public static final String SINGLE = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";
    /** Longer than the ingest producer's delivery timeout, so Kafka's own answer comes first. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger LOG = Logger.getLogger(IngestResource.class);

    private final IngestConfig config;
    private final RegistrySchemas schemas;
    private final IngestPublisher publisher;

    IngestResource(IngestConfig config, RegistrySchemas schemas, IngestPublisher publisher) {
        this.config = config;
        this.schemas = schemas;
        this.publisher = publisher;
    }

    /** Where each event was written, in the order sent. */
    public record Accepted(String topic, List<Written> events) {
    }

    public record Written(String id, int partition, long offset) {
    }

    @POST
    @RunOnVirtualThread
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(@PathParam("topic") String topic, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(EnvelopeHeaders.HTTP_CORRELATION_ID) String correlationId, byte[] body) {
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
        List<GenericRecord> records = new ArrayList<>(events.size());
        for (IngestedEvent event : events) {
            String recordName = open.types().get(event.type());
            if (recordName == null) {
                return ApiError.of("unknown_event_type", "topic " + topic + " takes " + open.types().keySet(),
                        event.field("type")).toResponse(422);
            }
            try {
                Schema schema = schemas.latest(recordName);
                records.add(JsonToAvro.record(schema, event.data(), event.field("data")));
            } catch (RegistrySchemas.NotRegistered e) {
                return ApiError.of("unknown_event_type", e.getMessage(), event.field("type")).toResponse(422);
            } catch (JsonToAvro.SchemaViolation e) {
                return ApiError.of("schema_violation", e.getMessage(), e.field).toResponse(422);
            } catch (RegistrySchemas.RegistryUnavailable e) {
                LOG.warnf("ingest refused, registry unavailable: %s", e.getMessage());
                return ApiError.of("registry_unavailable", "the schema registry does not answer; try again")
                        .toResponse(Response.Status.SERVICE_UNAVAILABLE);
            }
        }
        return produce(topic, events, records, correlationId);
    }

    private Response produce(String topic, List<IngestedEvent> events, List<GenericRecord> records,
            String correlationId) {
        List<Uni<Object>> sends = new ArrayList<>(events.size());
        try {
            for (int i = 0; i < events.size(); i++) {
                // Each send completes with its RecordMetadata or its failure, so one failure does not hide the rest.
                sends.add(publisher.publish(topic, events.get(i), records.get(i), correlationId)
                        .onItemOrFailure().transform((written, failure) -> failure != null ? failure : written));
            }
        } catch (RuntimeException overflow) {
            // The emitter's buffer is full: Kafka is not keeping up. What was handed over is still sent.
            LOG.warnf("ingest refused, producer buffer full: %s", overflow.getMessage());
            return ApiError.of("overloaded", "too many events waiting for Kafka; send the batch again later")
                    .toResponse(Response.Status.SERVICE_UNAVAILABLE);
        }
        List<Object> outcomes;
        try {
            outcomes = Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            return kafkaUnavailable("Kafka did not acknowledge the events in time");
        }
        List<Written> written = new ArrayList<>(events.size());
        int failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof RecordMetadata metadata) {
                written.add(new Written(events.get(i).id(), metadata.partition(), metadata.offset()));
            } else {
                failed++;
                LOG.warnf("ingest of %s to %s failed: %s", events.get(i).id(), topic, outcomes.get(i));
            }
        }
        if (failed > 0) {
            return kafkaUnavailable(failed + " of " + events.size() + " events were not written");
        }
        return Response.accepted(new Accepted(topic, written)).type(MediaType.APPLICATION_JSON_TYPE).build();
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
