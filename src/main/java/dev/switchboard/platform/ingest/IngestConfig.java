package dev.switchboard.platform.ingest;

import java.util.Map;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** HTTP ingest ({@code POST /topics/{topic}/events}): which topics take which event types, and how much at once. */
@ConfigMapping(prefix = "switchboard.ingest")
public interface IngestConfig {

    /** The largest body taken, one event or a batch; a larger one is refused whole with 413. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** The most events in one batch. */
    @WithDefault("500")
    int maxBatchSize();

    /** Topics open to HTTP producers, by name; any other answers 404. */
    Map<String, Topic> topics();

    interface Topic {

        /**
         * The event types the topic takes, each with the full name of its Avro record schema
         * ({@code namespace.Name}), which is where the registry keeps it (group = namespace, artifact = name, as
         * the serializer's RecordIdStrategy looks it up).
         */
        Map<String, String> types();
    }
}
