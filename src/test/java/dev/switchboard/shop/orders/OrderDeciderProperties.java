package dev.switchboard.shop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.shop.orders.OrderCommand.CancelOrder;
import dev.switchboard.shop.orders.OrderCommand.ConfirmOrder;
import dev.switchboard.shop.orders.OrderCommand.PlaceOrder;
import dev.switchboard.shop.orders.OrderCommand.ShipOrder;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * No sequence of commands, valid or not, breaks an order's invariants: the decider either decides events or refuses
 * with its own exceptions (never anything else); the events of one order read placed, then at most one of
 * confirmed and cancelled before any shipped, never shipped and cancelled both, nothing after cancel or ship, and
 * a placement only with good lines; folding the events gives the state they were decided on.
 */
class OrderDeciderProperties {

    private static final String ORDER = "o-1";
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @Property(tries = 2000)
    void noSequenceOfCommandsBreaksAnInvariant(@ForAll("commands") @Size(max = 12) List<OrderCommand> commands) {
        Order state = OrderDecider.initialState();
        List<OrderEvent> history = new ArrayList<>();
        for (OrderCommand command : commands) {
            List<OrderEvent> decided;
            try {
                decided = OrderDecider.decide(command, state);
            } catch (OrderRejected | OrderNotFound refused) {
                continue; // refused: nothing changes
            }
            for (OrderEvent event : decided) {
                history.add(event);
                state = OrderDecider.evolve(state, event);
            }
        }
        assertThat(OrderDecider.fold(history)).isEqualTo(state);
        assertHistoryIsAnOrdersLife(history);
    }

    private static void assertHistoryIsAnOrdersLife(List<OrderEvent> history) {
        if (history.isEmpty()) {
            return;
        }
        assertThat(history.getFirst()).isInstanceOf(OrderPlaced.class);
        assertThat(history.stream().filter(OrderPlaced.class::isInstance)).hasSize(1);
        long confirmed = history.stream().filter(OrderConfirmed.class::isInstance).count();
        long cancelled = history.stream().filter(OrderCancelled.class::isInstance).count();
        long shipped = history.stream().filter(OrderShipped.class::isInstance).count();
        assertThat(confirmed).isLessThanOrEqualTo(1);
        assertThat(cancelled).isLessThanOrEqualTo(1);
        assertThat(shipped).isLessThanOrEqualTo(1);
        assertThat(shipped + cancelled).as("shipped or cancelled, not both").isLessThanOrEqualTo(1);
        OrderEvent last = history.getLast();
        for (int i = 0; i < history.size() - 1; i++) {
            assertThat(history.get(i)).as("nothing after the end").isNotInstanceOfAny(OrderCancelled.class,
                    OrderShipped.class);
        }
        if (shipped == 1) {
            assertThat(last).isInstanceOf(OrderShipped.class);
            assertThat(history.indexOf(history.stream().filter(OrderConfirmed.class::isInstance).findFirst()
                    .orElseThrow())).as("confirmed before shipped").isLessThan(history.size() - 1);
        }
        var placed = (OrderPlaced) history.getFirst();
        assertThat(placed.lines()).isNotEmpty().allSatisfy(line -> {
            assertThat(line.quantity()).isPositive();
            assertThat(line.unitPrice().amountMinor()).isPositive();
            assertThat(line.unitPrice().currency()).isEqualTo(placed.currency());
        });
        assertThat(placed.lines().stream().map(OrderLine::sku).distinct()).hasSameSizeAs(placed.lines());
    }

    @Provide
    Arbitrary<List<OrderCommand>> commands() {
        Arbitrary<OrderCommand> place = Combinators.combine(texts(), lines().list().ofMaxSize(4))
                .as((customer, lines) -> new PlaceOrder(ORDER, customer, lines, AT));
        Arbitrary<OrderCommand> confirm = Arbitraries.just(new ConfirmOrder(ORDER, AT));
        Arbitrary<OrderCommand> cancel = texts().injectNull(0.3).map(reason -> new CancelOrder(ORDER, reason, AT));
        Arbitrary<OrderCommand> ship = Arbitraries.just(new ShipOrder(ORDER, AT));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, place), net.jqwik.api.Tuple.of(3, confirm),
                net.jqwik.api.Tuple.of(2, cancel), net.jqwik.api.Tuple.of(3, ship)).list();
    }

    /** Mostly sensible text, sometimes blank, long, or with control characters and broken surrogates. */
    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(30), Arbitraries.strings().ofLength(201).alpha(),
                Arbitraries.of("", " ", "\u0000", "\ud800", "ok\ndone"));
    }

    private static Arbitrary<OrderLine> lines() {
        Arbitrary<String> sku = Arbitraries.oneOf(Arbitraries.of("book", "pen", "mug"), texts());
        Arbitrary<Integer> quantity = Arbitraries.oneOf(Arbitraries.integers().between(1, 5),
                Arbitraries.of(0, -1, Integer.MAX_VALUE));
        Arbitrary<Long> amount = Arbitraries.oneOf(Arbitraries.longs().between(1, 10_000),
                Arbitraries.of(0L, -5L, Long.MAX_VALUE));
        Arbitrary<String> currency = Arbitraries.of("EUR", "EUR", "USD", "eur", "XXY", "", null);
        Arbitrary<Money> price = Combinators.combine(amount, currency).as(Money::new).injectNull(0.05);
        return Combinators.combine(sku, quantity, price).as(OrderLine::new).injectNull(0.05);
    }
}
