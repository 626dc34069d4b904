package dev.switchboard.platform.deadletter;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.persistence.LockModeType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.http.ApiError;
import dev.switchboard.platform.security.RequiresScope;
import dev.switchboard.platform.security.Scopes;

/**
 * The dead letters of every consumer group: {@code GET /dead-letters?group=&type=&status=&page=&size=} lists them
 * (oldest first), {@code POST /dead-letters/{id}/redrive} sends one back to the group that failed on it,
 * {@code POST /dead-letters/redrive?group=&type=} does so for every parked one that matches (in the order they
 * were collected), and {@code POST /dead-letters/{id}/discard} parks one for good, with a reason.
 */
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    static final Set<String> STATUSES = Set.of(DeadLetter.PARKED, DeadLetter.REDRIVEN, DeadLetter.DISCARDED);
    static final int MAX_SIZE = 200;
    static final int MAX_PAGE = 1_000_000;
    /** A batch redrive takes at most this many per call; the answer says whether more are left. */
    static final int MAX_BATCH = 1000;

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record DeadLetterDetails(long id, String broker, String group, String status, String eventId,
            String eventType,
            String subject, String key, String topic, Integer partition, Long offset, String reason, String cause,
            String exceptionClass, int redriveCount, String note, @JsonRawValue String headers,
            OffsetDateTime collectedAt, OffsetDateTime updatedAt) {

        static DeadLetterDetails of(DeadLetter d) {
            return new DeadLetterDetails(d.id, d.broker, d.consumerGroup, d.status, d.eventId, d.eventType, d.subject,
                    d.messageKey, d.topic, d.topicPartition, d.topicOffset, d.reason, d.cause, d.exceptionClass,
                    d.redriveCount, d.note, d.headers, d.collectedAt, d.updatedAt);
        }
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record DeadLetterPage(List<DeadLetterDetails> items, int page, int size, long total) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record Discard(String reason) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record BatchRedrive(int redriven, boolean more) {
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record AuditEntry(long id, OffsetDateTime at, String actor, String action, long deadLetterId, String group,
            String eventId, String eventType, String reason) {

        static AuditEntry of(DeadLetterAudit a) {
            return new AuditEntry(a.id, a.at, a.actor, a.action, a.deadLetterId, a.consumerGroup, a.eventId,
                    a.eventType, a.reason);
        }
    }

    @RegisterForReflection // serialized by Jackson outside a REST signature, also in native
    public record AuditPage(List<AuditEntry> items, int page, int size, long total) {
    }

    private final DeadLetterRedriver redriver;
    private final SecurityIdentity caller;

    DeadLetterResource(DeadLetterRedriver redriver, SecurityIdentity caller) {
        this.redriver = redriver;
        this.caller = caller;
    }

    /** 400 for a page or size out of range; null when both are good. */
    private static Uni<Response> badPaging(Integer pageIndex, Integer pageSize) {
        if (pageIndex == null || pageIndex < 0 || pageIndex > MAX_PAGE) {
            return bad("page", "a whole number from 0 to " + MAX_PAGE);
        }
        if (pageSize == null || pageSize < 1 || pageSize > MAX_SIZE) {
            return bad("size", "a whole number from 1 to " + MAX_SIZE);
        }
        return null;
    }

    /** The caller, as the audit names it: the token's subject. */
    private String actor() {
        return Scopes.subjectOf(caller.getPrincipal());
    }

    /** Who redrove and discarded what, when and why; newest first. */
    @GET
    @Path("/audit")
    @WithSession
    @RequiresScope("dead-letters:read")
    public Uni<Response> audit(@RestQuery String deadLetter, @RestQuery String page, @RestQuery String size) {
        Integer pageIndex = number(page, 0);
        Integer pageSize = number(size, 50);
        Uni<Response> badPaging = badPaging(pageIndex, pageSize);
        if (badPaging != null) {
            return badPaging;
        }
        Long id = deadLetter == null ? null : idOf(deadLetter);
        if (deadLetter != null && id == null) {
            return bad("deadLetter", "a dead letter's id");
        }
        var query = id == null
                ? DeadLetterAudit.<DeadLetterAudit>findAll(Sort.descending("id"))
                : DeadLetterAudit.<DeadLetterAudit>find("deadLetterId", Sort.descending("id"), id);
        return query.page(Page.of(pageIndex, pageSize)).list()
                .chain(found -> query.count().map(total -> Response.ok(new AuditPage(
                        found.stream().map(AuditEntry::of).toList(), pageIndex, pageSize, total)).build()));
    }

    @GET
    @WithSession
    @RequiresScope("dead-letters:read")
    public Uni<Response> list(@RestQuery String group, @RestQuery String type, @RestQuery String status,
            @RestQuery String page, @RestQuery String size) {
        if (status != null && !STATUSES.contains(status)) {
            return bad("status", "one of " + STATUSES);
        }
        Integer pageIndex = number(page, 0);
        Integer pageSize = number(size, 50);
        Uni<Response> badPaging = badPaging(pageIndex, pageSize);
        if (badPaging != null) {
            return badPaging;
        }
        var query = DeadLetter.<DeadLetter>find(where(group, type, status), Sort.ascending("id"),
                parameters(group, type, status));
        return query.page(Page.of(pageIndex, pageSize)).list()
                .chain(found -> query.count().map(total -> Response.ok(new DeadLetterPage(
                        found.stream().map(DeadLetterDetails::of).toList(), pageIndex, pageSize, total)).build()));
    }

    @GET
    @Path("/{id}")
    @WithSession
    @RequiresScope("dead-letters:read")
    public Uni<Response> get(@RestPath String id) {
        return find(id, deadLetter -> Uni.createFrom().item(Response.ok(DeadLetterDetails.of(deadLetter)).build()));
    }

    @POST
    @Path("/{id}/redrive")
    @RequiresScope("dead-letters:admin")
    public Uni<Response> redrive(@RestPath String id, @RestQuery String reason) {
        Long key = idOf(id);
        if (key == null) {
            return Uni.createFrom().item(notFound(id));
        }
        String actor = actor();
        return Panache.withTransaction(() -> DeadLetter.<DeadLetter>findById(key, LockModeType.PESSIMISTIC_WRITE)
                .call(found -> {
                    if (found != null && DeadLetter.PARKED.equals(found.status)) {
                        claim(found);
                        return DeadLetterAudit.record(actor, DeadLetterAudit.REDRIVE, found, reason);
                    }
                    return Uni.createFrom().nullItem();
                }))
                .chain(found -> {
                    if (found == null) {
                        return Uni.createFrom().item(notFound(id));
                    }
                    if (!DeadLetter.REDRIVEN.equals(found.status) || found.redriveClaimed == null) {
                        return Uni.createFrom().item(notParked(found));
                    }
                    return send(found, actor).map(sent -> sent
                            ? Response.ok(DeadLetterDetails.of(found)).build()
                            : brokerUnavailable(found));
                });
    }

    @POST
    @Path("/redrive")
    @RequiresScope("dead-letters:admin")
    public Uni<Response> redriveAll(@RestQuery String group, @RestQuery String type, @RestQuery String reason) {
        if (group == null || group.isBlank()) {
            return bad("group", "the consumer group whose dead letters to redrive");
        }
        String actor = actor();
        return Panache.withTransaction(() -> DeadLetter.<DeadLetter>find(where(group, type, DeadLetter.PARKED),
                Sort.ascending("id"), parameters(group, type, DeadLetter.PARKED))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .range(0, MAX_BATCH - 1).list()
                .call(parked -> {
                    parked.forEach(DeadLetterResource::claim);
                    return Multi.createFrom().iterable(parked)
                            .onItem().transformToUniAndConcatenate(
                                    found -> DeadLetterAudit.record(actor, DeadLetterAudit.REDRIVE, found, reason))
                            .collect().last();
                }))
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(found -> send(found, actor))
                        .collect().asList()
                        .map(sent -> {
                            long redriven = sent.stream().filter(Boolean::booleanValue).count();
                            if (redriven < sent.size()) {
                                return brokerUnavailable(claimed.getFirst());
                            }
                            return Response.ok(new BatchRedrive((int) redriven, claimed.size() == MAX_BATCH)).build();
                        }));
    }

    @POST
    @Path("/{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @RequiresScope("dead-letters:admin")
    public Uni<Response> discard(@RestPath String id, Discard body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return Uni.createFrom().item(ApiError.of("invalid_body", "reason must be a sentence saying why the dead"
                    + " letter is discarded", "reason").toResponse(Response.Status.BAD_REQUEST));
        }
        // Locked, as a redrive locks it: of a concurrent redrive and discard, one finds it no longer parked.
        return find(id, LockModeType.PESSIMISTIC_WRITE, deadLetter -> {
            if (!DeadLetter.PARKED.equals(deadLetter.status)) {
                return Uni.createFrom().item(notParked(deadLetter));
            }
            deadLetter.status = DeadLetter.DISCARDED;
            deadLetter.note = body.reason();
            deadLetter.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return DeadLetterAudit.record(actor(), DeadLetterAudit.DISCARD, deadLetter,
                    body.reason()).replaceWith(Response.ok(DeadLetterDetails.of(deadLetter)).build());
        });
    }

    /**
     * Marks a parked dead letter redriven, in the transaction that holds its row, before anything is sent: a
     * concurrent redrive then finds it not parked, and a record that fails again at once parks it again after
     * this commit, never before. {@link #send} gives the claim back when Kafka does not take the record.
     */
    private static void claim(DeadLetter deadLetter) {
        deadLetter.status = DeadLetter.REDRIVEN;
        deadLetter.redriveCount++;
        deadLetter.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        deadLetter.redriveClaimed = Boolean.TRUE;
    }

    /** Sends a claimed dead letter to its group's redrive topic; false (and parked again) when Kafka refuses. */
    private Uni<Boolean> send(DeadLetter deadLetter, String actor) {
        return redriver.redrive(deadLetter).replaceWith(Boolean.TRUE)
                .onFailure().recoverWithUni(failure -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery("UPDATE dead_letter SET status = 'parked',"
                                + " redrive_count = redrive_count - 1, updated_at = now()"
                                + " WHERE id = ?1 AND status = 'redriven'")
                                .setParameter(1, deadLetter.id).executeUpdate())
                        // The audit keeps the attempt and says it did not happen (append-only: never edited).
                        .call(() -> DeadLetterAudit.record(actor, DeadLetterAudit.REDRIVE_FAILED, deadLetter,
                                deadLetter.broker + " refused the record: " + failure.getMessage())))
                        .invoke(() -> {
                            deadLetter.status = DeadLetter.PARKED;
                            deadLetter.redriveCount--;
                        })
                        .replaceWith(Boolean.FALSE));
    }

    /** 503 kafka_unavailable or rabbitmq_unavailable: the broker the dead letter goes back to refused it. */
    private static Response brokerUnavailable(DeadLetter deadLetter) {
        return ApiError.of(deadLetter.broker + "_unavailable", deadLetter.broker + " did not take the redriven"
                + " message; the dead letter is parked again, try later")
                .toResponse(Response.Status.SERVICE_UNAVAILABLE);
    }

    private static Long idOf(String id) {
        try {
            return Long.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Uni<Response> find(String id, Function<DeadLetter, Uni<Response>> then) {
        return find(id, LockModeType.NONE, then);
    }

    private static Uni<Response> find(String id, LockModeType lock, Function<DeadLetter, Uni<Response>> then) {
        Long key = idOf(id);
        if (key == null) {
            return Uni.createFrom().item(notFound(id));
        }
        return DeadLetter.<DeadLetter>findById(key, lock).chain(found -> found == null
                ? Uni.createFrom().item(notFound(id))
                : then.apply(found));
    }

    private static String where(String group, String type, String status) {
        var conditions = new ArrayList<String>();
        if (group != null) {
            conditions.add("consumerGroup = :group");
        }
        if (type != null) {
            conditions.add("eventType = :type");
        }
        if (status != null) {
            conditions.add("status = :status");
        }
        return String.join(" and ", conditions);
    }

    private static Parameters parameters(String group, String type, String status) {
        var parameters = new Parameters();
        if (group != null) {
            parameters.and("group", group);
        }
        if (type != null) {
            parameters.and("type", type);
        }
        if (status != null) {
            parameters.and("status", status);
        }
        return parameters;
    }

    private static Response notFound(String id) {
        return ApiError.of("dead_letter_not_found", "no dead letter " + id).toResponse(Response.Status.NOT_FOUND);
    }

    private static Response notParked(DeadLetter deadLetter) {
        return ApiError.of("dead_letter_not_parked", "dead letter " + deadLetter.id + " is " + deadLetter.status
                + "; only a parked one can be redriven or discarded", "status").toResponse(Response.Status.CONFLICT);
    }

    private static Integer number(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Uni<Response> bad(String field, String expected) {
        return Uni.createFrom().item(ApiError.of("invalid_query", field + " must be " + expected, field)
                .toResponse(Response.Status.BAD_REQUEST));
    }
}
