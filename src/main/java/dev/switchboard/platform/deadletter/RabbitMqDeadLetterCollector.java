package dev.switchboard.platform.deadletter;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.platform.bridge.AmqpEnvelope;
import dev.switchboard.platform.inbox.ConsumerMetrics;

/**
 * Reads the RabbitMQ dead-letter queues ({@code notifier.dlq}, {@code shop.inbound.dlq}; channels {@value #NOTIFIER}
 * and {@value #INBOUND}) into table {@code dead_letter}, beside the Kafka ones: the group is the queue that refused
 * the message; the reason is the consumer's ({@code dead-letter-reason}) or the broker's ({@code x-death}: rejected,
 * delivery_limit, expired). Stored once per message and dead-lettering, then acked; a redriven message that was
 * refused again parks its dead letter again. Only PostgreSQL can fail here: retried for minutes, then the channel
 * stops (failure strategy {@code fail}), the message stays in its queue and readiness goes down, as for the
 * Kafka collector.
 */
@ApplicationScoped
class RabbitMqDeadLetterCollector {

    static final String NOTIFIER = "notifier-dead-letters";
    static final String INBOUND = "inbound-dead-letters";

    private final Pool pool;
    private final ObjectMapper json;
    private final ConsumerMetrics metrics;

    RabbitMqDeadLetterCollector(Pool pool, ObjectMapper json, ConsumerMetrics metrics) {
        this.pool = pool;
        this.json = json;
        this.metrics = metrics;
    }

    @Incoming(NOTIFIER)
    @Incoming(INBOUND)
    @Retry(maxRetries = 12, delay = 200, maxDuration = 600_000)
    @ExponentialBackoff(maxDelay = 30_000)
    Uni<Void> collect(Message<byte[]> message) {
        var amqp = message.getMetadata(IncomingRabbitMQMetadata.class).orElseThrow();
        Map<String, Object> headers = amqp.getHeaders();
        Map<String, Object> death = firstDeath(headers);
        String queue = DeadLetterCollector.firstNonNull(AmqpEnvelope.text(headers, RabbitMqDeadLetters.QUEUE),
                text(death, "queue"));
        String dlq = queue != null ? DeadLetterTopics.dlqOf(queue) : amqp.getRoutingKey();
        String reason = AmqpEnvelope.text(headers, RabbitMqDeadLetters.REASON);
        if (reason == null && death != null) {
            reason = "RabbitMQ dead-lettered it: " + text(death, "reason") + " (queue " + text(death, "queue")
                    + ", " + text(death, "count") + " time(s))";
        }
        var letter = new Letter(queue != null ? queue : dlq, dlq, key(amqp, message.getPayload(), headers, death),
                DeadLetterCollector.firstNonNull(AmqpEnvelope.text(headers, "ce_type"), amqp.getType().orElse(null)),
                reason, AmqpEnvelope.text(headers, RabbitMqDeadLetters.CAUSE),
                AmqpEnvelope.text(headers, RabbitMqDeadLetters.EXCEPTION_CLASS));
        Long redriveOf = DeadLetterCollector.longOrNull(
                AmqpEnvelope.text(headers, DeadLetterTopics.DEAD_LETTER_ID_HEADER));
        Uni<?> stored = redriveOf == null
                ? insert(letter, amqp, message.getPayload(), death)
                : parkAgain(redriveOf, letter).chain(known -> known
                        ? Uni.createFrom().voidItem()
                        : insert(letter, amqp, message.getPayload(), death)); // its row is gone: keep it anew
        return stored.chain(() -> Uni.createFrom().completionStage(message.ack()));
    }

    private record Letter(String group, String dlq, String key, String type, String reason, String cause,
            String exceptionClass) {
    }

    /**
     * A redriven message refused again parks its dead letter again (once per dead-lettering).
     *
     * @return whether that dead letter exists
     */
    private Uni<Boolean> parkAgain(long id, Letter letter) {
        return pool.preparedQuery("UPDATE dead_letter SET status = 'parked', reason = $2, cause = $3,"
                + " exception_class = $4, dlq_message_id = $5, updated_at = now()"
                + " WHERE id = $1 AND dlq_message_id IS DISTINCT FROM $5")
                .execute(Tuple.of(id, letter.reason(), letter.cause(), letter.exceptionClass(), letter.key()))
                .chain(updated -> {
                    if (updated.rowCount() == 1) {
                        metrics.deadLettered(letter.group(), letter.type());
                        return Uni.createFrom().item(Boolean.TRUE);
                    }
                    return pool.preparedQuery("SELECT 1 FROM dead_letter WHERE id = $1").execute(Tuple.of(id))
                            .map(rows -> rows.size() == 1);
                });
    }

    private Uni<?> insert(Letter letter, IncomingRabbitMQMetadata amqp, byte[] payload, Map<String, Object> death) {
        Map<String, Object> headers = amqp.getHeaders();
        return pool.preparedQuery("INSERT INTO dead_letter (broker, consumer_group, dlq_topic, dlq_message_id,"
                + " topic, message_key, event_id, event_type, subject, reason, cause, exception_class, headers,"
                + " payload, status) VALUES ('rabbitmq', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                + " ($12::text)::jsonb, $13, 'parked') ON CONFLICT (dlq_topic, dlq_message_id)"
                + " WHERE dlq_message_id IS NOT NULL DO NOTHING")
                .execute(Tuple.from(new Object[]{letter.group(), letter.dlq(), letter.key(), letter.group(),
                        firstRoutingKey(death),
                        DeadLetterCollector.firstNonNull(AmqpEnvelope.text(headers, "ce_id"),
                                amqp.getMessageId().orElse(null)),
                        letter.type(), AmqpEnvelope.text(headers, "ce_subject"), letter.reason(), letter.cause(),
                        letter.exceptionClass(), ownHeaders(amqp), payload == null ? null : Buffer.buffer(payload)}))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) { // a re-read of a stored dead-lettering is not counted again
                        metrics.deadLettered(letter.group(), letter.type());
                    }
                });
    }

    /**
     * What names this dead-lettering of this message: the key the consumer gave it when it parked it, or the
     * message (its id, else a hash of its body) with the broker's x-death entry (queue, reason, count, time), which
     * a re-read of the same message repeats and a later dead-lettering of it does not.
     */
    private static String key(IncomingRabbitMQMetadata amqp, byte[] payload, Map<String, Object> headers,
            Map<String, Object> death) {
        String parked = AmqpEnvelope.text(headers, RabbitMqDeadLetters.KEY);
        if (parked != null) {
            return parked;
        }
        return amqp.getMessageId().orElseGet(() -> RabbitMqDeadLetters.sha256(payload)) + "@" + text(death, "queue")
                + "/"
                + text(death, "reason") + "/" + text(death, "count") + "/" + text(death, "time");
    }

    /** The message's headers without the dead-lettering ones, plus its AMQP properties: what a redrive sends. */
    private String ownHeaders(IncomingRabbitMQMetadata amqp) {
        Map<String, String> own = new TreeMap<>();
        amqp.getHeaders().forEach((name, value) -> {
            if (value != null && !name.startsWith(DeadLetterTopics.CONNECTOR_HEADER_PREFIX) && !name.startsWith("x-")
                    && !name.equals(DeadLetterTopics.DEAD_LETTER_ID_HEADER)) {
                own.put(name, value.toString());
            }
        });
        amqp.getMessageId().ifPresent(id -> own.put(RabbitMqDeadLetters.MESSAGE_ID, id));
        amqp.getCorrelationId().ifPresent(id -> own.put(RabbitMqDeadLetters.CORRELATION_ID, id));
        amqp.getType().ifPresent(type -> own.put(RabbitMqDeadLetters.TYPE, type));
        amqp.getContentType().ifPresent(type -> own.put(RabbitMqDeadLetters.CONTENT_TYPE, type));
        try {
            return json.writeValueAsString(own);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest entry of the broker's x-death header (a list of tables), or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(Map<String, Object> headers) {
        return headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.getFirst() instanceof Map<?, ?> death ? (Map<String, Object>) death : null;
    }

    private static String firstRoutingKey(Map<String, Object> death) {
        return death != null && death.get("routing-keys") instanceof List<?> keys && !keys.isEmpty()
                ? keys.getFirst().toString()
                : null;
    }

    private static String text(Map<String, Object> table, String name) {
        if (table == null || table.get(name) == null) {
            return null;
        }
        return table.get(name) instanceof Date date
                ? Long.toString(date.getTime())
                : table.get(name).toString();
    }
}
