package dev.switchboard.shop.orders.saga;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.inbox.Inbox;
import dev.switchboard.platform.inbox.IncomingEvent;
import dev.switchboard.platform.inbox.IncomingEvents;
import dev.switchboard.platform.inbox.PoisonEvent;
import dev.switchboard.shop.orders.OrderCommand;
import dev.switchboard.shop.orders.OrderCommandHandler;
import dev.switchboard.shop.orders.OrderNotFound;
import dev.switchboard.shop.orders.OrderRejected;
import dev.switchboard.wire.inventory.StockReserved;
import dev.switchboard.wire.inventory.StockShort;
import dev.switchboard.wire.payments.PaymentAuthorized;
import dev.switchboard.wire.payments.PaymentDeclined;

/**
 * Consumer group {@code order-saga}: a process manager that reads shop.payments and shop.inventory (and
 * order-saga.redrive; channel {@value #GROUP}) and confirms an order once its payment is authorized and its stock
 * reserved, or cancels it on the first refusal. The cancel is the compensation's trigger: payments voids the
 * authorization and inventory releases the stock when they read order.cancelled.v1. Answers may come in any order
 * (two topics); the saga row, the inbox entry and the order's new events commit together, so a redelivery or a
 * crash never confirms or cancels twice. Failure strategy: in-place retries (never a retry topic), then
 * order-saga.dlq.
 */
@ApplicationScoped
class OrderSagaConsumer {

    static final String GROUP = "order-saga";
    /** The answers the saga waits for (types published by the payments and inventory groups). */
    static final Set<String> ANSWERS = Set.of("payment.authorized.v1", "payment.declined.v1", "stock.reserved.v1",
            "stock.short.v1");

    private final IncomingEvents events;
    private final Inbox inbox;
    private final OrderCommandHandler orders;

    OrderSagaConsumer(IncomingEvents events, Inbox inbox, OrderCommandHandler orders) {
        this.events = events;
        this.inbox = inbox;
        this.orders = orders;
    }

    @Incoming(GROUP)
    @Retry(maxRetries = 4, delay = 100, abortOn = PoisonEvent.class)
    @ExponentialBackoff(maxDelay = 2000)
    Uni<Void> on(ConsumerRecord<String, byte[]> record) {
        if (!ANSWERS.contains(IncomingEvents.typeOf(record))) {
            return Uni.createFrom().voidItem(); // voids and releases are the compensation's echo
        }
        return events.read(record).chain(event -> {
            String orderId = orderIdOf(event);
            return inbox.once(GROUP, event, () -> OrderSaga.<OrderSaga>findById(orderId)
                    .chain(found -> found != null ? Uni.createFrom().item(found) : started(orderId))
                    .chain(saga -> advance(saga, event.data(), event)));
        }).replaceWithVoid();
    }

    private static String orderIdOf(IncomingEvent event) {
        return switch (event.data()) {
            case PaymentAuthorized authorized -> authorized.getOrderId();
            case PaymentDeclined declined -> declined.getOrderId();
            case StockReserved reserved -> reserved.getOrderId();
            case StockShort missing -> missing.getOrderId();
            default -> throw new PoisonEvent(event.type() + " does not carry "
                    + event.data().getSchema().getFullName());
        };
    }

    private static Uni<OrderSaga> started(String orderId) {
        var saga = new OrderSaga();
        saga.orderId = orderId;
        saga.updatedAt = Instant.now().atOffset(ZoneOffset.UTC);
        return saga.persist();
    }

    private Uni<Void> advance(OrderSaga saga, SpecificRecord answer, IncomingEvent cause) {
        switch (answer) {
            case PaymentAuthorized a -> saga.payment = "authorized";
            case PaymentDeclined d -> saga.payment = "declined";
            case StockReserved r -> saga.stock = "reserved";
            case StockShort s -> saga.stock = "short";
            default -> throw new PoisonEvent("order-saga cannot use " + answer.getSchema().getFullName());
        }
        saga.updatedAt = Instant.now().atOffset(ZoneOffset.UTC);
        return switch (SagaDecision.of(saga.payment, saga.stock, saga.outcome)) {
            case SagaDecision.Wait wait -> Uni.createFrom().voidItem();
            case SagaDecision.Confirm confirm -> command(saga, new OrderCommand.ConfirmOrder(saga.orderId,
                    Instant.now()), "confirmed", null, cause);
            case SagaDecision.Cancel cancel -> command(saga, new OrderCommand.CancelOrder(saga.orderId,
                    cancel.reason(), Instant.now()), "cancelled", cancel.reason(), cause);
        };
    }

    private Uni<Void> command(OrderSaga saga, OrderCommand command, String outcome, String reason,
            IncomingEvent cause) {
        // Joins the inbox's transaction: the order's events, their outbox rows and the saga row commit together.
        return orders.handle(command, null, cause.causedBy())
                .invoke(() -> {
                    saga.outcome = outcome;
                    saga.reason = reason;
                })
                .replaceWithVoid()
                .onFailure(OrderRejected.class).recoverWithItem(refused -> {
                    // The customer (or an operator) moved the order on first; nothing is left to decide.
                    saga.outcome = "order-closed";
                    saga.reason = refused.getMessage();
                    return null;
                })
                .onFailure(OrderNotFound.class).transform(unknown -> new PoisonEvent(unknown.getMessage()));
    }
}
