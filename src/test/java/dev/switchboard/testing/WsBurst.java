package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A WebSocket client on a plain TCP socket that writes many frames at once, in one write, as no client library lets
 * a test do: the server then reads them together, before anything it started for the first can finish. It speaks
 * just enough of RFC 6455 for that (a handshake with a bearer token, masked text frames out, text and close frames
 * in, unfragmented); written by hand because the JDK's and Vert.x's clients write each frame on its own.
 */
public final class WsBurst {

    /** What came back: the text frames in order, and the close frame's "code reason" (null if none came). */
    public record Answers(List<String> texts, String closedWith) {
    }

    private WsBurst() {
    }

    /**
     * Opens {@code path} with the operator's token, writes {@code frames} in one go, and reads until the server closes
     * the socket or {@code patience} is over.
     */
    public static Answers send(String path, List<String> frames, Duration patience) throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) patience.toMillis());
            OutputStream out = socket.getOutputStream();
            var in = new DataInputStream(socket.getInputStream());
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: c3dpdGNoYm9hcmQtYnVyc3Q=\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + WsClient.PROTOCOL + "\r\n"
                    + "Authorization: Bearer " + Tokens.operator() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = readHead(in);
            if (!status.startsWith("HTTP/1.1 101")) {
                throw new IOException("no upgrade: " + status);
            }
            var burst = new ByteArrayOutputStream();
            for (String frame : frames) {
                burst.writeBytes(masked(frame.getBytes(StandardCharsets.UTF_8)));
            }
            out.write(burst.toByteArray());
            out.flush();
            return read(socket, in, System.nanoTime() + patience.toNanos());
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    private static byte[] masked(byte[] payload) {
        var frame = new ByteArrayOutputStream();
        frame.write(0x81); // final fragment, text
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    private static Answers read(Socket socket, DataInputStream in, long deadline) throws IOException {
        List<String> texts = new ArrayList<>();
        try {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int opcode = in.readUnsignedByte() & 0x0f;
                long length = in.readUnsignedByte() & 0x7f; // a server's frames are not masked
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                if (opcode == 0x8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = new String(payload, Math.min(2, payload.length),
                            Math.max(0, payload.length - 2), StandardCharsets.UTF_8);
                    return new Answers(texts, code + " " + reason);
                }
                if (opcode == 0x1) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                }
            }
            return new Answers(texts, null);
        } catch (SocketTimeoutException | java.io.EOFException e) {
            return new Answers(texts, null);
        }
    }
}
