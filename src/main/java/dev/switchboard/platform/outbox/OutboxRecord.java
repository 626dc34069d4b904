package dev.switchboard.platform.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One message waiting to be published (table {@code outbox}, Flyway V2); the relay deletes it once Kafka acked. */
@Entity
@Table(name = "outbox")
class OutboxRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "event_id", nullable = false)
    UUID eventId;

    @Column(columnDefinition = "text", nullable = false)
    String topic;

    @Column(name = "message_key", columnDefinition = "text", nullable = false)
    String messageKey;

    @Column(name = "event_type", columnDefinition = "text", nullable = false)
    String eventType;

    @Column(columnDefinition = "text", nullable = false)
    String source;

    @Column(columnDefinition = "text")
    String subject;

    Long sequence;

    @Column(name = "occurred_at", nullable = false)
    OffsetDateTime occurredAt;

    @Column(name = "avro_schema", columnDefinition = "text", nullable = false)
    String avroSchema;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb", nullable = false)
    String payload;

    @Column(name = "correlation_id", columnDefinition = "text")
    String correlationId;

    @Column(name = "causation_id", columnDefinition = "text")
    String causationId;

    @Column(columnDefinition = "text")
    String traceparent;
}
