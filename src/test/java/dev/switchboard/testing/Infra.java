package dev.switchboard.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts a local service through the project's own scripts (infra/down, infra/up), as an operator would. */
public final class Infra {

    private Infra() {
    }

    public static void down(String service) {
        run("down", service);
    }

    public static void up(String service) {
        run("up", service);
    }

    private static void run(String verb, String service) {
        List<String> command = new ArrayList<>(List.of(Path.of("infra", verb).toAbsolutePath().toString(), service));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("infra/" + verb + " " + service + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run infra/" + verb, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
