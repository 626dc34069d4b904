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

    /** Stops a service and fails unless it really stopped (one these scripts did not start is left alone). */
    public static void down(String service) {
        run("down", service);
        if (run("status", service)) {
            throw new AssertionError(service + " still answers after infra/down: it was not started by this"
                    + " clone's scripts, so a test cannot stop it (stop it yourself, then let infra/up start it)");
        }
    }

    public static void up(String service) {
        run("up", service);
    }

    /** Runs infra/VERB SERVICE; answers whether it exited 0 (infra/up and infra/down must). */
    private static boolean run(String verb, String service) {
        List<String> command = new ArrayList<>(List.of(Path.of("infra", verb).toAbsolutePath().toString(), service));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("infra/" + verb + " " + service + " timed out");
            }
            boolean ok = process.exitValue() == 0;
            if (!ok && !verb.equals("status")) {
                throw new AssertionError("infra/" + verb + " " + service + " failed");
            }
            return ok;
        } catch (IOException e) {
            throw new AssertionError("cannot run infra/" + verb, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
