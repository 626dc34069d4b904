package dev.switchboard.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The application with consumer group order-saga running, as in dev and production. The default test profile
 * leaves the saga off so that the other tests can confirm and cancel orders by hand without racing it.
 */
public class SagaProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.order-saga.enabled", "true");
    }
}
