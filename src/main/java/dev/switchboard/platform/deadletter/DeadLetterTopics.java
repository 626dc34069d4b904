package dev.switchboard.platform.deadletter;

/**
 * The naming convention that ties a consumer group to its Kafka dead-letter machinery: the group's channel
 * dead-letters into {@code <group>.dlq} and also reads {@code <group>.redrive}, where a redrive puts a dead letter
 * back for that group alone. Both topics are written out in application.properties.
 */
public final class DeadLetterTopics {

    static final String DLQ_SUFFIX = ".dlq";
    static final String REDRIVE_SUFFIX = ".redrive";
    /** Set on a redriven record, so that a second failure updates its dead letter instead of adding one. */
    public static final String DEAD_LETTER_ID_HEADER = "switchboard-dead-letter-id";
    /** Headers the connector's dead-letter queue adds (dead-letter-reason, -cause, -topic, -partition, ...). */
    static final String CONNECTOR_HEADER_PREFIX = "dead-letter-";

    private DeadLetterTopics() {
    }

    public static String dlqOf(String group) {
        return group + DLQ_SUFFIX;
    }

    public static String redriveOf(String group) {
        return group + REDRIVE_SUFFIX;
    }

    /** The group whose dead-letter topic this is, or null when the name does not follow the convention. */
    static String groupOf(String dlqTopic) {
        return dlqTopic.endsWith(DLQ_SUFFIX) ? dlqTopic.substring(0, dlqTopic.length() - DLQ_SUFFIX.length()) : null;
    }
}
