package dev.switchboard.platform.inbox;

/**
 * A record that no retry can make acceptable (not a CloudEvent, an unknown type, a gap in its stream): consumers
 * abort their retries on it ({@code @Retry(abortOn = PoisonEvent.class)}) so that it is dead-lettered at once.
 */
public class PoisonEvent extends RuntimeException {

    public PoisonEvent(String message) {
        super(message);
    }
}
