// Load generator and meter for bench/streams.sh and bench/ingest.sh (run on purpose, never by CI), launched as a
// single-file program with the JDK alone (its HTTP and WebSocket clients).
//   ws N STOPFILE BASE / sse N STOPFILE BASE: opens N WebSocket (/ws/streams) or SSE (/streams/shop.orders)
//       subscribers to order.placed.v1, prints "ready" once all are open, then until STOPFILE exists measures the delivery
//       latency of each event (receipt minus the event's own time, which the command handler set when it committed:
//       command -> outbox -> Kafka -> hub -> subscriber). Prints "<mode> <n> <events> <p50 ms> <p99 ms> <max ms>
//       <subscribers lost>".
//   orders RATE SECONDS BASE: places RATE orders a second for SECONDS (POST /orders). Prints "orders <sent> <ok>".
//   ingest BATCH CONCURRENCY WARMUP SECONDS BASE: CONCURRENCY clients each posting batches of BATCH
//       parcel.scanned.v1 events to /topics/carrier.updates/events, WARMUP seconds unmeasured, then SECONDS
//       measured. Prints "ingest <events> <seconds> <events/s> <refused> <events written in all>".
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

public class StreamsLoad {

    /** Latencies in whole milliseconds, 0 .. 60 s (more counts as 60 s). */
    static final AtomicLongArray HISTOGRAM = new AtomicLongArray(60_001);
    static final AtomicLong LOST = new AtomicLong();
    static volatile boolean measuring;
    // One client per 500 connections: each JDK client has a single selector thread.
    static final int CONNECTIONS_PER_CLIENT = 500;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ws", "sse" -> subscribers(args[0], Integer.parseInt(args[1]), java.nio.file.Path.of(args[2]), args[3]);
            case "orders" -> orders(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            case "ingest" -> ingest(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), args[5]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static void subscribers(String mode, int n, java.nio.file.Path stop, String base) throws Exception {
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < (n + CONNECTIONS_PER_CLIENT - 1) / CONNECTIONS_PER_CLIENT; i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build());
        }
        var opened = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < n; i++) {
            HttpClient client = clients.get(i / CONNECTIONS_PER_CLIENT);
            opened.add(mode.equals("ws") ? openSocket(client, base) : openStream(client, base));
            if (i % 200 == 199) {
                CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        System.err.println("ready");
        System.out.flush();
        measuring = true;
        while (!java.nio.file.Files.exists(stop)) {
            Thread.sleep(200);
        }
        measuring = false;
        long events = 0;
        for (int i = 0; i < HISTOGRAM.length(); i++) {
            events += HISTOGRAM.get(i);
        }
        System.out.printf("%s %d %d %d %d %d %d%n", mode, n, events, percentile(events, 0.50), percentile(events, 0.99),
                percentile(events, 1.0), LOST.get());
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

    static void received(String json) {
        if (!measuring) {
            return;
        }
        int at = json.indexOf("\"time\":\"");
        if (at < 0) {
            return; // heartbeats, acknowledgements
        }
        int end = json.indexOf('"', at + 8);
        long latency = System.currentTimeMillis() - Instant.parse(json.substring(at + 8, end)).toEpochMilli();
        HISTOGRAM.incrementAndGet((int) Math.max(0, Math.min(60_000, latency)));
    }

    static CompletableFuture<?> openSocket(HttpClient client, String base) {
        String url = base.replaceFirst("^http", "ws") + "/ws/streams";
        return client.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket socket) {
                socket.sendText("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\","
                        + "\"types\":[\"order.placed.v1\"]}", true);
                socket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    if (frame.contains("\"slow-consumer\"")) {
                        LOST.incrementAndGet();
                    }
                    received(frame);
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                LOST.incrementAndGet();
                return null;
            }
        });
    }

    static CompletableFuture<?> openStream(HttpClient client, String base) {
        var request = HttpRequest.newBuilder(URI.create(base + "/streams/shop.orders?types=order.placed.v1"))
                .header("Accept", "text/event-stream").build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenAccept(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            Thread.ofVirtual().start(() -> read(response.body()));
        });
    }

    static void read(InputStream body) {
        try (var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    received(line);
                }
            }
        } catch (Exception e) {
            // counted below
        }
        LOST.incrementAndGet();
    }

    static void orders(int rate, int seconds, String base) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var sent = new AtomicLong();
        var ok = new AtomicLong();
        var timer = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = 1_000_000L / rate;
        timer.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            String body = "{\"customerId\":\"bench-" + (sent.get() % 1000) + "\",\"lines\":[{\"sku\":\"bench-sku\","
                    + "\"quantity\":1,\"unitPrice\":{\"amountMinor\":100,\"currency\":\"EUR\"}}]}";
            client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
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

    static void ingest(int batch, int concurrency, int warmup, int seconds, String base) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
