package dev.switchboard.platform.eventstore;

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

/**
 * One row of the append-only event store (table {@code event_store}, Flyway V1). The payload and metadata
 * are JSON documents kept as text, so the store stays free of any domain type.
 */
@Entity
@Table(name = "event_store")
public class StoredEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "global_position")
    public Long globalPosition;

    @Column(name = "stream_id", columnDefinition = "text", nullable = false, updatable = false)
    public String streamId;

    @Column(name = "stream_version", nullable = false, updatable = false)
    public int streamVersion;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    @Column(name = "event_type", columnDefinition = "text", nullable = false, updatable = false)
    public String eventType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", columnDefinition = "jsonb", nullable = false, updatable = false)
    public String payload;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metadata", columnDefinition = "jsonb", nullable = false, updatable = false)
    public String metadata;

    // Set by the database clock (column default). Not read back after the insert: Hibernate Reactive 3.2
    // fails (ArrayIndexOutOfBounds) reading two generated values, the identity and this one, at once.
    @Column(name = "recorded_at", nullable = false, updatable = false, insertable = false)
    public OffsetDateTime recordedAt;
}
