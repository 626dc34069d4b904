package dev.switchboard.platform.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonDecoder;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as Avro's own JSON encoding. Events are stored (event store, outbox) in this form: readable in
 * SQL, and read back through the schema, so stored events follow the same evolution rules as the wire.
 */
public final class AvroJson {

    private AvroJson() {
    }

    // Building a JSON encoder or decoder compiles the schema into a grammar, which costs more than the
    // encoding itself; each thread keeps one per schema and re-points it at the next input or output.
    private static final ThreadLocal<Map<Schema, JsonEncoder>> ENCODERS = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<Map<Schema, JsonDecoder>> DECODERS = ThreadLocal.withInitial(HashMap::new);

    public static String encode(IndexedRecord record) {
        Schema schema = record.getSchema();
        try {
            var out = new ByteArrayOutputStream();
            JsonEncoder encoder = ENCODERS.get().get(schema);
            if (encoder == null) {
                encoder = EncoderFactory.get().jsonEncoder(schema, out);
                ENCODERS.get().put(schema, encoder);
            } else {
                encoder.configure(out);
            }
            // The specific writer writes generic records too (by field position).
            new SpecificDatumWriter<IndexedRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getFullName() + " as Avro JSON", e);
        }
    }

    public static <T extends SpecificRecord> T decode(Class<T> type, String json) {
        Schema schema = SpecificData.get().getSchema(type);
        try {
            JsonDecoder decoder = DECODERS.get().get(schema);
            if (decoder == null) {
                decoder = DecoderFactory.get().jsonDecoder(schema, json);
                DECODERS.get().put(schema, decoder);
            } else {
                decoder.configure(json);
            }
            return new SpecificDatumReader<T>(schema).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot decode Avro JSON as " + schema.getFullName(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The generated class of a schema, by the schema's full name (as stored in outbox rows). */
    @SuppressWarnings("unchecked")
    public static Class<? extends SpecificRecord> recordClass(String schemaFullName) {
        try {
            Class<?> type = Class.forName(schemaFullName, true, Thread.currentThread().getContextClassLoader());
            if (!SpecificRecord.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(schemaFullName + " is not a generated Avro record");
            }
            return (Class<? extends SpecificRecord>) type;
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no Avro record class " + schemaFullName, e);
        }
    }
}
