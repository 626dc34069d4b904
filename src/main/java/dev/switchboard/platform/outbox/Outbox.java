package dev.switchboard.platform.outbox;

import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.AvroJson;

/**
 * Writes messages into the outbox table in the caller's transaction ({@code Panache.withTransaction}): they are
 * published if and only if the transaction commits. {@link OutboxRelay} does the publishing.
 */
@ApplicationScoped
public class Outbox {

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
}
