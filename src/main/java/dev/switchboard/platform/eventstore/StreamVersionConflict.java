package dev.switchboard.platform.eventstore;

/** An append found the stream at another version than expected: someone else wrote first. */
public class StreamVersionConflict extends RuntimeException {

    private final String streamId;
    private final ExpectedVersion expected;
    private final int actual;

    public StreamVersionConflict(String streamId, ExpectedVersion expected, int actual) {
        super("stream " + streamId + " is at version " + (actual < 0 ? "unknown (concurrent append)" : actual)
                + ", expected " + expected);
        this.streamId = streamId;
        this.expected = expected;
        this.actual = actual;
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The version found, or -1 when a concurrent writer committed between our read and our insert. */
    public int actual() {
        return actual;
    }
}
