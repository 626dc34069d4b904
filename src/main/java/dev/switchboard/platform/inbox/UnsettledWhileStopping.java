package dev.switchboard.platform.inbox;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.IncomingInterceptor;

/**
 * Once the service begins to stop, a message that fails is left unsettled instead of nacked. While an instance
 * stops, its consumers go on a moment after the database pool and the RabbitMQ emitter have closed; their failures
 * then say nothing about the message, and a nack would send it to its group's dead-letter topic (found by
 * RollingRestartIT: a rolling restart parked good events). Unsettled, a Kafka record's offset is not committed and
 * the partition's next owner reads it again; a RabbitMQ message is requeued when the connection closes. A message
 * that really is poison is dead-lettered there. An interceptor of every incoming channel (none has its own), since
 * the connector's failure strategies have no notion of a stopping application.
 */
@ApplicationScoped
class UnsettledWhileStopping implements IncomingInterceptor {

    private static final Logger LOG = Logger.getLogger(UnsettledWhileStopping.class);

    private volatile boolean stopping;

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true; // without a delay, the delay's event never came
    }

    @Override
    public Message<?> afterMessageReceive(Message<?> message) {
        return message.withNackWithMetadata((reason, metadata) -> {
            if (!stopping) {
                return message.nack(reason, metadata);
            }
            LOG.infof("stopping: a failed message is left for redelivery, not dead-lettered (%s)", reason.toString());
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public void onMessageAck(Message<?> message) {
    }

    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
    }
}
