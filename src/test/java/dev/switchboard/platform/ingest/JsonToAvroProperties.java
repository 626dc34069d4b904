package dev.switchboard.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The ingest validator on random events: an outside team's schema (the one IngestTest registers: enum, array, map,
 * optional nested record, timestamp), valid {@code data} with zero to three mutations. Whatever comes, the data is
 * either accepted, and then the record is valid for the schema and survives Avro's binary encoding unchanged, or
 * refused naming a field, and then it is refused exactly when a mutation broke it, naming a field a mutation
 * touched.
 */
class JsonToAvroProperties {

    static final Schema SCHEMA = new Schema.Parser().parse(IngestTest.SCHEMA);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A change to valid data: where it lands, and whether the data is still valid after it. */
    record Mutation(String name, String path, boolean breaks, java.util.function.Consumer<ObjectNode> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Property(tries = 3000)
    void dataIsAcceptedAndDecodable_orRefusedNamingAFieldAMutationBroke(@ForAll("valid") ObjectNode data,
            @ForAll("mutations") List<Mutation> mutations) throws IOException {
        for (Mutation mutation : mutations) {
            mutation.apply().accept(data);
        }
        // Judged by the last mutation at each path (a later one may put back what an earlier one took away).
        var last = new java.util.LinkedHashMap<String, Mutation>();
        mutations.forEach(m -> last.put(m.path(), m));
        Set<String> broken = new java.util.HashSet<>();
        last.values().stream().filter(Mutation::breaks).forEach(m -> broken.add(m.path()));
        JsonNode received = MAPPER.readTree(MAPPER.writeValueAsBytes(data)); // as it arrives over the wire

        var refusal = catchThrowableOfType(JsonToAvro.SchemaViolation.class,
                () -> roundTrip(JsonToAvro.record(SCHEMA, received, "data")));
        if (broken.isEmpty()) {
            assertThat(refusal).as("valid data refused").isNull();
        } else {
            assertThat(refusal).as("broken data accepted: " + mutations).isNotNull();
            assertThat(broken).as(refusal == null ? "" : refusal.field)
                    .anySatisfy(path -> assertThat(refusal.field).startsWith(path));
        }
    }

    private static void roundTrip(GenericRecord record) {
        assertThat(GenericData.get().validate(SCHEMA, record)).isTrue();
        try {
            var out = new ByteArrayOutputStream();
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(SCHEMA).write(record, encoder);
            encoder.flush();
            GenericRecord back = new GenericDatumReader<GenericRecord>(SCHEMA).read(null,
                    DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            assertThat(back).isEqualTo(record);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<ObjectNode> valid() {
        var site = Combinators.combine(finite(), finite()).as((lat, lon) -> {
            ObjectNode node = JSON.objectNode();
            node.put("lat", lat);
            node.put("lon", lon);
            return (JsonNode) node;
        }).injectNull(0.4);
        var takenAt = Arbitraries.oneOf(Arbitraries.longs().between(0, 4_000_000_000_000L).map(JSON::numberNode),
                Arbitraries.of("2026-12-01T10:15:30Z", "2026-12-01T10:15:30.123Z").map(JSON::textNode));
        return Combinators.combine(Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(40), finite(),
                Arbitraries.of("CELSIUS", "PASCAL"), Arbitraries.integers().list().ofMaxSize(5),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5),
                        Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(10)).ofMaxSize(3),
                site, takenAt).as((sensor, value, unit, samples, labels, where, at) -> {
                    ObjectNode node = JSON.objectNode();
                    node.put("sensorId", sensor);
                    node.put("value", value);
                    node.put("unit", unit);
                    samples.forEach(node.putArray("samples")::add);
                    if (samples.isEmpty() && sensor.length() % 2 == 0) {
                        node.remove("samples"); // defaulted fields may be left out
                    }
                    ObjectNode map = node.putObject("labels");
                    labels.forEach(map::put);
                    node.set("site", where == null ? JSON.nullNode() : where);
                    node.set("takenAt", at);
                    return node;
                });
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        List<Mutation> all = new ArrayList<>();
        for (String required : List.of("sensorId", "value", "unit", "takenAt")) {
            all.add(new Mutation("drop " + required, "data." + required, true, d -> d.remove(required)));
        }
        for (String defaulted : List.of("samples", "labels", "site")) {
            all.add(new Mutation("drop " + defaulted, "data." + defaulted, false, d -> d.remove(defaulted)));
        }
        all.add(new Mutation("sensorId a number", "data.sensorId", true, d -> d.put("sensorId", 42)));
        all.add(new Mutation("value a string", "data.value", true, d -> d.put("value", "warm")));
        all.add(new Mutation("value too big", "data.value", true, d -> d.set("value",
                JSON.numberNode(new java.math.BigDecimal("1e400")))));
        all.add(new Mutation("unknown unit", "data.unit", true, d -> d.put("unit", "KELVIN")));
        all.add(new Mutation("a sample not an int", "data.samples", true, d -> d.putArray("samples").add("x")));
        all.add(new Mutation("a sample past 32 bits", "data.samples", true,
                d -> d.putArray("samples").add(1L << 40)));
        all.add(new Mutation("a label not text", "data.labels", true, d -> d.putObject("labels").put("a", 1)));
        all.add(new Mutation("site without lon", "data.site", true, d -> d.putObject("site").put("lat", 1.0)));
        all.add(new Mutation("site a string", "data.site", true, d -> d.put("site", "Hamburg")));
        all.add(new Mutation("takenAt not a time", "data.takenAt", true, d -> d.put("takenAt", "yesterday")));
        all.add(new Mutation("a field the schema lacks", "data.extra", true, d -> d.put("extra", true)));
        all.add(new Mutation("sensorId null", "data.sensorId", true, d -> d.putNull("sensorId")));
        return Arbitraries.of(all).list().ofMaxSize(3);
    }

    private static Arbitrary<Double> finite() {
        return Arbitraries.doubles().between(-1e6, 1e6);
    }
}
