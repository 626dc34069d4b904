package dev.switchboard.platform.streaming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.subscription.MultiEmitter;

import dev.switchboard.platform.envelope.EventTypePattern;

/**
 * One stream subscriber: its filter, a bounded queue of what it has not taken yet, and where it is. Events reach it
 * live from its topic's hub or, while it catches up from an older position, from its own reader, the live ones
 * held back meanwhile. It is emitted to only as fast as it requests; when its queue is full it is told
 * ({@link Delivery.Kind#SLOW_CONSUMER}, with the position of the last event it got) and closed, so a slow client
 * never holds up the hub or the other subscribers.
 */
final class Subscriber {

    private enum State {
        CATCHING_UP, LIVE, CLOSED
    }

    private final StreamFilter filter;
    private final EventTypePattern types;
    private final int capacity;
    private final MultiEmitter<? super Delivery> emitter;
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final List<Delivery> heldLive = new ArrayList<>();
    private State state = State.CATCHING_UP;
    /** Live records below these offsets were before this subscriber's start: they are not its own. */
    private Map<Integer, Long> startOffsets = Map.of();
    /** The position of the last event emitted (or the start): where a resume picks up. */
    private String emittedUpTo;
    /**
     * What the client has asked for and not yet been given, counted here: the emitter's own count lags while it
     * drains, and this one is what keeps the queue bounded.
     */
    private long credit;

    Subscriber(StreamFilter filter, int capacity, MultiEmitter<? super Delivery> emitter) {
        this.filter = filter;
        this.types = filter.typePattern();
        this.capacity = capacity;
        this.emitter = emitter;
    }

    boolean wants(DecodedRecord record) {
        return filter.matches(types, record.type, record.subject);
    }

    synchronized boolean closed() {
        return state == State.CLOSED;
    }

    /** Starts at {@code start}: live at once, or catching up (live events held) until {@link #caughtUp()}. */
    synchronized void start(StreamPosition start, boolean live) {
        startOffsets = start.next();
        emittedUpTo = start.toString();
        if (state != State.CLOSED) {
            state = live ? State.LIVE : State.CATCHING_UP;
            emitter.emit(Delivery.subscribed(emittedUpTo)); // beyond demand: the emitter buffers this one
        }
    }

    /**
     * A live event from the hub (on this subscriber's event loop): queued, held while catching up, or the end of a slow
     * subscriber.
     */
    synchronized void live(DecodedRecord record, Delivery delivery) {
        if (state == State.CLOSED || record.offset() < startOffsets.getOrDefault(record.partition(), 0L)) {
            return;
        }
        if (state == State.CATCHING_UP) {
            if (heldLive.size() >= capacity) {
                fellBehind();
            } else {
                heldLive.add(delivery);
            }
            return;
        }
        enqueue(delivery);
    }

    /**
     * An event of the catch-up (its reader's thread): waits while the queue is full, up to {@code patience} ms.
     *
     * @return false when the subscriber is closed (by the client, or as too slow): stop reading for it
     */
    synchronized boolean caughtUpTo(Delivery delivery, long patience) throws InterruptedException {
        long deadline = System.currentTimeMillis() + patience;
        while (state == State.CATCHING_UP && queue.size() >= capacity) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fellBehind();
                return false;
            }
            wait(left);
        }
        if (state != State.CATCHING_UP) {
            return false;
        }
        queue.add(delivery);
        drain();
        return true;
    }

    /** The catch-up reached the hub's position: the held live events follow, then live ones as they come. */
    synchronized void caughtUp() {
        if (state != State.CATCHING_UP) {
            return;
        }
        state = State.LIVE;
        for (Delivery delivery : heldLive) {
            enqueue(delivery);
        }
        heldLive.clear();
    }

    /** The client asks for {@code n} more. */
    synchronized void request(long n) {
        credit = credit + n < 0 ? Long.MAX_VALUE : credit + n;
        drain();
    }

    /** Emits what the client has asked for; called on each request and after each enqueue. */
    private void drain() {
        while (state != State.CLOSED && credit > 0 && !queue.isEmpty()) {
            Delivery next = queue.poll();
            emittedUpTo = next.position();
            credit--;
            emitter.emit(next);
        }
        notifyAll();
    }

    /** A heartbeat, unless the client is behind anyway (then it has data waiting, or is about to be closed). */
    synchronized void heartbeat() {
        if (state != State.CLOSED && queue.isEmpty() && credit > 0) {
            credit--;
            emitter.emit(Delivery.heartbeat());
        }
    }

    /** Ends the stream from the server's side (the client resumes from its last event's position). */
    synchronized void end() {
        if (state != State.CLOSED) {
            close();
            emitter.complete();
        }
    }

    synchronized void close() {
        state = State.CLOSED;
        queue.clear();
        heldLive.clear();
        notifyAll();
    }

    private void enqueue(Delivery delivery) {
        if (queue.size() >= capacity) {
            fellBehind();
            return;
        }
        queue.add(delivery);
        drain();
    }

    private void fellBehind() {
        String resumeFrom = emittedUpTo;
        close();
        // The emitter buffers this one item beyond the client's demand: it is the last.
        emitter.emit(Delivery.slowConsumer(resumeFrom));
        emitter.complete();
    }
}
