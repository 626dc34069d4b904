package dev.switchboard.platform.inbox;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * What consumers did, for operators: {@code switchboard.events.consumed} by group, event type and outcome
 * ({@code applied}, {@code duplicate}: a redelivery the inbox or the version check absorbed, {@code failed}: an
 * attempt that threw, then retried or dead-lettered, {@code dead_lettered}: an event the group gave up on, counted
 * when its dead letter is collected) and {@code switchboard.event.processing} (seconds per event, by group, as a
 * histogram). Dead letters by group and status are {@code switchboard.dead.letters}.
 */
@ApplicationScoped
public class ConsumerMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerMetrics.class);

    private final MeterRegistry registry;

    ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Runs one event's processing, counting its outcome and timing it. */
    public Uni<Inbox.Outcome> measure(String group, String type, Supplier<Uni<Inbox.Outcome>> processing) {
        Timer.Sample sample = Timer.start(registry);
        return Uni.createFrom().<Inbox.Outcome>deferred(processing::get)
                .invoke(outcome -> {
                    String name = outcome == Inbox.Outcome.APPLIED ? "applied" : "duplicate";
                    LOG.debugf("%s: %s %s", group, type, name);
                    count(group, type, name);
                    sample.stop(Timer.builder("switchboard.event.processing").tag("group", group)
                            .publishPercentileHistogram().register(registry));
                })
                .onFailure().invoke(failure -> {
                    LOG.warnf("%s: %s failed, to be retried or dead-lettered: %s", group, type, failure.toString());
                    count(group, type, "failed");
                });
    }

    /**
     * Counts an event the group gave up on. The dead-letter collector calls it once per dead-letter record it
     * stores, because only the connector's failure strategy knows that no retry follows.
     */
    public void deadLettered(String group, String type) {
        count(group, type, "dead_lettered");
    }

    private void count(String group, String type, String outcome) {
        Counter.builder("switchboard.events.consumed").tag("group", group).tag("type", String.valueOf(type))
                .tag("outcome", outcome).register(registry).increment();
    }
}
