package dev.switchboard.platform.streaming;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Live event streams to HTTP clients ({@code GET /streams/{topic}}). */
@ConfigMapping(prefix = "switchboard.streams")
public interface StreamsConfig {

    /** The topics clients may subscribe to; any other answers 404. */
    List<String> topics();

    /**
     * Events buffered for one subscriber that does not keep up; past this the subscriber is told
     * ({@code slow-consumer}, with the position to resume from) and disconnected, so it never slows the others.
     */
    @WithDefault("1024")
    int bufferSize();

    /**
     * How often a stream sends a heartbeat, so that proxies and clients see it alive; skipped when something else
     * was sent since the last one was due (so an idle stream writes at least every two periods).
     */
    @WithDefault("15s")
    Duration heartbeat();

    /** How long before its token expires a socket is sent a {@code reauth} frame. */
    @WithDefault("30s")
    Duration reauthBefore();

    /**
     * The text of the frames (in characters) that may wait on one socket for their answers, held back behind a
     * {@code subscribe} or an {@code auth} being answered; a socket with more is closed with 1008
     * {@code too_many_frames}.
     */
    @WithDefault("262144")
    int maxHeldFrameChars();

    /** Sockets one subject may hold open at once; the next is closed with 4429 {@code too_many_sockets}. */
    @WithDefault("16")
    int maxSocketsPerSubject();
}
