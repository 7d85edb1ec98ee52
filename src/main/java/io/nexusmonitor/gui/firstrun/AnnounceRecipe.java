package io.nexusmonitor.gui.firstrun;

import io.nexusmonitor.discovery.logic.TxtRecords;
import io.nexusmonitor.registry.BackendType;
import java.util.Optional;

/**
 * How to make a server on this machine discoverable, for the "Announce a server" dialog: the exact
 * {@code nexus-monitor announce} command (its real flags, see {@code cli.AnnounceCommand}) or the
 * equivalent avahi service file. Plain Java: the dialog only shows what this writes.
 *
 * @param type the server's type
 * @param port the port it listens on, 1..65535
 */
public record AnnounceRecipe(BackendType type, int port) {

    public AnnounceRecipe {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1..65535, got " + port);
        }
    }

    /** The port each type listens on out of the box (vLLM 8000, llama.cpp 8080, LM Studio 1234, ...). */
    public static int defaultPort(BackendType type) {
        return switch (type) {
            case OLLAMA -> 11434;
            case VLLM, OPENAI, GENERIC -> 8000;
            case LLAMACPP -> 8080;
            case LMSTUDIO -> 1234;
            case EXO -> 52415;
        };
    }

    /** A port as typed: a whole number 1..65535, else empty. */
    public static Optional<Integer> parsePort(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The command to run on the machine where the server runs, e.g. {@code nexus-monitor announce --type ollama --port 11434}. */
    public String command() {
        return "nexus-monitor announce --type " + type.wire() + " --port " + port;
    }

    /** Where avahi reads static services from: {@code /etc/avahi/services/<type>.service}. */
    public String avahiPath() {
        return "/etc/avahi/services/" + type.wire() + ".service";
    }

    /** The avahi service file announcing the same service type and TXT records as {@link #command()}. */
    public String avahiFile() {
        String serviceType = TxtRecords.serviceType(type).replaceFirst("\\.local\\.$", "");
        String apiPath = TxtRecords.defaultApiPath(type);
        StringBuilder xml = new StringBuilder()
                .append("<?xml version=\"1.0\" standalone='no'?>\n")
                .append("<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n")
                .append("<service-group>\n")
                .append("  <name replace-wildcards=\"yes\">")
                .append(type.wire())
                .append(" on %h</name>\n")
                .append("  <service>\n")
                .append("    <type>")
                .append(serviceType)
                .append("</type>\n")
                .append("    <port>")
                .append(port)
                .append("</port>\n")
                .append("    <txt-record>type=")
                .append(type.wire())
                .append("</txt-record>\n");
        if (!apiPath.isEmpty()) {
            xml.append("    <txt-record>api_path=").append(apiPath).append("</txt-record>\n");
        }
        return xml.append("  </service>\n").append("</service-group>\n").toString();
    }
}
