package dev.switchboard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

/** A plain WebSocket client (the JDK's) that collects every text frame it receives. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private boolean paused;
    private boolean owed;

    private WsClient(String path) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
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
                }).join();
    }

    public static WsClient open(String path) {
        return new WsClient(path);
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
