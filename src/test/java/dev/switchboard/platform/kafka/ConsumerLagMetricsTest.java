package dev.switchboard.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.testing.Metrics;
import dev.switchboard.testing.OrderClient;
import dev.switchboard.testing.RawTopics;

/**
 * {@code switchboard_consumer_lag} against the real broker: the groups are those of the enabled Kafka channels, and
 * a group that has read everything shows a lag of 0 on every partition of its topic, also those it never committed
 * on (a new topic's empty partitions).
 */
@QuarkusTest
class ConsumerLagMetricsTest {

    @Test
    void groupsAreThoseOfTheEnabledKafkaChannels() {
        var groups = ConsumerLagMetrics.groupsOf(ConfigProvider.getConfig());
        assertThat(groups.keySet())
                .contains("order-views", "payments", "inventory", "analytics", "notify-bridge", "dead-letters")
                .doesNotContain("order-saga"); // off in the test profile
        assertThat(groups.get("order-views")).containsExactlyInAnyOrder("shop.orders", "order-views.redrive");
    }

    @Test
    void aGroupThatHasReadEverything_showsNoLagOnAnyPartition() {
        OrderClient.placed("c-lag");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> RawTopics.caughtUp("order-views", "shop.orders"));
        // Refreshed every 10 s: within a few rounds every partition reads 0.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (int partition = 0; partition < 3; partition++) {
                assertThat(Metrics.sample("switchboard_consumer_lag{group=\"order-views\",partition=\"" + partition
                        + "\",topic=\"shop.orders\"}")).as("partition " + partition).hasValue(0);
            }
        });
    }
}
