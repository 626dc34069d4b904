package dev.switchboard.platform.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

import dev.switchboard.platform.envelope.AvroJson;
import dev.switchboard.platform.envelope.EnvelopeHeaders;

/**
 * Publishes outbox rows to Kafka through channel {@value #CHANNEL}, each to the topic its row names, keyed by
 * aggregate id, as a binary-mode CloudEvent with an Avro body (Apicurio serde). At least once: rows are deleted
 * in the same transaction that read them, after Kafka acknowledged every send (acks=all, idempotent producer);
 * a crash in between rolls the transaction back and the rows are sent again, with the same ce_id.
 * <p>
 * The outbox is split into lanes by a hash of topic and key (switchboard.outbox.lanes); every key belongs to
 * one lane. Per lane, one batch runs at a time across every instance of the service: a batch runs only while
 * its transaction holds the lane's PostgreSQL advisory lock, so a key's batches never interleave and it keeps
 * its order, while different lanes publish in parallel. The relay wakes on LISTEN/NOTIFY (a trigger notifies at
 * commit) and also polls, for a notification lost while reconnecting.
 * <p>
 * A row whose payload no longer decodes is parked in {@code outbox_parked} with the reason, with every later row
 * of its key (their order must hold), instead of blocking all publishing.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String CHANNEL = "outbox-relay";
    static final String NOTIFY_CHANNEL = "outbox";
    /** Messages the emitter may hold while Kafka is slow; batch-size x lanes must stay below it (checked). */
    static final int EMITTER_BUFFER = 4096;

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final Vertx vertx;
    private final MutinyEmitter<SpecificRecord> emitter;
    private final OutboxConfig config;
    private final MeterRegistry metrics;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;

    private final List<Lane> lanes;
    private volatile boolean stopped = true;
    private PgSubscriber subscriber;
    private long pollTimer = -1;

    OutboxRelay(Pool pool, Vertx vertx,
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER) MutinyEmitter<SpecificRecord> emitter,
            OutboxConfig config, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String databaseUser,
            @ConfigProperty(name = "quarkus.datasource.password") String databasePassword) {
        this.pool = pool;
        this.vertx = vertx;
        this.emitter = emitter;
        this.config = config;
        this.metrics = metrics;
        this.databaseUrl = databaseUrl;
        this.databaseUser = databaseUser;
        this.databasePassword = databasePassword;
        this.lanes = IntStream.range(0, config.lanes()).mapToObj(Lane::new).toList();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (!stopped) {
            return;
        }
        if (config.batchSize() * config.lanes() > EMITTER_BUFFER) {
            throw new IllegalStateException("switchboard.outbox.batch-size x lanes must be at most " + EMITTER_BUFFER);
        }
        stopped = false;
        var options = PgConnectOptions.fromUri(databaseUrl).setUser(databaseUser).setPassword(databasePassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 1000L);
        subscriber.channel(NOTIFY_CHANNEL).handler(payload -> wake());
        // Reconnects every second for as long as it takes; until then the poll timer alone wakes the relay.
        subscriber.connect();
        pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
        wake();
    }

    synchronized void stop() {
        stopped = true;
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            pollTimer = -1;
        }
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
    }

    /** Asks every lane for a drain. */
    void wake() {
        lanes.forEach(Lane::wake);
    }

    /** One lane's drain loop: at most one batch of the lane in flight in this instance. */
    private final class Lane {

        private final int index;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean wakeRequested = new AtomicBoolean();
        // After a failed batch the lane waits (1 poll interval, doubling up to 30 s) before it tries again:
        // notifications from new commits must not turn a broker outage into a tight loop of re-sends.
        private volatile long retryAtNanos;
        private int failures;

        Lane(int index) {
            this.index = index;
        }

        /** Coalesces with a drain already running, which then goes round once more. */
        void wake() {
            wakeRequested.set(true);
            if (!stopped && System.nanoTime() - retryAtNanos >= 0 && running.compareAndSet(false, true)) {
                drain();
            }
        }

        private void drain() {
            wakeRequested.set(false);
            // A bound on the whole batch, connection and commit included: a half-open connection must not
            // leave the lane "running" forever.
            publishBatch(index).ifNoItem().after(config.batchTimeout().plusSeconds(30)).fail()
                    .subscribe().with(published -> {
                        failures = 0;
                        if (!stopped && (published >= config.batchSize() || wakeRequested.get())) {
                            drain();
                        } else {
                            finishDrain();
                        }
                    }, failure -> {
                        long backoffMillis = Math.min(30_000L,
                                config.pollInterval().toMillis() << Math.min(failures++, 10));
                        retryAtNanos = System.nanoTime() + backoffMillis * 1_000_000L;
                        LOG.warnf("Outbox batch of lane %d not published, retrying in %d ms: %s", index, backoffMillis,
                                failure);
                        wakeRequested.set(false);
                        running.set(false);
                    });
        }

        private void finishDrain() {
            running.set(false);
            // A wake that arrived between the last check and now must not be lost.
            if (wakeRequested.get() && !stopped && running.compareAndSet(false, true)) {
                drain();
            }
        }
    }

    /** Publishes one batch of a lane and deletes it, in one transaction; answers how many rows were published. */
    Uni<Integer> publishBatch(int lane) {
        // The timeout sits inside the transaction, so that a batch whose acks never come rolls back and frees
        // the lock and the connection for the next attempt, here or in another instance.
        return pool.withTransaction(connection -> lockAndSend(connection, lane)
                .ifNoItem().after(config.batchTimeout()).fail()
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(0)
                        : connection.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                                .execute(Tuple.of(ids.toArray(Long[]::new)))
                                .replaceWith(ids.size())));
    }

    /**
     * Within the caller's transaction: takes the lane's lock (or gives up, answering nothing), reads the lane's
     * oldest rows and sends them, answering the ids of the rows Kafka acknowledged.
     */
    Uni<List<Long>> lockAndSend(SqlConnection connection, int lane) {
        return connection.preparedQuery("SELECT pg_try_advisory_xact_lock($1)").execute(Tuple.of(lockOf(lane)))
                .chain(locked -> locked.iterator().next().getBoolean(0)
                        ? readAndSend(connection, lane)
                        : Uni.createFrom().item(List.of()));
    }

    /** The advisory lock of a lane: one lock id per lane, the same in every instance. */
    long lockOf(int lane) {
        return config.lockId() + lane;
    }

    int laneCount() {
        return lanes.size();
    }

    private Uni<List<Long>> readAndSend(SqlConnection connection, int lane) {
        return connection
                .preparedQuery(
                        """
                                SELECT o.id, o.event_id, o.topic, o.message_key, o.event_type, o.source, o.subject, o.sequence, o.occurred_at,
                                       o.avro_schema, o.payload::text AS payload, o.correlation_id, o.causation_id, o.traceparent,
                                       EXISTS (SELECT 1 FROM outbox_parked p
                                               WHERE p.topic = o.topic AND p.message_key = o.message_key) AS held_back
                                FROM outbox o
                                WHERE abs(hashtext(o.topic || '/' || o.message_key)::bigint) % $2 = $3
                                ORDER BY o.id LIMIT $1""")
                .execute(Tuple.of(config.batchSize(), lanes.size(), lane))
                .chain(rows -> {
                    List<Long> sent = new ArrayList<>();
                    Map<String, Uni<Void>> sendsByKey = new LinkedHashMap<>();
                    Map<Long, String> parked = new LinkedHashMap<>();
                    Set<String> heldKeys = new HashSet<>();
                    for (Row row : rows) {
                        String key = row.getString("topic") + "/" + row.getString("message_key");
                        if (row.getBoolean("held_back") || heldKeys.contains(key)) {
                            parked.put(row.getLong("id"), "an earlier message with the same key is parked");
                            continue;
                        }
                        try {
                            SpecificRecord data = decode(row);
                            // One key's messages go one after another: if one fails, the later ones are not
                            // sent, so a retry can never deliver them ahead of it.
                            sendsByKey.merge(key, send(row, data), (earlier, next) -> earlier.chain(() -> next));
                            sent.add(row.getLong("id"));
                        } catch (RuntimeException undecodable) {
                            // A poison row must not block every other aggregate: park it with the reason.
                            heldKeys.add(key);
                            parked.put(row.getLong("id"), describe(undecodable));
                            metrics.counter("switchboard.outbox.parked", "topic", row.getString("topic")).increment();
                            LOG.errorf("Outbox row %d parked: %s", row.getLong("id"), undecodable);
                        }
                    }
                    // Keys in parallel. Every send settles before the transaction ends (collect, not fail fast):
                    // the lock must not pass to another relay while this one still has messages in flight.
                    Uni<Void> allSent = sendsByKey.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(List.copyOf(sendsByKey.values())).andCollectFailures().replaceWithVoid();
                    return allSent.chain(() -> park(connection, parked)).replaceWith(sent);
                });
    }

    /** The failure and its causes, one message after the other, for the parked row's reason. */
    private static String describe(Throwable failure) {
        var reason = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (!reason.isEmpty()) {
                reason.append(": ");
            }
            reason.append(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName());
        }
        return reason.toString();
    }

    private static SpecificRecord decode(Row row) {
        return AvroJson.decode(AvroJson.recordClass(row.getString("avro_schema")), row.getString("payload"));
    }

    private static Uni<Void> park(SqlConnection connection, Map<Long, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("""
                WITH moved AS (DELETE FROM outbox WHERE id = $1 RETURNING *)
                INSERT INTO outbox_parked (id, event_id, topic, message_key, event_type, source, subject, sequence,
                                           occurred_at, avro_schema, payload, correlation_id, causation_id,
                                           traceparent, created_at, reason)
                SELECT id, event_id, topic, message_key, event_type, source, subject, sequence, occurred_at,
                       avro_schema, payload, correlation_id, causation_id, traceparent, created_at, $2
                FROM moved""")
                .executeBatch(reasons.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList())
                .replaceWithVoid();
    }

    private Uni<Void> send(Row row, SpecificRecord data) {
        var headers = new RecordHeaders();
        addHeader(headers, EnvelopeHeaders.CORRELATION_ID, row.getString("correlation_id"));
        addHeader(headers, EnvelopeHeaders.CAUSATION_ID, row.getString("causation_id"));
        // The command's own trace context, as stored, so that consumers continue the command's trace. The
        // channel makes no producer span of its own (tracing-enabled=false): a batch is not part of any
        // command, and thousands of spans a second would only add cost.
        addHeader(headers, EnvelopeHeaders.TRACEPARENT, row.getString("traceparent"));
        var kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.getString("topic"))
                .withKey(row.getString("message_key"))
                .withHeaders(headers)
                .build();
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(row.getUUID("event_id").toString())
                .withType(row.getString("event_type"))
                .withSource(URI.create(row.getString("source")))
                .withSubject(row.getString("subject"))
                .withTimestamp(row.getOffsetDateTime("occurred_at").toZonedDateTime());
        Long sequence = row.getLong("sequence");
        if (sequence != null) {
            // CloudEvents "sequence" extension (header ce_sequence): consumers tell a repeat from the next event.
            cloudEvent = cloudEvent.withExtension("sequence", sequence.toString());
        }
        String topic = row.getString("topic");
        String type = row.getString("event_type");
        return emitter.sendMessage(Message.of(data).addMetadata(kafka).addMetadata(cloudEvent.build()))
                .invoke(() -> metrics.counter("switchboard.events.published", "topic", topic, "type", type)
                        .increment());
    }

    private static void addHeader(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
