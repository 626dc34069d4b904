package dev.switchboard.shop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.switchboard.platform.envelope.AvroJson;

/** Domain events and their Avro wire form map both ways without loss, also through the stored JSON form. */
class OrderWireMappingTest {

    static List<OrderEvent> events() {
        return List.of(OrderDeciderTest.PLACED, OrderDeciderTest.CONFIRMED, OrderDeciderTest.CANCELLED,
                OrderDeciderTest.SHIPPED);
    }

    @ParameterizedTest
    @MethodSource("events")
    void event_survivesTheWireAndBack(OrderEvent event) {
        var wire = OrderWireMapping.toWire(event);

        assertThat(OrderWireMapping.wireClass(OrderWireMapping.typeOf(event))).isEqualTo(wire.getClass());
        assertThat(OrderWireMapping.fromWire(wire)).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void event_survivesTheStoredAvroJsonAndBack(OrderEvent event) {
        var wire = OrderWireMapping.toWire(event);
        String stored = AvroJson.encode(wire);

        var read = AvroJson.decode(OrderWireMapping.wireClass(OrderWireMapping.typeOf(event)), stored);

        assertThat(OrderWireMapping.fromWire(read)).isEqualTo(event);
        assertThat(AvroJson.recordClass(wire.getSchema().getFullName())).isEqualTo(wire.getClass());
    }

    @Test
    void placedOnTheWire_carriesTheOrderCurrencyAndMinorUnits() {
        var wire = (dev.switchboard.wire.orders.OrderPlaced) OrderWireMapping.toWire(OrderDeciderTest.PLACED);

        assertThat(wire.getCurrency()).isEqualTo("EUR");
        assertThat(wire.getLines()).extracting(dev.switchboard.wire.orders.OrderLine::getUnitPriceMinor)
                .containsExactly(1250L, 300L);
    }

    @Test
    void unknownType_isRefused() {
        assertThatThrownBy(() -> OrderWireMapping.wireClass("order.teleported.v1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
