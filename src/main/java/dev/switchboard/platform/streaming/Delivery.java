package dev.switchboard.platform.streaming;

/**
 * What a stream sends: that it is subscribed, an event (its position and its JSON, encoded once however many
 * subscribers get it), a
 * heartbeat, or the notice to a subscriber that fell behind (then the stream ends; resume from the position).
 */
public record Delivery(Kind kind, String position, String json) {

    public enum Kind {
        SUBSCRIBED, EVENT, HEARTBEAT, SLOW_CONSUMER
    }

    /** The first delivery of every stream: the subscription is in place, from this position on. */
    static Delivery subscribed(String position) {
        return new Delivery(Kind.SUBSCRIBED, position, null);
    }

    static Delivery event(String position, String json) {
        return new Delivery(Kind.EVENT, position, json);
    }

    static Delivery heartbeat() {
        return new Delivery(Kind.HEARTBEAT, null, null);
    }

    static Delivery slowConsumer(String position) {
        return new Delivery(Kind.SLOW_CONSUMER, position,
                "{\"code\":\"slow_consumer\",\"message\":\"the stream fell behind and was closed; resume from the"
                        + " position\",\"position\":\"" + position + "\"}");
    }
}
