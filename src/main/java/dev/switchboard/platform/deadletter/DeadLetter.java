package dev.switchboard.platform.deadletter;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A record that a consumer group gave up on, as collected from the group's dead-letter topic (table
 * {@code dead_letter}, Flyway V5): where it came from, why it failed, and its original headers and bytes, so that
 * it can be redriven unchanged.
 */
@Entity
@Table(name = "dead_letter")
public class DeadLetter extends PanacheEntityBase {

    public static final String PARKED = "parked";
    public static final String REDRIVEN = "redriven";
    public static final String DISCARDED = "discarded";
    public static final String KAFKA = "kafka";
    public static final String RABBITMQ = "rabbitmq";

    @Id
    public Long id;

    @Column(name = "consumer_group", columnDefinition = "text", nullable = false)
    public String consumerGroup;

    /** kafka or rabbitmq: where the dead letter came from, and where a redrive sends it. */
    @Column(columnDefinition = "text", nullable = false)
    public String broker;

    /** The dead-letter topic (Kafka) or queue (RabbitMQ) it was collected from. */
    @Column(name = "dlq_topic", columnDefinition = "text", nullable = false)
    public String dlqTopic;

    /** Kafka only. */
    @Column(name = "dlq_partition")
    public Integer dlqPartition;

    /** Kafka only. */
    @Column(name = "dlq_offset")
    public Long dlqOffset;

    @Column(columnDefinition = "text")
    public String topic;

    @Column(name = "topic_partition")
    public Integer topicPartition;

    @Column(name = "topic_offset")
    public Long topicOffset;

    @Column(name = "message_key", columnDefinition = "text")
    public String messageKey;

    @Column(name = "event_id", columnDefinition = "text")
    public String eventId;

    @Column(name = "event_type", columnDefinition = "text")
    public String eventType;

    @Column(columnDefinition = "text")
    public String subject;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(columnDefinition = "text")
    public String cause;

    @Column(name = "exception_class", columnDefinition = "text")
    public String exceptionClass;

    /** The record's own headers (not the dead-letter ones) as a JSON object of UTF-8 strings. */
    @ColumnTransformer(read = "headers::text", write = "(?::text)::jsonb")
    @Column(columnDefinition = "jsonb", nullable = false)
    public String headers;

    public byte[] payload;

    /** parked, redriven or discarded. */
    @Column(columnDefinition = "text", nullable = false)
    public String status;

    @Column(name = "redrive_count", nullable = false)
    public int redriveCount;

    /** Why an operator discarded it. */
    @Column(columnDefinition = "text")
    public String note;

    @Column(name = "collected_at", nullable = false)
    public OffsetDateTime collectedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Set when this request claimed the dead letter for a redrive (not stored). */
    @Transient
    public Boolean redriveClaimed;
}
