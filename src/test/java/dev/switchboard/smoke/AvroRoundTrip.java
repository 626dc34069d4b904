package dev.switchboard.smoke;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.switchboard.wire.orders.OrderPlaced;

/**
 * Writes Avro {@link OrderPlaced} records to topic {@code switchboard.smoke} (channel {@value #OUT}, Apicurio
 * serializer) and keeps what channel {@value #IN} reads back from the same topic with the Apicurio deserializer.
 */
@ApplicationScoped
public class AvroRoundTrip {

    static final String OUT = "smoke-avro-out";
    static final String IN = "smoke-avro-in";
    static final String TOPIC = "switchboard.smoke";

    private final MutinyEmitter<OrderPlaced> emitter;
    private final Map<String, ConsumerRecord<String, OrderPlaced>> received = new ConcurrentHashMap<>();

    AvroRoundTrip(@Channel(OUT) MutinyEmitter<OrderPlaced> emitter) {
        this.emitter = emitter;
    }

    /** Completes once the broker acknowledged the record. */
    Uni<Void> send(OrderPlaced record) {
        var key = OutgoingKafkaRecordMetadata.<String>builder().withKey(record.getOrderId()).build();
        return emitter.sendMessage(Message.of(record).addMetadata(key));
    }

    @Incoming(IN)
    void receive(ConsumerRecord<String, OrderPlaced> record) {
        received.put(record.key(), record);
    }

    Optional<ConsumerRecord<String, OrderPlaced>> received(String orderId) {
        return Optional.ofNullable(received.get(orderId));
    }
}
