package dev.switchboard.platform.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's heartbeats (only when nothing else went out since the last one was due), a writer that fails, and
 * the wire forms every transport shares.
 */
class SubscriberTest {

    private final Recorder client = new Recorder();
    private final List<Subscriber> terminated = new ArrayList<>();
    private final Subscriber subscriber = new Subscriber(new StreamFilter(List.of("order.*"), null), 8, client,
            terminated::add);

    @Test
    void heartbeat_isSkippedOnceAfterAnEvent_andSentWhenTheStreamStayedIdle() {
        live();
        subscriber.live(record(5), Delivery.event("0:6", "{\"n\":5}"));

        subscriber.heartbeat(); // the event just went out: the connection is not idle
        assertThat(client.kinds()).containsExactly(Delivery.Kind.SUBSCRIBED, Delivery.Kind.EVENT);

        subscriber.heartbeat(); // a whole period with nothing sent
        subscriber.heartbeat();
        assertThat(client.kinds()).containsExactly(Delivery.Kind.SUBSCRIBED, Delivery.Kind.EVENT,
                Delivery.Kind.HEARTBEAT, Delivery.Kind.HEARTBEAT);
    }

    @Test
    void writerThatThrows_endsTheSubscription_andNothingMoreIsSent() {
        live();
        client.failNext = true;
        subscriber.live(record(5), Delivery.event("0:6", "{\"n\":5}"));

        assertThat(subscriber.closed()).isTrue();
        assertThat(terminated).containsExactly(subscriber);
        assertThat(client.failure).as("the writer is told, to close its response").hasMessage("the socket is gone");
        subscriber.live(record(6), Delivery.event("0:7", "{\"n\":6}"));
        subscriber.heartbeat();
        subscriber.heartbeat();
        assertThat(client.kinds()).containsExactly(Delivery.Kind.SUBSCRIBED);
    }

    @Test
    void noHeartbeat_beforeTheSubscriptionIsInPlace() {
        client.onSubscribe(subscriber);
        client.subscription.request(Long.MAX_VALUE);
        subscriber.heartbeat();
        assertThat(client.kinds()).isEmpty();
    }

    @Test
    void writerThatThrowsWhenTheStreamEnds_doesNotFailWhoeverEndedIt() {
        live();
        client.failOnComplete = true;
        subscriber.end(); // on the hub's thread, which goes on with the other subscribers
        assertThat(subscriber.closed()).isTrue();
        assertThat(terminated).containsExactly(subscriber);
    }

    @Test
    void event_isEncodedOnce_asServerSentEventsAndAsTheEndOfAWebSocketFrame() {
        Delivery event = Delivery.event("0:6,1:2", "{\"type\":\"order.placed.v1\"}");

        assertThat(event.sse().toString(StandardCharsets.UTF_8))
                .isEqualTo("id: 0:6,1:2\ndata: {\"type\":\"order.placed.v1\"}\n\n");
        assertThat(event.sse()).as("one buffer for every response").isSameAs(event.sse());
        assertThat(event.frameTail()).isSameAs(event.frameTail());
        assertThat("{\"op\":\"event\",\"subscription\":\"s1\",\"position\":\"" + event.frameTail())
                .isEqualTo("{\"op\":\"event\",\"subscription\":\"s1\",\"position\":\"0:6,1:2\","
                        + "\"event\":{\"type\":\"order.placed.v1\"}}");
        assertThat(Delivery.subscribed("0:6").sse().toString(StandardCharsets.UTF_8))
                .isEqualTo(": subscribed 0:6\nid: 0:6\n\n");
        assertThat(Delivery.slowConsumer("0:6").sse().toString(StandardCharsets.UTF_8))
                .startsWith("event: slow-consumer\ndata: {\"code\":\"slow_consumer\"").endsWith("\"}\n\n");
    }

    @Test
    void textWithLineBreaks_becomesOneDataFieldPerLine() {
        assertThat(Delivery.event("0:1", "{\n\"a\": 1\n}").sse().toString(StandardCharsets.UTF_8))
                .isEqualTo("id: 0:1\ndata: {\ndata: \"a\": 1\ndata: }\n\n");
    }

    /** Started live at offset 0 of partition 0, the client asking for all it gets. */
    private void live() {
        client.onSubscribe(subscriber);
        subscriber.start(new StreamPosition(Map.of(0, 0L)), true);
        client.subscription.request(Long.MAX_VALUE);
    }

    private static DecodedRecord record(long offset) {
        var headers = new RecordHeaders(List.of(
                new RecordHeader("ce_type", "order.placed.v1".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_subject", "o-1".getBytes(StandardCharsets.UTF_8))));
        return new DecodedRecord(new ConsumerRecord<>("shop.orders", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                "o-1", new byte[0], headers, Optional.empty()));
    }

    /** What a transport's writer received; fails on the next delivery when told to. */
    private static final class Recorder implements Flow.Subscriber<Delivery> {

        final List<Delivery> received = new ArrayList<>();
        Flow.Subscription subscription;
        boolean failNext;
        boolean failOnComplete;
        Throwable failure;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(Delivery delivery) {
            if (failNext && delivery.kind() == Delivery.Kind.EVENT) {
                throw new IllegalStateException("the socket is gone");
            }
            received.add(delivery);
        }

        @Override
        public void onError(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public void onComplete() {
            if (failOnComplete) {
                throw new IllegalStateException("the response was reset");
            }
        }

        List<Delivery.Kind> kinds() {
            return received.stream().map(Delivery::kind).toList();
        }
    }
}
