package dev.switchboard.smoke;

import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;

/** A websockets-next endpoint that answers every text frame, to prove WebSocket is wired. */
@WebSocket(path = "/smoke/echo")
public class SmokeEchoSocket {

    @OnTextMessage
    String echo(String message) {
        return "echo:" + message;
    }
}
