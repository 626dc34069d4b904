package dev.switchboard.platform.kafka;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Apicurio serde settings that name a class (a datum provider, a strategy) are loaded by the serde's own class
 * loader, which in dev mode and tests cannot see the application's classes (ClassNotFoundException). This turns
 * such names into {@code Class} objects, loaded by the application's class loader, before the Kafka client is
 * made; the serde accepts either form.
 */
@ApplicationScoped
class ApicurioClassSettings implements ClientCustomizer<Map<String, Object>> {

    private static final Set<String> CLASS_SETTINGS = Set.of(
            "apicurio.registry.avro-datum-provider",
            "apicurio.registry.artifact-resolver-strategy",
            "apicurio.registry.schema-resolver");

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        for (String key : CLASS_SETTINGS) {
            if (config.get(key) instanceof String className) {
                config.put(key, load(className));
            }
        }
        return config;
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + className + " for an Apicurio serde setting", e);
        }
    }
}
