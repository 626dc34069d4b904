package dev.switchboard.platform.streaming;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a subscriber is in a topic: for every partition, the offset of the next record to read. Its text form,
 * {@code 0:15,1:20,2:7}, is each event's id (the SSE {@code Last-Event-ID} to resume from): resuming there delivers
 * every later event of every partition once, with no gap.
 */
public record StreamPosition(Map<Integer, Long> next) {

    public StreamPosition {
        next = Map.copyOf(next);
    }

    /**
     * @throws IllegalArgumentException
     *             when the text is not {@code partition:offset} pairs separated by commas
     */
    public static StreamPosition parse(String text) {
        var next = new TreeMap<Integer, Long>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a position is partition:offset pairs, e.g. 0:15,1:20,2:7");
            }
            try {
                int partition = Integer.parseInt(parts[0].trim());
                long offset = Long.parseLong(parts[1].trim());
                if (partition < 0 || offset < 0 || next.put(partition, offset) != null) {
                    throw new IllegalArgumentException("partitions and offsets are distinct and >= 0");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a position is partition:offset pairs, e.g. 0:15,1:20,2:7");
            }
        }
        return new StreamPosition(next);
    }

    /** The position after the record at {@code offset} of {@code partition}. */
    public StreamPosition after(int partition, long offset) {
        var moved = new TreeMap<>(next);
        moved.put(partition, offset + 1);
        return new StreamPosition(moved);
    }

    @Override
    public String toString() {
        return new TreeMap<>(next).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
