package io.nexusmonitor.gui.firstrun;

import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.discovery.logic.InterfaceTraffic;
import io.nexusmonitor.gui.model.Formats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What "Check the network" says, in sentences: whether discovery runs, which interface addresses
 * it browses, and per address whether any mDNS traffic was heard (any answer from any host shows
 * multicast gets through). Plain Java, from {@link EngineStatus} and
 * {@code BackendControl.mdnsTraffic()}.
 */
public final class NetworkReport {
    private NetworkReport() {}

    /** The headline: discovery's state in words. */
    public static String headline(EngineStatus s) {
        String d = s.discovery();
        if (d.equals("running")) {
            return "mDNS discovery is running.";
        }
        if (d.equals("paused")) {
            return "mDNS discovery is paused: announcements are heard but not acted on.";
        }
        if (d.equals("off")) {
            return "mDNS discovery is off ([discovery] enabled = false, or --no-discovery).";
        }
        if (d.startsWith("unavailable: ")) {
            return "mDNS discovery cannot run: " + d.substring("unavailable: ".length()) + ".";
        }
        return "mDNS discovery is " + d + ".";
    }

    /** One line per browsed interface address; a sentence when there is none. */
    public static List<String> interfaces(EngineStatus s, List<InterfaceTraffic> traffic, Instant now) {
        List<String> out = new ArrayList<>();
        if (s.interfaces().isEmpty()) {
            out.add("No interface is browsed. Name one with [discovery] interfaces = [\"eth0\"] in the config file,"
                    + " or --interface eth0.");
            return out;
        }
        for (String label : s.interfaces()) {
            InterfaceTraffic t = traffic.stream()
                    .filter(x -> x.label().equals(label))
                    .findFirst()
                    .orElse(null);
            out.add(label + ": " + heard(t, now));
        }
        return out;
    }

    /** What was heard on one address, in words. */
    static String heard(@Nullable InterfaceTraffic t, Instant now) {
        Instant last = t == null ? null : t.lastHeard();
        if (t == null || last == null) {
            return "no mDNS traffic heard yet. If other machines here announce (printers, phones, avahi), multicast"
                    + " is blocked: a firewall (UDP port 5353), or Wi-Fi client isolation.";
        }
        String ago = Formats.ago(Duration.between(last, now));
        String services = t.services() == 0
                ? "none of them an LLM server"
                : t.services() + (t.services() == 1 ? " LLM server" : " LLM servers");
        return "mDNS works: " + t.records() + (t.records() == 1 ? " record" : " records") + " heard, the last " + ago
                + "; " + services + ".";
    }

    /** What to do next, from what was found. */
    public static String advice(EngineStatus s, List<InterfaceTraffic> traffic) {
        if (!s.discovery().equals("running") && !s.discovery().equals("paused")) {
            return "Backends added by URL and those in the config file work without discovery.";
        }
        boolean anyHeard = traffic.stream().anyMatch(t -> t.lastHeard() != null);
        boolean anyServer = traffic.stream().anyMatch(t -> t.services() > 0);
        if (anyServer) {
            return "LLM servers are announced; they show in the table once they answer their health check.";
        }
        if (anyHeard) {
            return "The network carries mDNS, but no LLM server announces itself: run nexus-monitor announce on the"
                    + " machine where the server runs, or add it by URL.";
        }
        return "Nothing heard yet: answers can take a few seconds after start. If it stays silent, add servers by"
                + " URL.";
    }
}
