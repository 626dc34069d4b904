package dev.switchboard.platform.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.EventMetadata;
import dev.switchboard.testing.Concurrently;

/** The event store against the real PostgreSQL: optimistic concurrency, stream reads, reading the whole log. */
@QuarkusTest
class EventStoreTest {

    @Inject
    EventStore store;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void append_createsAStream_andReadStream_returnsItInVersionOrder() throws Exception {
        String stream = "test-" + UUID.randomUUID();

        int version = inTransaction(() -> store.append(stream, ExpectedVersion.noStream(), events(3)));
        int next = inTransaction(() -> store.append(stream, ExpectedVersion.exactly(3), events(1)));

        assertThat(version).isEqualTo(3);
        assertThat(next).isEqualTo(4);
        List<RecordedEvent> read = inTransaction(() -> store.readStream(stream));
        assertThat(read).extracting(RecordedEvent::version).containsExactly(1, 2, 3, 4);
        assertThat(read).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
        assertThat(read.getFirst().metadata()).isEqualTo(new EventMetadata("corr", "cause", null));
        assertThat(read.getFirst().recordedAt()).isNotNull();
    }

    @Test
    void append_fails_withATypedConflict_forAWrongExpectedVersion() throws Exception {
        String stream = "test-" + UUID.randomUUID();
        inTransaction(() -> store.append(stream, ExpectedVersion.noStream(), events(2)));

        assertThatThrownBy(() -> inTransaction(() -> store.append(stream, ExpectedVersion.exactly(1), events(1))))
                .isInstanceOfSatisfying(StreamVersionConflict.class, conflict -> {
                    assertThat(conflict.streamId()).isEqualTo(stream);
                    assertThat(conflict.actual()).isEqualTo(2);
                });
        assertThatThrownBy(() -> inTransaction(() -> store.append(stream, ExpectedVersion.noStream(), events(1))))
                .isInstanceOf(StreamVersionConflict.class);
    }

    @Test
    void parallelAppends_atTheSameExpectedVersion_exactlyOneWins() throws Exception {
        String stream = "test-" + UUID.randomUUID();
        int writers = 10;

        var outcomes = Concurrently.run(writers,
                () -> inTransaction(() -> store.append(stream, ExpectedVersion.noStream(), events(2))));

        assertThat(outcomes).filteredOn(Concurrently.Outcome::succeeded).singleElement()
                .extracting(Concurrently.Outcome::result).isEqualTo(2);
        assertThat(outcomes).filteredOn(outcome -> !outcome.succeeded()).hasSize(writers - 1)
                .allSatisfy(outcome -> assertThat(outcome.failure()).isInstanceOf(StreamVersionConflict.class));
        List<RecordedEvent> read = uncheckedRead(stream);
        assertThat(read).extracting(RecordedEvent::version).containsExactly(1, 2);
    }

    @Test
    void readAll_returnsEventsAfterAPosition_inBatches() throws Exception {
        String stream = "test-" + UUID.randomUUID();
        inTransaction(() -> store.append(stream, ExpectedVersion.noStream(), events(5)));
        long first = uncheckedRead(stream).getFirst().position();

        List<RecordedEvent> batch1 = inTransaction(() -> store.readAll(first - 1, 3));
        List<RecordedEvent> batch2 = inTransaction(() -> store.readAll(batch1.getLast().position(), 1000));

        var ours = new ArrayList<RecordedEvent>();
        batch1.stream().filter(e -> e.streamId().equals(stream)).forEach(ours::add);
        batch2.stream().filter(e -> e.streamId().equals(stream)).forEach(ours::add);
        assertThat(batch1).hasSize(3);
        assertThat(ours).extracting(RecordedEvent::version).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void readAll_waitsForAnOlderTransactionStillRunning_ratherThanSkippingIt() throws Exception {
        String slow = "test-slow-" + UUID.randomUUID();
        String fast = "test-fast-" + UUID.randomUUID();
        var connection = pool.getConnection().await().indefinitely();
        try {
            var transaction = connection.begin().await().indefinitely();
            // An append that has not committed yet holds a lower position than the one that commits next.
            long slowPosition = connection.preparedQuery("""
                    INSERT INTO event_store (stream_id, stream_version, event_id, event_type, payload)
                    VALUES ($1, 1, gen_random_uuid(), 'test.slow.v1', '{}') RETURNING global_position""")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(slow))
                    .map(rows -> rows.iterator().next().getLong("global_position")).await().indefinitely();
            inTransaction(() -> store.append(fast, ExpectedVersion.noStream(), events(1)));

            List<RecordedEvent> whileRunning = inTransaction(() -> store.readAll(slowPosition - 1, 1000));
            assertThat(whileRunning).extracting(RecordedEvent::streamId).doesNotContain(fast, slow);

            transaction.commit().await().indefinitely();
            List<RecordedEvent> afterCommit = inTransaction(() -> store.readAll(slowPosition - 1, 1000));
            assertThat(afterCommit).extracting(RecordedEvent::streamId).containsSubsequence(slow, fast);
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private List<RecordedEvent> uncheckedRead(String stream) {
        try {
            return inTransaction(() -> store.readStream(stream));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<NewEvent> events(int count) {
        var events = new ArrayList<NewEvent>();
        for (int i = 0; i < count; i++) {
            events.add(new NewEvent(UUID.randomUUID(), "test.happened.v1", "{\"n\": " + i + "}",
                    new EventMetadata("corr", "cause", null)));
        }
        return events;
    }

    /** Runs on a fresh Vert.x context, as a request would, in its own transaction. */
    private static <T> T inTransaction(Supplier<Uni<T>> work) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
