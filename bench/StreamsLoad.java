// Load generator and meter for bench/streams.sh and bench/ingest.sh (run on purpose, never by CI), launched as a
// single-file program on the service's classpath (target/quarkus-app/lib/main/*: Vert.x for the subscribers).
//   ws N STOPFILE BASE [MEASUREFILE] / sse ...: opens N WebSocket (/ws/streams) or SSE (/streams/shop.orders)
//       subscribers to order.placed.v1, prints "ready" once all are open, then (from the moment MEASUREFILE exists,
//       if given: what comes before warms the service up and is not counted, nor are later latencies of events from
//       before) until STOPFILE exists counts the events
//       delivered and, on every tenth subscriber, the delivery latency of each (receipt minus the event's own time,
//       which the command handler set when it committed: command -> outbox -> Kafka -> hub -> subscriber). Prints
//       "<mode> <n> <events delivered> <p50 ms> <p99 ms> <max ms> <subscribers lost>".
//   resume N STOPFILE BASE EXPECTED: N subscribers (half WebSocket, half SSE) to every event on shop.orders from
//       the moment they open, each resuming from its last position whenever its stream ends or its connection
//       drops (bench/chaos.sh kills the service and restarts the servers under them). Prints "ready" once all are
//       subscribed; once STOPFILE exists, reads EXPECTED (one event id a line: the events every subscriber must have
//       got) and prints "resume <subscribers> <reconnects> <subscribers with a gap> <events missed> <events
//       delivered twice at one position>".
//   poison COUNT BOOTSTRAP: writes COUNT records to shop.orders whose headers say order.placed.v1 but whose value
//       is no Avro at all, as a broken producer would; prints the ce_id of each, one a line.
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
    /** Latencies are those of the events that happened from then on (epoch ms). */
    static volatile long measuredFrom;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ws", "sse" -> subscribers(args[0], Integer.parseInt(args[1]), java.nio.file.Path.of(args[2]), args[3],
                    args.length > 4 ? java.nio.file.Path.of(args[4]) : null);
            case "orders" -> orders(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            case "resume" -> resume(Integer.parseInt(args[1]), java.nio.file.Path.of(args[2]), args[3],
                    java.nio.file.Path.of(args[4]));
            case "poison" -> poison(Integer.parseInt(args[1]), args[2]);
            case "mix" -> mix(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
            case "ingest" -> ingest(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), args[5]);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static void subscribers(String mode, int n, java.nio.file.Path stop, String base, java.nio.file.Path measure)
            throws Exception {
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
        while (measure != null && !java.nio.file.Files.exists(measure) && !java.nio.file.Files.exists(stop)) {
            Thread.sleep(50);
        }
        measuredFrom = System.currentTimeMillis();
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
            long time = Instant.parse(new String(bytes, from, to - from, StandardCharsets.US_ASCII)).toEpochMilli();
            if (time >= measuredFrom) { // not an event of the warm-up still on its way (an overloaded run's backlog)
                HISTOGRAM.incrementAndGet((int) Math.max(0, Math.min(60_000, now - time)));
            }
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

    static void resume(int n, java.nio.file.Path stop, String base, java.nio.file.Path expected) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        URI uri = URI.create(base);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
                .setDefaultPort(uri.getPort()).setMaxPoolSize(n).setMaxWebSockets(n).setMaxWaitQueueSize(-1)
                .setKeepAlive(true).setIdleTimeout(0).setConnectTimeout(2000));
        var subscribers = new ArrayList<Resuming>();
        for (int i = 0; i < n; i++) {
            var subscriber = new Resuming(vertx, client, i % 2 == 0);
            subscribers.add(subscriber);
            vertx.runOnContext(v -> subscriber.connect());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (subscribers.stream().anyMatch(s -> s.position == null) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.err.println("ready");
        while (!java.nio.file.Files.exists(stop)) {
            Thread.sleep(200);
        }
        var ids = java.util.Set.copyOf(java.nio.file.Files.readAllLines(expected));
        long reconnects = 0, withGap = 0, missed = 0, twice = 0;
        for (Resuming subscriber : subscribers) {
            long missing = ids.stream().filter(id -> !subscriber.ids.contains(id)).count();
            reconnects += subscriber.reconnects;
            withGap += missing > 0 ? 1 : 0;
            missed += missing;
            twice += subscriber.twice.get();
        }
        System.out.printf("resume %d %d %d %d %d%n", n, reconnects, withGap, missed, twice);
    }

    /**
     * One subscriber that never gives up: WebSocket or SSE, it starts at the topic's end and, whenever its stream
     * ends (ended, slow-consumer, an error) or its connection drops, comes back a second later from the position
     * of the last event it got, as the README tells a client to. Keeps the ids it received and counts a record
     * (partition and offset) delivered to it twice.
     */
    static final class Resuming {
        static final java.util.regex.Pattern EVENT = java.util.regex.Pattern.compile(
                "\"partition\":(\\d+),\"offset\":(\\d+),\"id\":\"([^\"]+)\"");
        static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("\"position\":\"([0-9:,]*)\"");

        final Vertx vertx;
        final HttpClient client;
        final boolean webSocket;
        final java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<String> records = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicLong twice = new AtomicLong();
        volatile String position;
        long reconnects;
        /** The connection this subscriber is on now; a late close of an older one must not reconnect twice. */
        Object current;
        final StringBuilder pending = new StringBuilder();

        Resuming(Vertx vertx, HttpClient client, boolean webSocket) {
            this.vertx = vertx;
            this.client = client;
            this.webSocket = webSocket;
        }

        void connect() {
            Object attempt = new Object();
            current = attempt;
            if (webSocket) {
                client.webSocket(new io.vertx.core.http.WebSocketConnectOptions().setURI("/ws/streams")
                        .addHeader("Authorization", BEARER)).onSuccess(socket -> {
                            socket.textMessageHandler(text -> frame(socket, text));
                            socket.closeHandler(closed -> again(attempt));
                            socket.exceptionHandler(failure -> socket.close());
                            subscribe(socket);
                        }).onFailure(failure -> again(attempt));
            } else {
                client.request(HttpMethod.GET, "/streams/shop.orders").compose(request -> {
                    request.putHeader("Accept", "text/event-stream").putHeader("Authorization", BEARER);
                    if (position != null) {
                        request.putHeader("Last-Event-ID", position);
                    }
                    return request.send();
                }).onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.request().connection().close();
                        again(attempt);
                        return;
                    }
                    pending.setLength(0);
                    response.handler(this::chunk);
                    response.endHandler(end -> again(attempt));
                    response.exceptionHandler(failure -> again(attempt));
                }).onFailure(failure -> again(attempt));
            }
        }

        void subscribe(io.vertx.core.http.WebSocket socket) {
            socket.writeTextMessage("{\"op\":\"subscribe\",\"subscription\":\"s\",\"topic\":\"shop.orders\","
                    + "\"from\":\"" + (position == null ? "latest" : position) + "\"}");
        }

        /** Comes back a second later, once per connection lost. */
        void again(Object attempt) {
            if (current != attempt) {
                return;
            }
            current = null;
            reconnects++;
            vertx.setTimer(1000, id -> connect());
        }

        void frame(io.vertx.core.http.WebSocket socket, String text) {
            var at = POSITION.matcher(text);
            String framePosition = at.find() ? at.group(1) : null;
            if (text.contains("\"op\":\"event\"")) {
                received(text);
                position = framePosition;
            } else if (text.contains("\"op\":\"subscribed\"")) {
                position = framePosition;
            } else if (text.contains("\"op\":\"ended\"") || text.contains("\"op\":\"slow-consumer\"")
                    || text.contains("\"op\":\"error\"")) {
                if (framePosition != null && !framePosition.isEmpty()) {
                    position = framePosition;
                }
                // The subscription ended while the socket lives: closed, and (its close handler) opened again.
                socket.close();
            }
        }

        /** SSE: lines may be split across chunks; an event ends with a blank line. */
        void chunk(Buffer data) {
            pending.append(data.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                String id = null;
                String payload = null;
                for (String line : event.split("\n")) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        payload = line.substring(5);
                    }
                }
                if (payload != null) {
                    received(payload);
                }
                if (id != null && !id.isEmpty()) {
                    position = id;
                }
            }
        }

        void received(String json) {
            var event = EVENT.matcher(json);
            if (event.find()) {
                ids.add(event.group(3));
                if (!records.add(event.group(1) + "@" + event.group(2))) {
                    twice.incrementAndGet();
                }
            }
        }
    }

    static void poison(int count, String bootstrap) throws Exception {
        var config = new java.util.Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "all");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(config,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                String subject = "chaos-poison-" + id;
                var record = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>("shop.orders",
                        subject, "not avro".getBytes(StandardCharsets.UTF_8));
                for (String[] header : new String[][]{{"ce_specversion", "1.0"}, {"ce_id", id},
                        {"ce_type", "order.placed.v1"}, {"ce_source", "/switchboard/chaos"}, {"ce_subject", subject},
                        {"ce_time", Instant.now().toString()}}) {
                    record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record).get();
                System.out.println(id);
            }
        }
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
