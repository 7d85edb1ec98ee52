package io.nexusmonitor.discovery.logic;

import static io.nexusmonitor.discovery.logic.BackendMapperTest.found;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTableTest {
    private static final String T = "_ollama._tcp.local.";
    private final List<DiscoveryEvent> out = new ArrayList<>();
    private final ServiceTable table = new ServiceTable(out::add);

    private static DiscoveryEvent.Found box(String... addrs) {
        return found("box", T, 11434, Map.of(), addrs);
    }

    @Test
    void repeatedResolutionsArePassedOnOnce() {
        table.found("eth0", box("10.0.0.1"));
        table.found("eth0", box("10.0.0.1"));
        assertThat(out).hasSize(1);
    }

    @Test
    void changedRecordsArePassedOnAgain() {
        table.found("eth0", box("10.0.0.1"));
        table.found("eth0", found("box", T, 11434, Map.of("version", "2"), "10.0.0.1"));
        assertThat(out).hasSize(2);
    }

    @Test
    void serviceSeenOnTwoInterfacesIsOneServiceRemovedWhenTheLastLosesIt() {
        table.found("eth0", box("10.0.0.1"));
        table.found("wlan0", box("10.0.1.1"));
        assertThat(out)
                .last()
                .isInstanceOfSatisfying(
                        DiscoveryEvent.Found.class,
                        f -> assertThat(f.addresses()).hasSize(2));
        table.removed("eth0", InstanceKey.of("box." + T, T), RemovalReason.GOODBYE);
        assertThat(out).noneMatch(e -> e instanceof DiscoveryEvent.Removed);
        table.removed("wlan0", InstanceKey.of("BOX." + T, T), RemovalReason.GOODBYE);
        assertThat(out).last().isEqualTo(new DiscoveryEvent.Removed("box." + T, T, RemovalReason.GOODBYE));
    }

    @Test
    void removalsOfUnknownOrAlreadyRemovedServicesAreDropped() {
        table.removed("eth0", InstanceKey.of("ghost." + T, T), RemovalReason.EXPIRED);
        table.found("eth0", box("10.0.0.1"));
        table.removed("eth0", InstanceKey.of("box." + T, T), RemovalReason.GOODBYE);
        table.removed("eth0", InstanceKey.of("box." + T, T), RemovalReason.EXPIRED);
        assertThat(out).hasSize(2);
    }

    @Test
    void browserThatGoesAwayExpiresWhatOnlyItSaw() {
        table.found("eth0", box("10.0.0.1"));
        table.found("eth0", found("other", T, 11434, Map.of(), "10.0.0.2"));
        table.found("wlan0", found("other", T, 11434, Map.of(), "10.0.0.2"));
        table.browserGone("eth0");
        assertThat(out)
                .filteredOn(e -> e instanceof DiscoveryEvent.Removed)
                .containsExactly(new DiscoveryEvent.Removed("box." + T, T, RemovalReason.EXPIRED));
    }

    @Test
    void pausedTableTracksChangesAndPassesOnTheDifferenceWhenResumed() {
        table.found("eth0", box("10.0.0.1"));
        table.setPaused(true);
        table.removed("eth0", InstanceKey.of("box." + T, T), RemovalReason.GOODBYE);
        table.found("eth0", found("new", T, 11434, Map.of(), "10.0.0.3"));
        assertThat(out).hasSize(1);
        table.setPaused(false);
        assertThat(out).hasSize(3);
        assertThat(out.subList(1, 3))
                .anyMatch(e ->
                        e instanceof DiscoveryEvent.Removed r && r.instance().startsWith("box"))
                .anyMatch(
                        e -> e instanceof DiscoveryEvent.Found f && f.instance().startsWith("new"));
    }

    @Test
    void aRebuiltBrowserKeepsWhatItHearsAgainAndExpiresTheRestWhenSettled() {
        table.found("eth0", box("10.0.0.1"));
        table.found("eth0", found("gone", T, 11434, Map.of(), "10.0.0.2"));
        table.found("wlan0", found("shared", T, 11434, Map.of(), "10.0.1.3"));
        table.found("eth0", found("shared", T, 11434, Map.of(), "10.0.1.3"));
        out.clear();

        table.rebuilding("eth0");
        table.found("eth0", box("10.0.0.1")); // heard again: confirmed, nothing to pass on
        assertThat(out).isEmpty();
        assertThat(table.unconfirmed("eth0"))
                .extracting(DiscoveryEvent::instance)
                .containsExactlyInAnyOrder("gone." + T, "shared." + T);
        assertThat(table.tracks(InstanceKey.of("gone." + T, T))).isTrue();

        assertThat(table.settle("eth0")).isEqualTo(2);
        // "gone" was not heard again; "shared" is still seen on wlan0, so it stays
        assertThat(out).containsExactly(new DiscoveryEvent.Removed("gone." + T, T, RemovalReason.EXPIRED));
        assertThat(table.tracks(InstanceKey.of("shared." + T, T))).isTrue();
        assertThat(table.tracks(InstanceKey.of("box." + T, T))).isTrue();
        assertThat(table.settle("eth0")).isZero();
    }
}
