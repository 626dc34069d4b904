package dev.switchboard.platform.outbox;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Apicurio's default datum provider, with its writers cached by schema: the default computes the schema's
 * fingerprint (a full normalisation of the schema) for every record it serializes, which a profile of the relay
 * showed among its largest costs. Generated records share one schema object per class, so this lookup is
 * cheap. Set on the relay's channel with {@code apicurio.registry.avro-datum-provider}; written by hand because
 * the serde offers no such cache.
 */
@RegisterForReflection
public class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private final ConcurrentHashMap<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return writers.computeIfAbsent(schema, ignored -> super.createDatumWriter(data, schema));
    }
}
