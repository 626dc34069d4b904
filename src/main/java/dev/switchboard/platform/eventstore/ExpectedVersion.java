package dev.switchboard.platform.eventstore;

/** What a writer believes the stream's version to be when it appends; the store refuses any other. */
public sealed interface ExpectedVersion {

    boolean matches(int actualVersion);

    static ExpectedVersion noStream() {
        return new NoStream();
    }

    static ExpectedVersion exactly(int version) {
        return new Exactly(version);
    }

    /** The stream must not exist yet (creating an aggregate). */
    record NoStream() implements ExpectedVersion {

        @Override
        public boolean matches(int actualVersion) {
            return actualVersion == 0;
        }
    }

    /** The stream's last event must have this version. */
    record Exactly(int version) implements ExpectedVersion {

        @Override
        public boolean matches(int actualVersion) {
            return actualVersion == version;
        }
    }
}
