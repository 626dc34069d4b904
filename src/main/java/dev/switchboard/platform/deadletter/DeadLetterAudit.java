package dev.switchboard.platform.deadletter;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.CreationTimestamp;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * One operator action on a dead letter (table {@code dead_letter_audit}, Flyway V10): who (the token's subject),
 * when, what (redrive or discard, of which dead letter) and why. Written in the transaction that changes the
 * dead letter, so an action and its record exist together or not at all.
 */
@Entity
@Table(name = "dead_letter_audit")
public class DeadLetterAudit extends PanacheEntityBase {

    static final String REDRIVE = "redrive";
    /** A redrive that was recorded, then given back because the broker refused the record (Flyway V11). */
    static final String REDRIVE_FAILED = "redrive_failed";
    static final String DISCARD = "discard";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @CreationTimestamp
    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(columnDefinition = "text", nullable = false)
    public String actor;

    @Column(columnDefinition = "text", nullable = false)
    public String action;

    @Column(name = "dead_letter_id", nullable = false)
    public Long deadLetterId;

    @Column(name = "consumer_group", columnDefinition = "text", nullable = false)
    public String consumerGroup;

    @Column(name = "event_id", columnDefinition = "text")
    public String eventId;

    @Column(name = "event_type", columnDefinition = "text")
    public String eventType;

    @Column(columnDefinition = "text")
    public String reason;

    /** Records the action in the caller's transaction. */
    static Uni<DeadLetterAudit> record(String actor, String action, DeadLetter deadLetter, String reason) {
        var entry = new DeadLetterAudit();
        entry.actor = actor;
        entry.action = action;
        entry.deadLetterId = deadLetter.id;
        entry.consumerGroup = deadLetter.consumerGroup;
        entry.eventId = deadLetter.eventId;
        entry.eventType = deadLetter.eventType;
        entry.reason = reason;
        return entry.persist();
    }
}
