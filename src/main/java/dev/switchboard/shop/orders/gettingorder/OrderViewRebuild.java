package dev.switchboard.shop.orders.gettingorder;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.platform.envelope.AvroJson;
import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderWireMapping;

/**
 * Rebuilds {@code order_view} from the event store while the service keeps answering from the live table: folds
 * every order stream (in stream order, through a cursor) into a fresh table with {@link OrderViewFold}, then, in
 * one short transaction that holds the live table, refolds the streams that moved meanwhile and puts the fresh
 * table in its place.
 * The live projection carries on afterwards: what the rebuilt table already holds, it skips by version.
 */
@ApplicationScoped
class OrderViewRebuild {

    static final int BATCH = 10_000;
    /** Advisory lock key of the rebuild (the outbox relay's lanes use 7420001 and up). */
    static final long LOCK_ID = 7_420_100;
    private static final Logger LOG = Logger.getLogger(OrderViewRebuild.class);

    /** What the last (or current) rebuild did. */
    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    record Status(String state, long events, long views, long caughtUp, Instant startedAt, Instant finishedAt,
            Long eventsPerSecond, String error) {

        static Status running(Instant startedAt) {
            return new Status("running", 0, 0, 0, startedAt, null, null, null);
        }
    }

    private final Pool pool;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status("idle", 0, 0, 0, null, null,
            null, null));

    OrderViewRebuild(Pool pool) {
        this.pool = pool;
    }

    Status status() {
        return status.get();
    }

    /**
     * Starts a rebuild and answers its status, or null when one is running already, here or on another instance: a
     * PostgreSQL advisory lock, held on its own connection for the whole run, lets one rebuild run at a time.
     */
    Uni<Status> start() {
        Status current = status.get();
        if ("running".equals(current.state())) {
            return Uni.createFrom().nullItem();
        }
        return pool.getConnection().chain(lock -> lock.query("SELECT pg_try_advisory_lock(" + LOCK_ID + ")")
                .execute()
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(locked -> {
                    Status started = Status.running(Instant.now());
                    if (!locked || !status.compareAndSet(current, started)) {
                        return release(lock, locked).replaceWith((Status) null);
                    }
                    run(started.startedAt()).eventually(() -> release(lock, true)).subscribe().with(status::set,
                            failure -> {
                                LOG.error("order-views rebuild failed", failure);
                                status.set(new Status("failed", 0, 0, 0, started.startedAt(), Instant.now(), null,
                                        failure.getMessage()));
                            });
                    return Uni.createFrom().item(started);
                }));
    }

    private static Uni<Void> release(SqlConnection lock, boolean locked) {
        Uni<Void> unlocked = locked
                ? lock.query("SELECT pg_advisory_unlock(" + LOCK_ID + ")").execute().replaceWithVoid()
                : Uni.createFrom().voidItem();
        return unlocked.eventually(lock::close);
    }

    private Uni<Status> run(Instant startedAt) {
        var progress = new Progress();
        return pool.query("DROP TABLE IF EXISTS order_view_rebuild").execute()
                .chain(() -> pool.query("CREATE TABLE order_view_rebuild (LIKE order_view INCLUDING DEFAULTS)")
                        .execute())
                .chain(() -> copyAll(progress))
                .invoke(() -> progress.copiedAt = System.nanoTime())
                // The live table's keys and indexes, built before the switch so that it only renames them.
                .chain(() -> pool.query("ALTER TABLE order_view_rebuild ADD CONSTRAINT order_view_rebuild_pkey"
                        + " PRIMARY KEY (order_id)").execute())
                .chain(() -> pool.query("CREATE INDEX order_view_rebuild_status_placed"
                        + " ON order_view_rebuild (status, placed_at DESC)").execute())
                .chain(() -> pool.query("CREATE INDEX order_view_rebuild_customer_placed"
                        + " ON order_view_rebuild (customer_id, placed_at DESC)").execute())
                .invoke(() -> progress.indexedAt = System.nanoTime())
                .chain(() -> pool.withTransaction(connection -> switchOver(connection, progress)))
                .map(caughtUp -> {
                    Instant finishedAt = Instant.now();
                    long millis = Math.max(1, Duration.between(startedAt, finishedAt).toMillis());
                    LOG.infof("order-views rebuilt: %d events into %d views in %d ms (copy %d ms, keys and indexes"
                            + " %d ms, switch %d ms with %d streams refolded)", progress.events, progress.views, millis,
                            (progress.copiedAt - progress.startedAt) / 1_000_000,
                            (progress.indexedAt - progress.copiedAt) / 1_000_000,
                            (System.nanoTime() - progress.indexedAt) / 1_000_000, caughtUp);
                    return new Status("done", progress.events, progress.views, caughtUp, startedAt, finishedAt,
                            progress.events * 1000 / millis, null);
                });
    }

    /**
     * Folds every order stream into the fresh table. One query in stream order, read through a cursor a batch at a
     * time: PostgreSQL sorts the table once (a keyset query per batch would fetch each event through the index, at
     * random places of the heap, several times slower). The cursor's transaction only reads; what commits after
     * its snapshot is caught up at the switch.
     */
    private Uni<Void> copyAll(Progress progress) {
        return pool.withTransaction(connection -> connection.prepare("SELECT stream_id, stream_version, event_type,"
                + " payload::text FROM event_store WHERE stream_id LIKE 'order-%' ORDER BY stream_id, stream_version")
                .chain(statement -> copyFrom(statement.cursor(), progress, CompletableFuture.completedFuture(null),
                        Vertx.currentContext())));
    }

    /**
     * Reads, folds and writes a batch at a time, overlapping the three: the fold runs on a worker thread while the
     * event loop waits for rows, and a batch's insert (its own pooled connection) runs while the next batch is read
     * and folded. One insert at a time, so memory and connections stay bounded whatever the store's size.
     */
    private Uni<Void> copyFrom(Cursor cursor, Progress progress, CompletableFuture<Void> previousInsert,
            Context context) {
        return cursor.read(BATCH)
                .chain(rows -> {
                    boolean last = !cursor.hasMore();
                    return Uni.createFrom().item(() -> progress.fold(rows, last))
                            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                            .emitOn(task -> {
                                if (context == null) {
                                    task.run();
                                } else {
                                    context.runOnContext(ignored -> task.run());
                                }
                            })
                            .call(() -> Uni.createFrom().completionStage(previousInsert))
                            .chain(finished -> {
                                CompletableFuture<Void> insert = insert(pool, finished).subscribeAsCompletionStage();
                                return last
                                        ? cursor.close().chain(() -> Uni.createFrom().completionStage(insert))
                                                .replaceWithVoid()
                                        : copyFrom(cursor, progress, insert, context);
                            });
                });
    }

    /**
     * Holds the live table for a moment (readers and the live projection wait), refolds every stream whose last
     * version differs from its fresh row, and puts the fresh table in the live one's place, under its name, with its
     * constraint and index names. Replacing the table is far quicker than replacing its rows (a delete and an
     * insert of every row through three indexes); the service's prepared statements name the table, and
     * PostgreSQL plans them again against the new one. Answers how many streams it refolded.
     */
    private Uni<Long> switchOver(SqlClient connection, Progress progress) {
        // A reader holding the table for long makes the rebuild fail rather than queue every request behind it.
        return connection.query("SET LOCAL lock_timeout = '5s'").execute()
                .chain(() -> connection.query("LOCK TABLE order_view IN ACCESS EXCLUSIVE MODE").execute())
                .chain(() -> connection.query("SELECT e.stream_id FROM (SELECT stream_id, max(stream_version) AS"
                        + " version FROM event_store WHERE stream_id LIKE 'order-%' GROUP BY stream_id) e"
                        + " LEFT JOIN order_view_rebuild r ON r.order_id = substr(e.stream_id, 7)"
                        + " WHERE r.version IS DISTINCT FROM e.version").execute())
                .chain(moved -> {
                    List<String> streams = new ArrayList<>();
                    moved.forEach(row -> streams.add(row.getString(0)));
                    if (streams.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    return connection.preparedQuery("SELECT stream_id, stream_version, event_type, payload::text"
                            + " FROM event_store WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version")
                            .execute(Tuple.of(streams.toArray(String[]::new)))
                            .chain(rows -> {
                                List<OrderViewFold.Row> refolded = new Progress().fold(rows, true);
                                String[] ids = refolded.stream().map(OrderViewFold.Row::orderId)
                                        .toArray(String[]::new);
                                return connection
                                        .preparedQuery("DELETE FROM order_view_rebuild WHERE order_id = ANY($1)")
                                        .execute(Tuple.of(ids))
                                        .chain(() -> insert(connection, refolded))
                                        .replaceWith((long) streams.size());
                            });
                })
                .call(() -> connection.query("DROP TABLE order_view").execute())
                .call(() -> connection.query("ALTER TABLE order_view_rebuild RENAME TO order_view").execute())
                .call(() -> connection.query("ALTER TABLE order_view RENAME CONSTRAINT order_view_rebuild_pkey"
                        + " TO order_view_pkey").execute())
                .call(() -> connection.query("ALTER INDEX order_view_rebuild_status_placed"
                        + " RENAME TO order_view_status_placed").execute())
                .call(() -> connection.query("ALTER INDEX order_view_rebuild_customer_placed"
                        + " RENAME TO order_view_customer_placed").execute());
    }

    private static Uni<Void> insert(SqlClient client, List<OrderViewFold.Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        var orderIds = new String[n];
        var customers = new String[n];
        var statuses = new String[n];
        var currencies = new String[n];
        var totals = new Long[n];
        var lines = new String[n];
        var versions = new Integer[n];
        var placedAt = new OffsetDateTime[n];
        var updatedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            var row = rows.get(i);
            orderIds[i] = row.orderId();
            customers[i] = row.customerId();
            statuses[i] = row.status();
            currencies[i] = row.currency();
            totals[i] = row.totalMinor();
            lines[i] = row.lines();
            versions[i] = row.version();
            placedAt[i] = row.placedAt();
            updatedAt[i] = row.updatedAt();
        }
        // One statement per batch: arrays unnested server-side are far faster than a row-by-row batch.
        return client.preparedQuery("INSERT INTO order_view_rebuild (order_id, customer_id, status, currency,"
                + " total_minor, lines, version, placed_at, updated_at) SELECT o, c, s, cur, t, l::jsonb, v, p, u"
                + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],"
                + " $7::int[], $8::timestamptz[], $9::timestamptz[]) AS x(o, c, s, cur, t, l, v, p, u)")
                .execute(Tuple.from(new Object[]{orderIds, customers, statuses, currencies, totals, lines, versions,
                        placedAt, updatedAt}))
                .replaceWithVoid();
    }

    /** The fold's state across batches: the stream being folded and its view so far. */
    private static final class Progress {

        long events;
        long views;
        final long startedAt = System.nanoTime();
        long copiedAt;
        long indexedAt;
        private String lastStream = "";
        private OrderViewFold.Row current;

        /** Folds a batch; answers the views of the streams it finished (all of them when {@code last}). */
        List<OrderViewFold.Row> fold(RowSet<Row> rows, boolean last) {
            var finished = new ArrayList<OrderViewFold.Row>();
            for (Row row : rows) {
                String stream = row.getString(0);
                int version = row.getInteger(1);
                if (!stream.equals(lastStream) && current != null) {
                    finished.add(current);
                    current = null;
                }
                OrderEvent event = OrderWireMapping.fromWire(AvroJson.decode(
                        OrderWireMapping.wireClass(row.getString(2)), row.getString(3)));
                current = OrderViewFold.next(current, event, version);
                lastStream = stream;
                events++;
            }
            if (last && current != null) {
                finished.add(current);
                current = null;
            }
            views += finished.size();
            return finished;
        }
    }
}
