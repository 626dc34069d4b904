package dev.switchboard.platform.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

import dev.switchboard.platform.envelope.AvroJson;

/**
 * Writes messages into the outbox table in the caller's transaction ({@code Panache.withTransaction}): they are
 * published if and only if the transaction commits. {@link OutboxRelay} does the publishing.
 */
@ApplicationScoped
public class Outbox {

    private final Pool pool;

    Outbox(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> enqueue(List<OutboxMessage> messages) {
        return OutboxRecord.persist(messages.stream().map(Outbox::record).toList());
    }

    private static OutboxRecord record(OutboxMessage message) {
        var row = new OutboxRecord();
        row.eventId = message.eventId();
        row.topic = message.topic();
        row.messageKey = message.key();
        row.eventType = message.type();
        row.source = message.source();
        row.subject = message.subject();
        row.sequence = message.sequence();
        row.occurredAt = message.time().atOffset(ZoneOffset.UTC);
        row.avroSchema = message.data().getSchema().getFullName();
        row.payload = AvroJson.encode(message.data());
        if (message.metadata() != null) {
            row.correlationId = message.metadata().correlationId();
            row.causationId = message.metadata().causationId();
            row.traceparent = message.metadata().traceparent();
        }
        return row;
    }

    /** Age of the oldest pending row and the number of rows, for operators and tests. */
    public Uni<Backlog> backlog() {
        return pool.query("SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Backlog(row.getLong("pending"), row.getOffsetDateTime("oldest"));
                });
    }

    public record Backlog(long pending, OffsetDateTime oldest) {
    }
}
