// Load generator and meter for bench/streams.sh and bench/ingest.sh (run on purpose, never by CI), launched as a
// single-file program on the service's classpath (target/quarkus-app/lib/main/*: Vert.x for the subscribers).
//   ws N STOPFILE BASE / sse N STOPFILE BASE: opens N WebSocket (/ws/streams) or SSE (/streams/shop.orders)
//       subscribers to order.placed.v1, prints "ready" once all are open, then until STOPFILE exists counts the events
//       delivered and, on every tenth subscriber, the delivery latency of each (receipt minus the event's own time,
//       which the command handler set when it committed: command -> outbox -> Kafka -> hub -> subscriber). Prints
//       "<mode> <n> <events delivered> <p50 ms> <p99 ms> <max ms> <subscribers lost>".
//   orders RATE SECONDS BASE: places RATE orders a second for SECONDS (POST /orders). Prints "orders <sent> <ok>".
//   ingest BATCH CONCURRENCY WARMUP SECONDS BASE: CONCURRENCY clients each posting batches of BATCH
//       parcel.scanned.v1 events to /topics/carrier.updates/events, WARMUP seconds unmeasured, then SECONDS
//       measured. Prints "ingest <events> <seconds> <events/s> <refused> <events written in all>".
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;

public class StreamsLoad {

    /** The token bench/lib.sh mints (infra/token) for every request and socket of the load. */
    static final String BEARER = "Bearer " + System.getenv("SWITCHBOARD_BENCH_TOKEN");

    /** Latencies in whole milliseconds, 0 .. 60 s (more counts as 60 s). */
    static final AtomicLongArray HISTOGRAM = new AtomicLongArray(60_001);
    static final AtomicLong LOST = new AtomicLong();
    static volatile boolean measuring;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ws", "sse" -> subscribers(args[0], Integer.parseInt(args[1]), java.nio.file.Path.of(args[2]), args[3]);
            case "orders" -> orders(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            case "mix" -> mix(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            case "ingest" -> ingest(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), args[5]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static void subscribers(String mode, int n, java.nio.file.Path stop, String base) throws Exception {
        // Vert.x clients (Netty, a few event loops): the JDK's own WebSocket and HTTP clients spend more CPU per
        // message than the server does, and client and server share the machine's cores.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        URI uri = URI.create(base);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort()).setMaxPoolSize(n).setMaxWebSockets(n).setMaxWaitQueueSize(-1)
                .setKeepAlive(true).setIdleTimeout(0));
        var opened = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < n; i++) {
            boolean timed = i % TIMED_EVERY == 0;
            opened.add(mode.equals("ws") ? openSocket(client, timed) : openStream(client, timed));
            if (i % 200 == 199) {
                CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.err.println("ready");
        measuring = true;
        while (!java.nio.file.Files.exists(stop)) {
            Thread.sleep(200);
        }
        measuring = false;
        long timed = 0;
        for (int i = 0; i < HISTOGRAM.length(); i++) {
            timed += HISTOGRAM.get(i);
        }
        System.out.printf("%s %d %d %d %d %d %d%n", mode, n, DELIVERED.get(), percentile(timed, 0.50),
                percentile(timed, 0.99), percentile(timed, 1.0), LOST.get());
    }

    static long percentile(long total, double q) {
        long rank = Math.max(1, (long) Math.ceil(total * q));
        long seen = 0;
        for (int i = 0; i < HISTOGRAM.length(); i++) {
            seen += HISTOGRAM.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return -1;
    }

    static final byte[] TIME = "\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    static final AtomicLong DELIVERED = new AtomicLong();
    /** One subscriber in TIMED_EVERY parses each event's time; all count what they receive. */
    static final int TIMED_EVERY = 10;

    /**
     * Counts the events in what arrived (a frame, or an SSE chunk that may hold several) and, for a timed
     * subscriber, records each one's latency. The client shares the machine's two cores with the server, so it
     * does as little as it can per message.
     */
    static void received(Buffer data, boolean sse, boolean timed) {
        if (!measuring) {
            return;
        }
        byte[] bytes = data.getBytes();
        if (sse) {
            DELIVERED.addAndGet(count(bytes, DATA));
        } else if (bytes.length > 120) { // an event frame (acknowledgements and heartbeats are short)
            DELIVERED.incrementAndGet();
        }
        if (!timed) {
            return;
        }
        long now = System.currentTimeMillis();
        for (int at = indexOf(bytes, TIME, 0); at >= 0; at = indexOf(bytes, TIME, at + 1)) {
            int from = at + TIME.length;
            int to = from;
            while (to < bytes.length && bytes[to] != '"') {
                to++;
            }
            long latency = now - Instant.parse(new String(bytes, from, to - from, StandardCharsets.US_ASCII))
                    .toEpochMilli();
            HISTOGRAM.incrementAndGet((int) Math.max(0, Math.min(60_000, latency)));
        }
    }

    static int count(byte[] bytes, byte[] token) {
        int found = 0;
        for (int at = indexOf(bytes, token, 0); at >= 0; at = indexOf(bytes, token, at + 1)) {
            found++;
        }
        return found;
    }

    static int indexOf(byte[] bytes, byte[] token, int from) {
        outer: for (int i = from; i <= bytes.length - token.length; i++) {
            for (int k = 0; k < token.length; k++) {
                if (bytes[i + k] != token[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static CompletableFuture<?> openSocket(HttpClient client, boolean timed) {
        return client.webSocket(new io.vertx.core.http.WebSocketConnectOptions().setURI("/ws/streams")
                .addHeader("Authorization", BEARER)).onSuccess(socket -> {
            socket.frameHandler(frame -> {
                if (frame.isText() || frame.isContinuation()) {
                    Buffer data = frame.binaryData();
                    if (data.length() < 200 && data.toString().contains("\"slow-consumer\"")) {
                        LOST.incrementAndGet();
                    }
                    received(data, false, timed);
                }
            });
            socket.closeHandler(closed -> LOST.incrementAndGet());
            socket.writeTextMessage("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\","
                    + "\"types\":[\"" + System.getProperty("types", "order.placed.v1") + "\"]}");
        }).toCompletionStage().toCompletableFuture();
    }

    static CompletableFuture<?> openStream(HttpClient client, boolean timed) {
        return client.request(HttpMethod.GET, "/streams/shop.orders?types=" + System.getProperty("types", "order.placed.v1"))
                .compose(request -> request.putHeader("Accept", "text/event-stream")
                        .putHeader("Authorization", BEARER).send())
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        LOST.incrementAndGet();
                    }
                    response.handler(data -> received(data, true, timed));
                    response.endHandler(end -> LOST.incrementAndGet());
                    response.exceptionHandler(failure -> LOST.incrementAndGet());
                }).toCompletionStage().toCompletableFuture();
    }

    static void orders(int rate, int seconds, String base) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var sent = new AtomicLong();
        var ok = new AtomicLong();
        var timer = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = 1_000_000L / rate;
        timer.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            String body = "{\"customerId\":\"bench-" + (sent.get() % 1000) + "\",\"lines\":[{\"sku\":\"bench-sku\","
                    + "\"quantity\":1,\"unitPrice\":{\"amountMinor\":100,\"currency\":\"EUR\"}}]}";
            client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("Content-Type", "application/json").header("Authorization", BEARER)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
                        if (r.statusCode() == 201) {
                            ok.incrementAndGet();
                        }
                    });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        timer.shutdownNow();
        Thread.sleep(2000);
        System.out.printf("orders %d %d%n", sent.get(), ok.get());
    }

    /**
     * A steady mix of commands at RATE a second for SECONDS: mostly placements, and cancels and ships of orders
     * placed earlier (If-Match: *, so a ship before the saga confirmed is refused with its reason). Prints
     * "mix <sent> <accepted> <rejected> <unreachable>" and then one line per refusal code and count.
     */
    static void mix(int rate, int seconds, String base) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(2)).build();
        var sent = new AtomicLong();
        var accepted = new AtomicLong();
        var unreachable = new AtomicLong();
        var reasons = new java.util.concurrent.ConcurrentHashMap<String, AtomicLong>();
        var placed = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var random = new java.util.Random(42);
        var timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            int dice = random.nextInt(10);
            HttpRequest.Builder request;
            if (dice < 6 || placed.isEmpty()) {
                request = HttpRequest.newBuilder(URI.create(base + "/orders")).POST(HttpRequest.BodyPublishers
                        .ofString("{\"customerId\":\"chaos-" + random.nextInt(100) + "\",\"lines\":[{\"sku\":"
                                + "\"chaos-sku\",\"quantity\":1,\"unitPrice\":{\"amountMinor\":100,"
                                + "\"currency\":\"EUR\"}}]}"));
            } else {
                String order = placed.get(random.nextInt(placed.size()));
                String action = dice < 8 ? "cancel" : "ship";
                request = HttpRequest.newBuilder(URI.create(base + "/orders/" + order + "/" + action))
                        .header("If-Match", "*").POST(HttpRequest.BodyPublishers.ofString(
                                action.equals("cancel") ? "{\"reason\":\"chaos\"}" : ""));
            }
            client.sendAsync(request.header("Content-Type", "application/json").header("Authorization", BEARER)
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            unreachable.incrementAndGet();
                        } else if (response.statusCode() < 300) {
                            accepted.incrementAndGet();
                            var id = java.util.regex.Pattern.compile("\"orderId\":\"([^\"]+)\"")
                                    .matcher(response.body());
                            if (response.statusCode() == 201 && id.find()) {
                                placed.add(id.group(1));
                            }
                        } else {
                            var code = java.util.regex.Pattern.compile("\"code\":\"([^\"]+)\"")
                                    .matcher(response.body());
                            String reason = response.statusCode() + " " + (code.find() ? code.group(1) : "");
                            reasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
                        }
                    });
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        timer.shutdownNow();
        Thread.sleep(11_000);
        long rejected = reasons.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf("mix %d %d %d %d%n", sent.get(), accepted.get(), rejected, unreachable.get());
        reasons.forEach((reason, count) -> System.out.printf("rejected %s %d%n", reason, count.get()));
    }

    static void ingest(int batch, int concurrency, int warmup, int seconds, String base) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var events = new AtomicLong();
        var total = new AtomicLong();
        var refused = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        var workers = new ArrayList<Thread>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < until) {
                    var body = new StringBuilder("[");
                    for (int i = 0; i < batch; i++) {
                        String order = UUID.randomUUID().toString();
                        body.append(i == 0 ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"")
                                .append(UUID.randomUUID()).append("\",\"source\":\"urn:bench:carrier\",")
                                .append("\"type\":\"parcel.scanned.v1\",\"subject\":\"").append(order)
                                .append("\",\"data\":{\"orderId\":\"").append(order)
                                .append("\",\"trackingNumber\":\"1Z999AA10123456784\",\"status\":\"IN_TRANSIT\",")
                                .append("\"location\":\"Hamburg\",\"scannedAt\":\"2026-12-01T10:15:30Z\"}}");
                    }
                    body.append(']');
                    try {
                        var response = client.send(HttpRequest.newBuilder(URI.create(base
                                + "/topics/carrier.updates/events"))
                                .header("Content-Type", "application/cloudevents-batch+json")
                                .header("Authorization", BEARER)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        boolean counted = System.nanoTime() >= measureFrom && System.nanoTime() < until;
                        if (response.statusCode() == 202) {
                            total.addAndGet(batch);
                            if (counted) {
                                events.addAndGet(batch);
                            }
                        } else {
                            refused.incrementAndGet();
                            System.err.println(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("ingest %d %d %.0f %d %d%n", events.get(), seconds, events.get() / (double) seconds,
                refused.get(), total.get());
    }
}
