package dev.switchboard.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.platform.inbox.ConsumerMetrics;

/**
 * Consumer group {@code dead-letters}: reads every consumer group's dead-letter topic (channel {@value #CHANNEL},
 * topics listed in application.properties) into table {@code dead_letter}, once per dead-letter record (its topic,
 * partition, offset and timestamp: positions start again at 0 when a
 * topic is created again). A
 * redriven record that failed again carries its dead letter's id and parks that dead letter again. The only thing
 * that can fail here is PostgreSQL: retries with backoff for a few minutes, then the channel fails (failure
 * strategy {@code fail}), the offset stays uncommitted and the service turns not ready.
 */
@ApplicationScoped
class DeadLetterCollector {

    static final String CHANNEL = "dead-letters";

    private final Pool pool;
    private final ObjectMapper json;
    private final ConsumerMetrics metrics;

    DeadLetterCollector(Pool pool, ObjectMapper json, ConsumerMetrics metrics) {
        this.pool = pool;
        this.json = json;
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    @Retry(maxRetries = 12, delay = 200, maxDuration = 600_000)
    @ExponentialBackoff(maxDelay = 30_000)
    Uni<Void> collect(ConsumerRecord<String, byte[]> record) {
        String group = firstNonNull(DeadLetterTopics.groupOf(record.topic()), record.topic());
        String redriveOf = text(record, DeadLetterTopics.DEAD_LETTER_ID_HEADER);
        String reason = text(record, "dead-letter-reason");
        String cause = text(record, "dead-letter-cause");
        String exceptionClass = firstNonNull(text(record, "dead-letter-exception-class-name"),
                text(record, "dead-letter-cause-class-name"));
        Buffer payload = record.value() == null ? null : Buffer.buffer(record.value());
        OffsetDateTime recordTime = Instant.ofEpochMilli(record.timestamp()).atOffset(ZoneOffset.UTC);
        if (redriveOf != null) {
            return pool.preparedQuery("UPDATE dead_letter SET status = 'parked', reason = $2, cause = $3,"
                    + " exception_class = $4, dlq_topic = $5, dlq_partition = $6, dlq_offset = $7,"
                    + " dlq_timestamp = $8, updated_at = now() WHERE id = $1"
                    + " AND NOT (dlq_topic = $5 AND dlq_partition = $6 AND dlq_offset = $7 AND dlq_timestamp = $8)")
                    .execute(Tuple.from(new Object[]{Long.valueOf(redriveOf), reason, cause, exceptionClass,
                            record.topic(), record.partition(), record.offset(), recordTime}))
                    .invoke(rows -> countIfStored(rows, group, record)).replaceWithVoid();
        }
        return pool.preparedQuery("INSERT INTO dead_letter (consumer_group, dlq_topic, dlq_partition, dlq_offset,"
                + " dlq_timestamp, topic, topic_partition, topic_offset, message_key, event_id, event_type, subject,"
                + " reason, cause, exception_class, headers, payload, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                + " $9, $10, $11, $12, $13, $14, $15, ($16::text)::jsonb, $17, 'parked')"
                + " ON CONFLICT ON CONSTRAINT dead_letter_dlq_record DO NOTHING")
                .execute(Tuple.from(new Object[]{group, record.topic(),
                        record.partition(), record.offset(), recordTime, text(record, "dead-letter-topic"),
                        integer(text(record, "dead-letter-partition")), longOrNull(text(record, "dead-letter-offset")),
                        record.key(), text(record, "ce_id"), text(record, "ce_type"), text(record, "ce_subject"),
                        reason, cause, exceptionClass, ownHeaders(record), payload}))
                .invoke(rows -> countIfStored(rows, group, record)).replaceWithVoid();
    }

    /** A redelivered dead-letter record changes no row and is not counted again. */
    private void countIfStored(RowSet<Row> rows, String group, ConsumerRecord<String, byte[]> record) {
        if (rows.rowCount() > 0) {
            metrics.deadLettered(group, text(record, "ce_type"));
        }
    }

    /** The record's headers without the dead-letter ones: what a redrive sends again. */
    private String ownHeaders(ConsumerRecord<String, byte[]> record) {
        Map<String, String> own = new TreeMap<>();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(DeadLetterTopics.CONNECTOR_HEADER_PREFIX)
                    && !header.key().equals(DeadLetterTopics.DEAD_LETTER_ID_HEADER) && header.value() != null) {
                // Switchboard's headers are all text (ce_*, correlationid, traceparent).
                own.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        try {
            return json.writeValueAsString(own);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null || found.value() == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }

    static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Long longOrNull(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
