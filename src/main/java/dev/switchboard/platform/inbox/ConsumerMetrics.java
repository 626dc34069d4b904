package dev.switchboard.platform.inbox;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * What consumers did, for operators: {@code switchboard.events.consumed} by group, event type and outcome
 * ({@code applied}, {@code duplicate}: a redelivery the inbox or the version check absorbed, {@code failed}: an
 * attempt that threw, retried or then dead-lettered) and {@code switchboard.event.processing} (seconds per event,
 * by group, as a histogram). Dead letters by group and status are {@code switchboard.dead.letters}.
 */
@ApplicationScoped
public class ConsumerMetrics {

    private final MeterRegistry registry;

    ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Runs one event's processing, counting its outcome and timing it. */
    public Uni<Inbox.Outcome> measure(String group, String type, Supplier<Uni<Inbox.Outcome>> processing) {
        Timer.Sample sample = Timer.start(registry);
        return Uni.createFrom().<Inbox.Outcome>deferred(processing::get)
                .invoke(outcome -> {
                    count(group, type, outcome == Inbox.Outcome.APPLIED ? "applied" : "duplicate");
                    sample.stop(Timer.builder("switchboard.event.processing").tag("group", group)
                            .publishPercentileHistogram().register(registry));
                })
                .onFailure().invoke(failure -> count(group, type, "failed"));
    }

    private void count(String group, String type, String outcome) {
        Counter.builder("switchboard.events.consumed").tag("group", group).tag("type", String.valueOf(type))
                .tag("outcome", outcome).register(registry).increment();
    }
}
