package dev.switchboard.shop.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.switchboard.shop.orders.Money;
import dev.switchboard.shop.orders.OrderEvent;
import dev.switchboard.shop.orders.OrderLine;
import dev.switchboard.shop.orders.OrderWireMapping;
import dev.switchboard.testing.WireRecords;

/** The payments group fed directly (real registry and PostgreSQL): a placement redriven after its cancel. */
@QuarkusTest
class PaymentsConsumerTest {

    @Inject
    PaymentsConsumer payments;

    @Inject
    Pool pool;

    @Test
    void aPlacementArrivingAfterItsCancel_authorizesNothing() throws Throwable {
        String orderId = UUID.randomUUID().toString();
        var cancelled = new OrderEvent.OrderCancelled(orderId, "customer", Instant.now());
        var placed = new OrderEvent.OrderPlaced(orderId, "c-late-" + orderId, "EUR",
                List.of(new OrderLine("book", 1, new Money(500, "EUR"))), Instant.now());

        apply(cancelled, 2);
        apply(placed, 1);

        assertThat(pool.preparedQuery("SELECT count(*) FROM payment WHERE order_id = $1")
                .executeAndAwait(Tuple.of(orderId)).iterator().next().getLong(0)).isZero();
    }

    private void apply(OrderEvent event, long sequence) throws Throwable {
        var record = WireRecords.consumed("shop.orders", OrderWireMapping.typeOf(event), event.orderId(), sequence,
                OrderWireMapping.toWire(event));
        VertxContextSupport.subscribeAndAwait(() -> payments.on(record));
    }
}
