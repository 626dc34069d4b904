package dev.switchboard.shop.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.switchboard.platform.envelope.AvroJson;
import dev.switchboard.platform.envelope.EventMetadata;
import dev.switchboard.platform.eventstore.EventStore;
import dev.switchboard.platform.eventstore.ExpectedVersion;
import dev.switchboard.platform.eventstore.NewEvent;
import dev.switchboard.platform.eventstore.RecordedEvent;
import dev.switchboard.platform.eventstore.StreamVersionConflict;
import dev.switchboard.platform.outbox.Outbox;
import dev.switchboard.platform.outbox.OutboxMessage;
import dev.switchboard.shop.orders.OrderCommand.PlaceOrder;

/**
 * Runs an order command: reads the order's stream, lets the decider decide, and appends the new events to stream
 * {@code order-<id>} together with their outbox rows for topic {@value #TOPIC}, in one PostgreSQL transaction.
 */
@ApplicationScoped
public class OrderCommandHandler {

    public static final String TOPIC = "shop.orders";
    static final String SOURCE = "/switchboard/shop/orders";

    private static final Logger LOG = Logger.getLogger(OrderCommandHandler.class);

    private final EventStore store;
    private final Outbox outbox;

    OrderCommandHandler(EventStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    public static String streamOf(String orderId) {
        return "order-" + orderId;
    }

    /** What a command did: the order's version after it, and the events it added (none for a repeat). */
    public record Outcome(String orderId, int version, List<OrderEvent> events) {
    }

    /**
     * @param expectedVersion
     *            the version the caller based its command on (If-Match), or null for "any"
     */
    public Uni<Outcome> handle(OrderCommand command, Integer expectedVersion, EventMetadata metadata) {
        String orderId = command.orderId();
        String stream = streamOf(orderId);
        return Panache.withTransaction(() -> store.readStream(stream).chain(history -> {
            int current = history.isEmpty() ? 0 : history.getLast().version();
            // An unknown order is the decider's to refuse (OrderNotFound); a stale If-Match is checked first.
            if (!(command instanceof PlaceOrder) && current > 0 && expectedVersion != null
                    && expectedVersion != current) {
                throw new StaleOrderVersion(orderId, expectedVersion, current);
            }
            List<OrderEvent> decided = OrderDecider.decide(command, OrderDecider.fold(domainEvents(history)));
            if (decided.isEmpty()) {
                return Uni.createFrom().item(new Outcome(orderId, current, decided));
            }
            var newEvents = new ArrayList<NewEvent>(decided.size());
            var messages = new ArrayList<OutboxMessage>(decided.size());
            long sequence = current;
            for (OrderEvent event : decided) {
                UUID eventId = UUID.randomUUID();
                var wire = OrderWireMapping.toWire(event);
                String type = OrderWireMapping.typeOf(event);
                newEvents.add(new NewEvent(eventId, type, AvroJson.encode(wire), metadata));
                messages.add(new OutboxMessage(eventId, TOPIC, orderId, type, SOURCE, orderId, ++sequence, command.at(),
                        wire, metadata));
            }
            ExpectedVersion expected = current == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(current);
            return store.append(stream, expected, newEvents)
                    .call(() -> outbox.enqueue(messages))
                    .map(version -> new Outcome(orderId, version, decided))
                    .invoke(outcome -> LOG.infof("order %s: %s, now at version %d", orderId, newEvents.stream()
                            .map(NewEvent::type).toList(), outcome.version()));
        })).onFailure(StreamVersionConflict.class).transform(conflict -> new StaleOrderVersion(orderId,
                expectedVersion, ((StreamVersionConflict) conflict).actual()));
    }

    /** The order's events as stored, oldest first; empty for an unknown order. */
    public Uni<List<RecordedEvent>> history(String orderId) {
        return Panache.withSession(() -> store.readStream(streamOf(orderId)));
    }

    static List<OrderEvent> domainEvents(List<RecordedEvent> history) {
        return history.stream()
                .map(recorded -> OrderWireMapping.fromWire(
                        AvroJson.decode(OrderWireMapping.wireClass(recorded.type()), recorded.payload())))
                .toList();
    }
}
