package dev.switchboard.smoke;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

/** A finite server-sent event stream, to prove SSE is wired through Quarkus REST. */
@PermitAll // a test endpoint of the smoke test, no data behind it
@Path("/smoke/ticks")
public class SmokeStreamResource {

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> ticks(@RestQuery @DefaultValue("3") int count) {
        return Multi.createFrom().range(0, count).map(i -> "tick-" + i);
    }
}
