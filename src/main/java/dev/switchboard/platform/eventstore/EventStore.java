package dev.switchboard.platform.eventstore;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

import dev.switchboard.platform.envelope.EventMetadata;

/**
 * The append-only event store (table {@code event_store}). Appends join the caller's transaction
 * ({@code Panache.withTransaction}), so that outbox rows and other effects commit with the events or not at all.
 */
@ApplicationScoped
public class EventStore {

    private static final String VERSION_CONSTRAINT = "event_store_stream_version_key";

    private final ObjectMapper json;

    EventStore(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Appends events to a stream if it is at the expected version, and answers the stream's new version. Fails with
     * {@link StreamVersionConflict} otherwise, also when a concurrent writer wins the race between the version
     * check and the insert (the unique (stream, version) constraint decides).
     */
    public Uni<Integer> append(String streamId, ExpectedVersion expected, List<NewEvent> events) {
        return currentVersion(streamId).chain(actual -> {
            if (!expected.matches(actual)) {
                return Uni.createFrom().failure(new StreamVersionConflict(streamId, expected, actual));
            }
            if (events.isEmpty()) {
                return Uni.createFrom().item(actual);
            }
            List<StoredEvent> rows = new ArrayList<>(events.size());
            int version = actual;
            for (NewEvent event : events) {
                rows.add(row(streamId, ++version, event));
            }
            int newVersion = version;
            return StoredEvent.persist(rows)
                    .chain(Panache::flush)
                    .onFailure(EventStore::isVersionClash)
                    .transform(clash -> new StreamVersionConflict(streamId, expected, -1))
                    .replaceWith(newVersion);
        });
    }

    /** The version of a stream's last event; 0 for a stream that does not exist. */
    public Uni<Integer> currentVersion(String streamId) {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery(
                        "select coalesce(max(e.streamVersion), 0) from StoredEvent e where e.streamId = :stream",
                        Integer.class)
                .setParameter("stream", streamId)
                .getSingleResult());
    }

    /** A stream's events in version order; empty for a stream that does not exist. */
    public Uni<List<RecordedEvent>> readStream(String streamId) {
        return StoredEvent.<StoredEvent>list("streamId = ?1 order by streamVersion", streamId)
                .map(rows -> rows.stream().map(this::recorded).toList());
    }

    /**
     * Up to {@code maxCount} events of the whole log after a global position, in position order. Only events of
     * transactions older than every running one are returned, so a reader that resumes from the last position it
     * saw never skips an event that committed late with a lower position.
     */
    public Uni<List<RecordedEvent>> readAll(long afterPosition, int maxCount) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("""
                        select global_position, stream_id, stream_version, event_id, event_type, payload, metadata,
                               recorded_at
                        from event_store
                        where global_position > :after
                          and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                        order by global_position
                        limit :max""", StoredEvent.class)
                .setParameter("after", afterPosition)
                .setParameter("max", maxCount)
                .getResultList())
                .map(rows -> rows.stream().map(this::recorded).toList());
    }

    private StoredEvent row(String streamId, int version, NewEvent event) {
        var row = new StoredEvent();
        row.streamId = streamId;
        row.streamVersion = version;
        row.eventId = event.eventId();
        row.eventType = event.type();
        row.payload = event.payload();
        try {
            row.metadata = json.writeValueAsString(event.metadata());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event metadata cannot be written as JSON", e);
        }
        return row;
    }

    private RecordedEvent recorded(StoredEvent row) {
        EventMetadata metadata;
        try {
            metadata = json.readValue(row.metadata, EventMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable metadata of event " + row.eventId, e);
        }
        return new RecordedEvent(row.globalPosition, row.streamId, row.streamVersion, row.eventId, row.eventType,
                row.payload, metadata, row.recordedAt);
    }

    private static boolean isVersionClash(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && VERSION_CONSTRAINT.equals(violation.getConstraintName())) {
                return true;
            }
            if (cause instanceof PgException pg && "23505".equals(pg.getSqlState())
                    && VERSION_CONSTRAINT.equals(pg.getConstraint())) {
                return true;
            }
        }
        return false;
    }
}
