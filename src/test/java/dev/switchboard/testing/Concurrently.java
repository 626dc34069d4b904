package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs the same action on several threads released at the same instant, to provoke races. */
public final class Concurrently {

    private Concurrently() {
    }

    /** What one run did: its result, or the exception it threw. */
    public record Outcome<T>(T result, Throwable failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    public static <T> List<Outcome<T>> run(int threads, Callable<T> action) throws InterruptedException {
        var start = new CountDownLatch(1);
        var outcomes = new ArrayList<Outcome<T>>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            var futures = new ArrayList<Future<T>>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return action.call();
                }));
            }
            start.countDown();
            for (var future : futures) {
                try {
                    outcomes.add(new Outcome<>(future.get(), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                }
            }
        }
        return outcomes;
    }
}
