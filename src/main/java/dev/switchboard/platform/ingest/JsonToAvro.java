package dev.switchboard.platform.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an event's {@code data} — plain JSON as outside producers write it — into an Avro record of a registry
 * schema, naming the first field that does not fit. Written here because Avro's own JSON decoder takes only
 * Avro's JSON encoding (every union value tagged with its type) and reports a mismatch without saying where.
 * <p>
 * The mapping: objects are records (every field the schema has without a default must be there, no field it does
 * not have may be), arrays, maps, strings, numbers and booleans as they are; {@code null} or the one other branch
 * for a union of null and one type; for other unions Avro's tagged form {@code {"type": value}}; enum symbols as
 * strings; timestamps as epoch numbers or ISO-8601 strings, dates as day numbers or {@code yyyy-MM-dd}; bytes and
 * fixed as base64.
 */
final class JsonToAvro {

    private JsonToAvro() {
    }

    /**
     * @throws SchemaViolation
     *             naming the field (from {@code path}) that does not fit the schema
     */
    static GenericRecord record(Schema schema, JsonNode data, String path) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(schema.getFullName() + " is not a record schema");
        }
        return (GenericRecord) value(schema, data, path);
    }

    private static Object value(Schema schema, JsonNode node, String path) {
        return switch (schema.getType()) {
            case RECORD -> recordValue(schema, node, path);
            case ARRAY -> array(schema, node, path);
            case MAP -> map(schema, node, path);
            case UNION -> union(schema, node, path);
            case ENUM -> enumSymbol(schema, node, path);
            case STRING -> text(node, path, "a string");
            case INT -> integer(schema, node, path);
            case LONG -> longValue(schema, node, path);
            case FLOAT -> {
                float value = (float) number(node, path);
                if (!Float.isFinite(value)) {
                    throw new SchemaViolation(path, "out of range for a float");
                }
                yield value;
            }
            case DOUBLE -> number(node, path);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new SchemaViolation(path, "expected true or false");
                }
                yield node.booleanValue();
            }
            case NULL -> {
                if (!node.isNull()) {
                    throw new SchemaViolation(path, "expected null");
                }
                yield null;
            }
            case BYTES -> ByteBuffer.wrap(base64(node, path));
            case FIXED -> {
                byte[] bytes = base64(node, path);
                if (bytes.length != schema.getFixedSize()) {
                    throw new SchemaViolation(path,
                            "expected " + schema.getFixedSize() + " bytes, got " + bytes.length);
                }
                yield new GenericData.Fixed(schema, bytes);
            }
        };
    }

    private static GenericRecord recordValue(Schema schema, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new SchemaViolation(path, "expected an object (" + schema.getName() + ")");
        }
        var record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode child = node.get(field.name());
            String childPath = path + "." + field.name();
            if (child == null) {
                if (!field.hasDefaultValue()) {
                    throw new SchemaViolation(childPath, "required");
                }
                record.put(field.pos(),
                        GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field)));
            } else {
                record.put(field.pos(), value(field.schema(), child, childPath));
            }
        }
        for (var names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new SchemaViolation(path + "." + name, "not a field of " + schema.getName());
            }
        }
        return record;
    }

    private static List<Object> array(Schema schema, JsonNode node, String path) {
        if (!node.isArray()) {
            throw new SchemaViolation(path, "expected an array");
        }
        var items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(value(schema.getElementType(), node.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    private static Map<String, Object> map(Schema schema, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new SchemaViolation(path, "expected an object (a map)");
        }
        var entries = new LinkedHashMap<String, Object>();
        node.properties().forEach(e -> entries.put(e.getKey(),
                value(schema.getValueType(), e.getValue(), path + "." + e.getKey())));
        return entries;
    }

    private static Object union(Schema schema, JsonNode node, String path) {
        List<Schema> branches = schema.getTypes();
        if (node.isNull() && branches.stream().anyMatch(b -> b.getType() == Schema.Type.NULL)) {
            return null;
        }
        List<Schema> others = branches.stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        if (others.size() == 1) {
            return value(others.get(0), node, path);
        }
        if (node.isObject() && node.size() == 1) {
            String tag = node.fieldNames().next();
            for (Schema branch : others) {
                if (tag.equals(branch.getFullName()) || tag.equals(branch.getName())) {
                    return value(branch, node.get(tag), path + "." + tag);
                }
            }
        }
        throw new SchemaViolation(path, "a union of " + others.stream().map(Schema::getName).toList()
                + ": give the value as {\"<type>\": value}");
    }

    private static GenericData.EnumSymbol enumSymbol(Schema schema, JsonNode node, String path) {
        String symbol = text(node, path, "one of " + schema.getEnumSymbols());
        if (!schema.hasEnumSymbol(symbol)) {
            throw new SchemaViolation(path, "expected one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, symbol);
    }

    private static String text(JsonNode node, String path, String expected) {
        if (!node.isTextual()) {
            throw new SchemaViolation(path, "expected " + expected);
        }
        return node.textValue();
    }

    private static int integer(Schema schema, JsonNode node, String path) {
        if (schema.getLogicalType() instanceof LogicalTypes.Date && node.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(node.textValue()).toEpochDay());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new SchemaViolation(path, "expected a date (yyyy-MM-dd)");
            }
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new SchemaViolation(path, "expected a 32-bit integer");
        }
        return node.intValue();
    }

    private static long longValue(Schema schema, JsonNode node, String path) {
        LogicalType logical = schema.getLogicalType();
        boolean millis = logical instanceof LogicalTypes.TimestampMillis;
        boolean micros = logical instanceof LogicalTypes.TimestampMicros;
        if ((millis || micros) && node.isTextual()) {
            try {
                Instant instant = Instant.parse(node.textValue());
                return millis
                        ? instant.toEpochMilli()
                        : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                                instant.getNano() / 1_000);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new SchemaViolation(path, "expected an ISO-8601 instant (2026-12-01T10:15:30Z) or epoch "
                        + (millis ? "milliseconds" : "microseconds"));
            }
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new SchemaViolation(path, "expected a 64-bit integer");
        }
        return node.longValue();
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw new SchemaViolation(path, "expected a number");
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            throw new SchemaViolation(path, "out of range for a double");
        }
        return value;
    }

    private static byte[] base64(JsonNode node, String path) {
        try {
            return Base64.getDecoder().decode(text(node, path, "base64 text"));
        } catch (IllegalArgumentException e) {
            throw new SchemaViolation(path, "expected base64 text");
        }
    }

    /** The data does not fit the schema, at {@link #field}. */
    static final class SchemaViolation extends RuntimeException {

        final String field;

        SchemaViolation(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
