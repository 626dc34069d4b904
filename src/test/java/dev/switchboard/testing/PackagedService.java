package dev.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app}, the %prod configuration, as it is deployed) run as a process
 * of its own, pointed at the local servers and the test database by the environment variables a deployment sets.
 * For the integration tests that need what the one instance Quarkus starts in the test JVM cannot show: several
 * instances sharing the consumer groups, stopped with SIGTERM and killed with SIGKILL. Addresses come from the same
 * variables, with the same defaults, as infra/lib/common.sh.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private Process process;

    private PackagedService(String name, int port) {
        this.name = name;
        this.port = port;
        this.log = Path.of("target", "packaged-" + name + ".log");
    }

    /** Starts the instance (its log in target/packaged-NAME.log); {@link #awaitReady} waits for it. */
    public static PackagedService start(String name, int port) throws IOException {
        var service = new PackagedService(name, port);
        Files.deleteIfExists(service.log);
        service.launch();
        return service;
    }

    private void launch() throws IOException {
        Path app = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: integration tests run after mvn package");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "-Xmx512m", "-jar", app.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment());
        process = builder.start();
    }

    /** What a deployment would set (deploy/k8s/base), for the local servers and the test database. */
    private Map<String, String> environment() {
        String keys = LocalServers.env("SWITCHBOARD_KEYS_DIR", LocalServers.env("SWITCHBOARD_DATA_DIR",
                Path.of("infra", "data").toAbsolutePath().toString()) + "/keys");
        return Map.ofEntries(
                Map.entry("QUARKUS_HTTP_PORT", String.valueOf(port)),
                Map.entry("SWITCHBOARD_PG_HOST", LocalServers.PG_HOST),
                Map.entry("SWITCHBOARD_PG_PORT", String.valueOf(LocalServers.PG_PORT)),
                Map.entry("SWITCHBOARD_DB_NAME", LocalServers.TEST_DATABASE),
                Map.entry("SWITCHBOARD_DB_USER", LocalServers.DB_USER),
                Map.entry("SWITCHBOARD_DB_PASSWORD", LocalServers.DB_PASSWORD),
                Map.entry("SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", LocalServers.KAFKA),
                Map.entry("SWITCHBOARD_KAFKA_REPLICATION_FACTOR", "1"),
                Map.entry("SWITCHBOARD_REGISTRY_URL", LocalServers.REGISTRY),
                Map.entry("SWITCHBOARD_RABBITMQ_HOST", LocalServers.RABBITMQ_HOST),
                Map.entry("SWITCHBOARD_RABBITMQ_PORT", String.valueOf(LocalServers.RABBITMQ_PORT)),
                Map.entry("SWITCHBOARD_RABBITMQ_USER", LocalServers.env("SWITCHBOARD_RABBITMQ_USER", "guest")),
                Map.entry("SWITCHBOARD_RABBITMQ_PASSWORD", LocalServers.env("SWITCHBOARD_RABBITMQ_PASSWORD", "guest")),
                Map.entry("SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION", LocalServers.env(
                        "SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION", keys + "/public.pem")),
                Map.entry("SWITCHBOARD_JWT_ISSUER", LocalServers.TOKEN_ISSUER),
                Map.entry("SWITCHBOARD_JWT_AUDIENCE", LocalServers.TOKEN_AUDIENCE),
                // Shorter than a deployment's 5 s and 10 s: long enough to see readiness down while it serves.
                Map.entry("SWITCHBOARD_SHUTDOWN_DELAY", "3s"),
                Map.entry("SWITCHBOARD_SHUTDOWN_TIMEOUT", "5s"));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The HTTP status of GET path, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (status("/q/health/ready") != 200) {
            if (!alive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " (see " + log + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not ready after " + patience + " (see " + log + ")");
            }
            Thread.sleep(200);
        }
    }

    /** Sends SIGTERM, as Kubernetes does to a pod it replaces; {@link #awaitExit} waits for the process to end. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end, and answers its exit code. */
    public int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + patience + " after it was told to stop");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, nothing finished or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts the same instance again (same port, same log). */
    public void restart() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    /** The instance's log so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
    }
}
