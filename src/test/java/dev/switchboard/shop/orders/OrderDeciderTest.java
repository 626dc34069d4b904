package dev.switchboard.shop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.switchboard.shop.orders.Order.Cancelled;
import dev.switchboard.shop.orders.Order.Confirmed;
import dev.switchboard.shop.orders.Order.Shipped;
import dev.switchboard.shop.orders.OrderCommand.CancelOrder;
import dev.switchboard.shop.orders.OrderCommand.ConfirmOrder;
import dev.switchboard.shop.orders.OrderCommand.PlaceOrder;
import dev.switchboard.shop.orders.OrderCommand.ShipOrder;
import dev.switchboard.shop.orders.OrderEvent.OrderCancelled;
import dev.switchboard.shop.orders.OrderEvent.OrderConfirmed;
import dev.switchboard.shop.orders.OrderEvent.OrderPlaced;
import dev.switchboard.shop.orders.OrderEvent.OrderShipped;

/** Given events, when a command, then events (or a refusal). Pure: no Quarkus, no database. */
class OrderDeciderTest {

    static final String ID = "o-1";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final OrderLine BOOK = new OrderLine("book", 2, new Money(1250, "EUR"));
    static final OrderLine PEN = new OrderLine("pen", 1, new Money(300, "EUR"));
    static final OrderPlaced PLACED = new OrderPlaced(ID, "c-1", "EUR", List.of(BOOK, PEN), T0);
    static final OrderConfirmed CONFIRMED = new OrderConfirmed(ID, T0.plusSeconds(1));
    static final OrderCancelled CANCELLED = new OrderCancelled(ID, "changed mind", T0.plusSeconds(2));
    static final OrderShipped SHIPPED = new OrderShipped(ID, T0.plusSeconds(3));

    static List<OrderEvent> given(OrderEvent... history) {
        return Arrays.asList(history);
    }

    static List<OrderEvent> when(List<OrderEvent> history, OrderCommand command) {
        return OrderDecider.decide(command, OrderDecider.fold(history));
    }

    static PlaceOrder place(OrderLine... lines) {
        return new PlaceOrder(ID, "c-1", new ArrayList<>(Arrays.asList(lines)), T0);
    }

    static void assertRejected(List<OrderEvent> history, OrderCommand command, OrderRejected.Kind kind,
            String code, String field) {
        assertThatThrownBy(() -> when(history, command))
                .isInstanceOfSatisfying(OrderRejected.class, rejected -> {
                    assertThat(rejected.kind()).isEqualTo(kind);
                    assertThat(rejected.code()).isEqualTo(code);
                    assertThat(rejected.field()).isEqualTo(field);
                });
    }

    @Nested
    class PlacingAnOrder {

        @Test
        void placeOrder_placesIt_inTheLinesCurrency() {
            assertThat(when(given(), place(BOOK, PEN))).containsExactly(PLACED);
        }

        @Test
        void placeOrder_fails_whenTheOrderExists() {
            assertRejected(given(PLACED), place(BOOK), OrderRejected.Kind.NOT_ALLOWED, "order_exists", null);
        }

        @Test
        void placeOrder_fails_withoutLines() {
            assertRejected(given(), place(), OrderRejected.Kind.INVALID, "invalid_command", "lines");
        }

        @Test
        void placeOrder_fails_withTooManyLines() {
            var lines = new ArrayList<OrderLine>();
            for (int i = 0; i <= OrderDecider.MAX_LINES; i++) {
                lines.add(new OrderLine("sku-" + i, 1, new Money(1, "EUR")));
            }
            assertRejected(given(), new PlaceOrder(ID, "c-1", lines, T0), OrderRejected.Kind.INVALID,
                    "invalid_command", "lines");
        }

        @Test
        void placeOrder_fails_withoutCustomer() {
            assertRejected(given(), new PlaceOrder(ID, " ", List.of(BOOK), T0), OrderRejected.Kind.INVALID,
                    "invalid_command", "customerId");
        }

        @Test
        void placeOrder_fails_forNonPositiveQuantity() {
            assertRejected(given(), place(PEN, new OrderLine("book", 0, new Money(1250, "EUR"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[1].quantity");
        }

        @Test
        void placeOrder_fails_forNonPositivePrice() {
            assertRejected(given(), place(new OrderLine("book", 1, new Money(-5, "EUR"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[0].unitPrice.amountMinor");
        }

        @Test
        void placeOrder_fails_forTwoCurrencies() {
            assertRejected(given(), place(BOOK, new OrderLine("pen", 1, new Money(300, "USD"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[1].unitPrice.currency");
        }

        @Test
        void placeOrder_fails_forUnknownCurrency() {
            assertRejected(given(), place(new OrderLine("book", 1, new Money(300, "XYZ"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[0].unitPrice.currency");
        }

        @Test
        void placeOrder_fails_forControlCharactersAndBrokenUnicode() {
            assertRejected(given(), new PlaceOrder(ID, "c\u0000-1", List.of(BOOK), T0), OrderRejected.Kind.INVALID,
                    "invalid_command", "customerId");
            assertRejected(given(), place(new OrderLine("bo\uD800ok", 1, new Money(1, "EUR"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[0].sku");
        }

        @Test
        void placeOrder_acceptsSurrogatePairs() {
            var line = new OrderLine("book-\uD83D\uDCD6", 1, new Money(1, "EUR"));
            assertThat(when(given(), place(line))).hasSize(1);
        }

        @Test
        void placeOrder_fails_forDuplicateSku() {
            assertRejected(given(), place(BOOK, BOOK), OrderRejected.Kind.INVALID, "invalid_command",
                    "lines[1].sku");
        }

        @Test
        void placeOrder_fails_whenALineTotalOverflows() {
            assertRejected(given(),
                    place(new OrderLine("gold", Integer.MAX_VALUE, new Money(Long.MAX_VALUE / 2, "EUR"))),
                    OrderRejected.Kind.INVALID, "invalid_command", "lines[0].quantity");
        }
    }

    @Nested
    class ConfirmingAnOrder {

        @Test
        void confirmOrder_confirmsAPlacedOrder() {
            assertThat(when(given(PLACED), new ConfirmOrder(ID, T1))).containsExactly(new OrderConfirmed(ID, T1));
        }

        @Test
        void confirmOrder_isANoOp_whenAlreadyConfirmed() {
            assertThat(when(given(PLACED, CONFIRMED), new ConfirmOrder(ID, T1))).isEmpty();
        }

        @Test
        void confirmOrder_fails_forACancelledOrder() {
            assertRejected(given(PLACED, CANCELLED), new ConfirmOrder(ID, T1), OrderRejected.Kind.NOT_ALLOWED,
                    "order_cancelled", null);
        }

        @Test
        void confirmOrder_fails_forAnUnknownOrder() {
            assertThatThrownBy(() -> when(given(), new ConfirmOrder(ID, T1))).isInstanceOf(OrderNotFound.class);
        }
    }

    @Nested
    class CancellingAnOrder {

        @Test
        void cancelOrder_cancelsAPlacedOrder() {
            assertThat(when(given(PLACED), new CancelOrder(ID, "too slow", T1)))
                    .containsExactly(new OrderCancelled(ID, "too slow", T1));
        }

        @Test
        void cancelOrder_cancelsAConfirmedOrder_withADefaultReason() {
            assertThat(when(given(PLACED, CONFIRMED), new CancelOrder(ID, null, T1)))
                    .containsExactly(new OrderCancelled(ID, "not given", T1));
        }

        @Test
        void cancelOrder_isANoOp_whenAlreadyCancelled() {
            assertThat(when(given(PLACED, CANCELLED), new CancelOrder(ID, "again", T1))).isEmpty();
        }

        @Test
        void cancelOrder_fails_forAShippedOrder() {
            assertRejected(given(PLACED, CONFIRMED, SHIPPED), new CancelOrder(ID, "late", T1),
                    OrderRejected.Kind.NOT_ALLOWED, "order_shipped", null);
        }

        @Test
        void cancelOrder_fails_forAnOverlongReason() {
            assertRejected(given(PLACED), new CancelOrder(ID, "x".repeat(OrderDecider.MAX_TEXT + 1), T1),
                    OrderRejected.Kind.INVALID, "invalid_command", "reason");
        }
    }

    @Nested
    class ShippingAnOrder {

        @Test
        void shipOrder_shipsAConfirmedOrder() {
            assertThat(when(given(PLACED, CONFIRMED), new ShipOrder(ID, T1))).containsExactly(new OrderShipped(ID, T1));
        }

        @Test
        void shipOrder_fails_beforeConfirmation() {
            assertRejected(given(PLACED), new ShipOrder(ID, T1), OrderRejected.Kind.NOT_ALLOWED,
                    "order_not_confirmed", null);
        }

        @Test
        void shipOrder_fails_forACancelledOrder() {
            assertRejected(given(PLACED, CONFIRMED, CANCELLED), new ShipOrder(ID, T1),
                    OrderRejected.Kind.NOT_ALLOWED, "order_cancelled", null);
        }

        @Test
        void shipOrder_isANoOp_whenAlreadyShipped() {
            assertThat(when(given(PLACED, CONFIRMED, SHIPPED), new ShipOrder(ID, T1))).isEmpty();
        }
    }

    @Test
    void fold_followsTheLifecycle() {
        assertThat(OrderDecider.fold(given(PLACED, CONFIRMED)))
                .isEqualTo(new Confirmed(ID, "c-1", "EUR", List.of(BOOK, PEN)));
        assertThat(OrderDecider.fold(given(PLACED, CONFIRMED, SHIPPED))).isEqualTo(new Shipped(ID));
        assertThat(OrderDecider.fold(given(PLACED, CANCELLED))).isEqualTo(new Cancelled(ID, "changed mind"));
    }
}
