package dev.switchboard.shop.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Multi;
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
import dev.switchboard.shop.orders.OrderLine;
import dev.switchboard.shop.orders.OrderWireMapping;
import dev.switchboard.wire.inventory.ReleasedItem;
import dev.switchboard.wire.inventory.StockItem;
import dev.switchboard.wire.inventory.StockReleased;
import dev.switchboard.wire.inventory.StockReserved;
import dev.switchboard.wire.inventory.StockShort;
import dev.switchboard.wire.inventory.StockShortfall;

/**
 * Consumer group {@code inventory}: reads shop.orders (and inventory.redrive; channel {@value #GROUP}), reserves
 * every line of a placed order or reports what is short (all or nothing), puts a cancelled order's reservation
 * back, and publishes the outcome to {@value #TOPIC} through the outbox, in the transaction that records the event
 * in the inbox. Stock rows are locked in SKU order, so two instances never deadlock. Failure strategy: in-place
 * retries, then inventory.dlq.
 */
@ApplicationScoped
class InventoryConsumer {

    static final String GROUP = "inventory";
    static final String TOPIC = "shop.inventory";
    static final String SOURCE = "/switchboard/shop/inventory";
    static final String RESERVED = "stock.reserved.v1";
    static final String SHORT = "stock.short.v1";
    static final String RELEASED = "stock.released.v1";

    private final IncomingEvents events;
    private final Inbox inbox;
    private final Outbox outbox;
    private final InventoryConfig config;

    InventoryConsumer(IncomingEvents events, Inbox inbox, Outbox outbox, InventoryConfig config) {
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
                    case OrderPlaced placed -> reserve(placed, event);
                    case OrderCancelled cancelled -> release(cancelled, event);
                    default -> Uni.createFrom().voidItem();
                })).replaceWithVoid();
    }

    private Uni<Void> reserve(OrderPlaced placed, IncomingEvent cause) {
        Map<String, Integer> wanted = new TreeMap<>();
        for (OrderLine line : placed.lines()) {
            wanted.merge(line.sku(), line.quantity(), Integer::sum);
        }
        return CancelledEarly.was(GROUP, placed.orderId()).chain(cancelled -> cancelled
                ? Uni.createFrom().voidItem()
                : StockReservation.count("orderId", placed.orderId()).chain(held -> held > 0
                        ? Uni.createFrom().voidItem() // reserved under another event id already
                        : holdStock(placed, wanted, cause)));
    }

    private Uni<Void> holdStock(OrderPlaced placed, Map<String, Integer> wanted, IncomingEvent cause) {
        return Multi.createFrom().iterable(wanted.keySet())
                .onItem().transformToUniAndConcatenate(this::lockedLevel)
                .collect().asList()
                .chain(levels -> {
                    var missing = new ArrayList<StockShortfall>();
                    for (StockLevel level : levels) {
                        int requested = wanted.get(level.sku);
                        if (level.available < requested) {
                            missing.add(new StockShortfall(level.sku, requested, level.available));
                        }
                    }
                    if (!missing.isEmpty()) {
                        return publish(placed.orderId(), SHORT,
                                new StockShort(placed.orderId(), missing, Instant.now()), cause);
                    }
                    var reservations = new ArrayList<StockReservation>();
                    for (StockLevel level : levels) {
                        level.available -= wanted.get(level.sku);
                        var reservation = new StockReservation();
                        reservation.orderId = placed.orderId();
                        reservation.sku = level.sku;
                        reservation.quantity = wanted.get(level.sku);
                        reservations.add(reservation);
                    }
                    List<StockItem> items = reservations.stream()
                            .map(r -> new StockItem(r.sku, r.quantity)).toList();
                    return StockReservation.persist(reservations).chain(() -> publish(placed.orderId(), RESERVED,
                            new StockReserved(placed.orderId(), items, Instant.now()), cause));
                });
    }

    /** The SKU's stock row, locked until the transaction ends; created at the initial stock when new. */
    private Uni<StockLevel> lockedLevel(String sku) {
        return StockLevel.<StockLevel>findById(sku, LockModeType.PESSIMISTIC_WRITE).chain(level -> {
            if (level != null) {
                return Uni.createFrom().item(level);
            }
            var created = new StockLevel();
            created.sku = sku;
            created.available = config.initialStock();
            return created.<StockLevel>persist().call(StockLevel::flush);
        });
    }

    private Uni<Void> release(OrderCancelled cancelled, IncomingEvent cause) {
        return StockReservation.<StockReservation>list("orderId", cancelled.orderId()).chain(reservations -> {
            if (reservations.isEmpty()) {
                return CancelledEarly.remember(GROUP, cancelled.orderId());
            }
            return Multi.createFrom().iterable(reservations.stream().sorted((a, b) -> a.sku.compareTo(b.sku))
                    .toList())
                    .onItem().transformToUniAndConcatenate(reservation -> lockedLevel(reservation.sku)
                            .invoke(level -> level.available += reservation.quantity)
                            .call(reservation::delete))
                    .collect().last()
                    .chain(() -> publish(cancelled.orderId(), RELEASED, new StockReleased(cancelled.orderId(),
                            reservations.stream().map(r -> new ReleasedItem(r.sku, r.quantity)).toList(),
                            Instant.now()), cause));
        });
    }

    private Uni<Void> publish(String orderId, String type, SpecificRecord fact, IncomingEvent cause) {
        return outbox.enqueue(List.of(new OutboxMessage(UUID.randomUUID(), TOPIC, orderId, type, SOURCE, orderId,
                null, Instant.now(), fact, cause.causedBy())));
    }
}
