package dev.switchboard.platform.streaming;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.switchboard.platform.envelope.EventTypePattern;

/**
 * One stream subscriber: its filter, a bounded queue of what it has not taken yet, and where it is. Events reach it
 * live from its topic's hub or, while it catches up from an older position, from its own reader, the live ones
 * held back meanwhile. It is the {@link Flow.Subscription} of its stream and sends only as much as the client has
 * requested; when its queue is full it is told ({@link Delivery.Kind#SLOW_CONSUMER}, with the position of the last
 * event it got) and closed, so a slow client never holds up the hub or the other subscribers.
 * <p>
 * Its own subscription rather than a Mutiny emitter: this queue and its count of what was requested already bound
 * the stream, and an emitter added a second queue of 256 slots to every subscriber (about 1 KB each, the largest
 * share of a subscriber's heap that is this project's own; bench/streams.sh).
 */
final class Subscriber implements Flow.Subscription {

    private static final Logger LOG = Logger.getLogger(Subscriber.class);

    private enum State {
        CATCHING_UP, LIVE, ENDING, CLOSED
    }

    private final StreamFilter filter;
    private final EventTypePattern types;
    private final int capacity;
    private final Flow.Subscriber<? super Delivery> downstream;
    private final Consumer<Subscriber> onTermination;
    /** Small at first (what a live subscriber usually holds: an event or two); it grows when a client lags. */
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(2);
    private final List<Delivery> heldLive = new ArrayList<>();
    private State state = State.CATCHING_UP;
    /** Live records below these offsets were before this subscriber's start: they are not its own. */
    private Map<Integer, Long> startOffsets = Map.of();
    /** The position of the last event sent (or the start): where a resume picks up. */
    private String sentUpTo;
    /** What the client has asked for and not yet been given. */
    private long credit;
    /** A drain is running on this thread: a request made from inside {@code onNext} only adds credit. */
    private boolean draining;
    /** Something went to the client since the last heartbeat was due: the next one is not needed. */
    private boolean sentSinceHeartbeat;

    Subscriber(StreamFilter filter, int capacity, Flow.Subscriber<? super Delivery> downstream,
            Consumer<Subscriber> onTermination) {
        this.filter = filter;
        this.types = filter.typePattern();
        this.capacity = capacity;
        this.downstream = downstream;
        this.onTermination = onTermination;
    }

    boolean wants(DecodedRecord record) {
        return filter.matches(types, record.type, record.subject);
    }

    StreamFilter filter() {
        return filter;
    }

    /** Done with: the hub drops it. */
    synchronized boolean closed() {
        return state == State.CLOSED || state == State.ENDING;
    }

    /** Starts at {@code start}: live at once, or catching up (live events held) until {@link #caughtUp()}. */
    synchronized void start(StreamPosition start, boolean live) {
        startOffsets = start.next();
        sentUpTo = start.toString();
        if (state == State.CATCHING_UP) {
            state = live ? State.LIVE : State.CATCHING_UP;
            queue.addFirst(Delivery.subscribed(sentUpTo)); // what the client's first request takes
            drain();
        }
    }

    /**
     * A live event from the hub (on the hub's thread): queued, held while catching up, or the end of a slow
     * subscriber.
     */
    synchronized void live(DecodedRecord record, Delivery delivery) {
        if (closed() || record.offset() < startOffsets.getOrDefault(record.partition(), 0L)) {
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
        var held = List.copyOf(heldLive);
        heldLive.clear();
        for (Delivery delivery : held) {
            if (state != State.LIVE) {
                break; // fell behind on the way: told, and ending
            }
            enqueue(delivery);
        }
    }

    /** The client asks for {@code n} more. */
    @Override
    public synchronized void request(long n) {
        if (state == State.CLOSED) {
            return;
        }
        if (n <= 0) {
            queue.clear();
            terminate();
            signal(() -> downstream.onError(new IllegalArgumentException("a stream's demand must be positive, not "
                    + n)));
            return;
        }
        credit = credit + n < 0 ? Long.MAX_VALUE : credit + n;
        drain();
    }

    /** The client is gone (or unsubscribed): nothing more is sent. */
    @Override
    public synchronized void cancel() {
        queue.clear();
        terminate();
    }

    /**
     * A heartbeat, unless something else was sent since the last one (the connection is alive and not idle, and a
     * write per subscriber is what a stream costs) or the client is behind anyway (then it has data waiting, or is
     * about to be closed).
     */
    synchronized void heartbeat() {
        if (sentUpTo == null) {
            return; // not started yet: the first thing a client gets is that it is subscribed
        }
        if (sentSinceHeartbeat) {
            sentSinceHeartbeat = false;
            return;
        }
        if (!closed() && queue.isEmpty() && credit > 0) {
            queue.add(Delivery.heartbeat());
            drain();
            sentSinceHeartbeat = false; // a heartbeat is not something else: the next one is due as ever
        }
    }

    /** Ends the stream from the server's side (the client resumes from its last event's position). */
    synchronized void end() {
        if (!closed()) {
            queue.clear();
            state = State.ENDING;
            drain();
        }
    }

    private void enqueue(Delivery delivery) {
        if (queue.size() >= capacity) {
            fellBehind();
            return;
        }
        queue.add(delivery);
        drain();
    }

    /** Told, with where to resume, once the client takes one more; then the stream ends. */
    private void fellBehind() {
        queue.clear();
        heldLive.clear();
        queue.add(Delivery.slowConsumer(sentUpTo));
        state = State.ENDING;
        drain();
    }

    /** Sends what the client has asked for; once ending and emptied, completes the stream. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (state != State.CLOSED && credit > 0 && !queue.isEmpty()) {
                Delivery next = queue.poll();
                if (next.kind() == Delivery.Kind.EVENT) {
                    sentUpTo = next.position();
                }
                credit--;
                sentSinceHeartbeat = true;
                try {
                    downstream.onNext(next);
                } catch (RuntimeException e) {
                    // A writer that fails cannot take more: the stream ends (Reactive Streams rule 2.13), and the
                    // writer is told so that it closes its response or frees its subscription's name.
                    LOG.warnf(e, "a stream's writer failed; the stream ends");
                    queue.clear();
                    terminate();
                    signal(() -> downstream.onError(e));
                    return;
                }
            }
            if (state == State.ENDING && queue.isEmpty()) {
                terminate();
                signal(downstream::onComplete);
            }
        } finally {
            draining = false;
            notifyAll(); // a catch-up waiting for room
        }
    }

    /**
     * A terminal signal to the writer, which runs on the thread that ended the stream, often the hub's: whatever
     * it throws stays here, so that the hub goes on with its other subscribers.
     */
    private static void signal(Runnable terminal) {
        try {
            terminal.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "a stream's writer failed to end its stream");
        }
    }

    private void terminate() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            heldLive.clear();
            notifyAll();
            onTermination.accept(this);
        }
    }
}
