package dev.switchboard.shop.payments;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.inbox.Inbox;
import dev.switchboard.platform.inbox.IncomingEvent;
import dev.switchboard.platform.inbox.IncomingEvents;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.platform.outbox.OutboxMessage;
import dev.switchboard.shop.orders.CancelledEarly;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderWireMapping;
import dev.switchboard.wire.payments.PaymentAuthorized;
import dev.switchboard.wire.payments.PaymentDeclined;
import dev.switchboard.wire.payments.PaymentVoided;

/**
 * Consumer group {@code payments}: reads shop.orders (and its redrive topic payments.redrive; channel
 * {@value #GROUP}), authorizes or declines each placed order against the customer's credit, voids the
 * authorization of a cancelled order, and publishes the outcome to {@value #TOPIC} through the outbox, in the
 * transaction that records the event in the inbox. Failure strategy: in-place retries, then payments.dlq.
 */
@ApplicationScoped
class PaymentsConsumer {

    static final String GROUP = "payments";
    static final String TOPIC = "shop.payments";
    static final String SOURCE = "/switchboard/shop/payments";
    static final String AUTHORIZED = "payment.authorized.v1";
    static final String DECLINED = "payment.declined.v1";
    static final String VOIDED = "payment.voided.v1";

    private final IncomingEvents events;
    private final Inbox inbox;
    private final Outbox outbox;
    private final PaymentsConfig config;

    PaymentsConsumer(IncomingEvents events, Inbox inbox, Outbox outbox, PaymentsConfig config) {
        this.events = events;
        this.inbox = inbox;
        this.outbox = outbox;
        this.config = config;
    }

    @Incoming(GROUP)
    @Retry(maxRetries = 4, delay = 100, abortOn = PoisonEvent.class)
    @ExponentialBackoff(maxDelay = 2000)
    Uni<Void> on(ConsumerRecord<String, byte[]> record) {
        String type = IncomingEvents.typeOf(record);
        if (!OrderWireMapping.PLACED.equals(type) && !OrderWireMapping.CANCELLED.equals(type)) {
            return Uni.createFrom().voidItem();
        }
        return events.read(record).chain(event -> inbox.once(GROUP, event,
                () -> switch (OrderWireMapping.fromWire(event.data())) {
                    case OrderPlaced placed -> authorize(placed, event);
                    case OrderCancelled cancelled -> voidAuthorization(cancelled, event);
                    default -> Uni.createFrom().voidItem();
                })).replaceWithVoid();
    }

    private Uni<Void> authorize(OrderPlaced placed, IncomingEvent cause) {
        return Payment.<Payment>findById(placed.orderId()).chain(existing -> existing != null
                ? Uni.createFrom().item(Boolean.TRUE) // decided under another event id; nothing new to say
                : CancelledEarly.was(GROUP, placed.orderId()))
                .chain(skip -> skip ? Uni.createFrom().voidItem() : decide(placed, cause));
    }

    private Uni<Void> decide(OrderPlaced placed, IncomingEvent cause) {
        long amount = placed.lines().stream().mapToLong(line -> line.total().amountMinor()).sum();
        // One credit decision per customer at a time, across instances too: two orders of one customer on
        // different partitions must not both take the last of the credit.
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "payments/" + placed.customerId()).getSingleResult())
                .chain(locked -> Payment.find("select coalesce(sum(amountMinor), 0) from Payment"
                        + " where customerId = ?1 and status = 'authorized'", placed.customerId())
                        .project(Long.class).<Long>firstResult())
                .chain(authorizedSoFar -> {
                    boolean withinCredit = authorizedSoFar + amount <= config.creditLimitMinor();
                    var payment = new Payment();
                    payment.orderId = placed.orderId();
                    payment.customerId = placed.customerId();
                    payment.amountMinor = amount;
                    payment.currency = placed.currency();
                    payment.status = withinCredit ? "authorized" : "declined";
                    payment.updatedAt = Instant.now().atOffset(ZoneOffset.UTC);
                    SpecificRecord fact = withinCredit
                            ? new PaymentAuthorized(placed.orderId(), placed.customerId(), amount,
                                    placed.currency(), Instant.now())
                            : new PaymentDeclined(placed.orderId(), placed.customerId(), amount, placed.currency(),
                                    "credit limit " + config.creditLimitMinor() + " exceeded: "
                                            + authorizedSoFar + " authorized, order total " + amount,
                                    Instant.now());
                    return payment.persist().chain(() -> publish(payment, withinCredit ? AUTHORIZED : DECLINED,
                            fact, cause));
                });
    }

    private Uni<Void> voidAuthorization(OrderCancelled cancelled, IncomingEvent cause) {
        return Payment.<Payment>findById(cancelled.orderId()).chain(payment -> {
            if (payment == null) {
                return CancelledEarly.remember(GROUP, cancelled.orderId());
            }
            if (!"authorized".equals(payment.status)) {
                return Uni.createFrom().voidItem();
            }
            payment.status = "voided";
            payment.updatedAt = Instant.now().atOffset(ZoneOffset.UTC);
            return publish(payment, VOIDED, new PaymentVoided(payment.orderId, payment.customerId,
                    payment.amountMinor, payment.currency, Instant.now()), cause);
        });
    }

    private Uni<Void> publish(Payment payment, String type, SpecificRecord fact, IncomingEvent cause) {
        return outbox.enqueue(List.of(new OutboxMessage(UUID.randomUUID(), TOPIC, payment.orderId, type, SOURCE,
                payment.orderId, null, Instant.now(), fact, cause.causedBy())));
    }
}
