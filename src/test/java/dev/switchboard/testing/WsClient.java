package dev.switchboard.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A plain WebSocket client (the JDK's) that collects every text frame it receives. It offers its token as a
 * browser does, in the subprotocol list next to {@value #PROTOCOL}; the operator's token unless given another.
 */
public final class WsClient implements AutoCloseable {

    public static final String PROTOCOL = "switchboard.streams.v1";

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private boolean paused;
    private boolean owed;

    private WsClient(int port, String path, String token) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols(PROTOCOL, carrier(token))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        synchronized (WsClient.this) {
                            if (paused) {
                                owed = true; // read nothing more until resumed: the socket's buffers fill up
                            } else {
                                webSocket.request(1);
                            }
                        }
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode + " " + reason);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete("1006 " + error); // dropped without a close frame (the server died)
                    }
                }).join();
    }

    /** The subprotocol entry that carries a bearer token through a browser's WebSocket handshake. */
    public static String carrier(String token) {
        return URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    public static WsClient open(String path) {
        return open(path, Tokens.operator());
    }

    public static WsClient open(String path, String token) {
        return new WsClient(ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class), path, token);
    }

    /** A socket to a service of its own on {@code port} (not the one Quarkus starts for the tests). */
    public static WsClient openAt(int port, String path, String token) {
        return new WsClient(port, path, token);
    }

    /** The subprotocol the server chose in its handshake answer. */
    public String protocol() {
        return socket.getSubprotocol();
    }

    /**
     * The server's close frame, "code reason", once it came ("1006 …" when the connection dropped without one); null
     * if neither came in time.
     */
    public String closedWith(Duration timeout) throws InterruptedException {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame, or null when none arrives in time. */
    public String next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading from the socket, as a browser tab that hangs does. */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        if (owed) {
            owed = false;
            socket.request(1);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
