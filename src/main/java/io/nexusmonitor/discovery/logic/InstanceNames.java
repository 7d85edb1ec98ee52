package io.nexusmonitor.discovery.logic;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** DNS-SD instance names ({@code GPU\032Box\.lab._ollama._tcp.local.}) to names people read. */
public final class InstanceNames {
    private InstanceNames() {}

    /**
     * The instance label without the service type, escapes decoded: {@code \.} is a dot,
     * {@code \\} a backslash, {@code \DDD} a byte in decimal; the bytes are UTF-8, so Unicode names
     * stay as announced. Falls back to the whole name when it does not end in the service type.
     */
    public static String readableName(String instance, String serviceType) {
        String label = instanceLabel(instance, serviceType);
        String decoded = unescape(label).trim();
        return decoded.isEmpty() ? instance : decoded;
    }

    /** The (still escaped) instance label of a full name. */
    static String instanceLabel(String instance, String serviceType) {
        String name = instance;
        if (serviceType != null && !serviceType.isEmpty()) {
            String type = serviceType.endsWith(".") ? serviceType : serviceType + ".";
            String full = name.endsWith(".") ? name : name + ".";
            String lower = full.toLowerCase(Locale.ROOT);
            String suffix = "." + type.toLowerCase(Locale.ROOT);
            if (lower.endsWith(suffix)) {
                return full.substring(0, full.length() - suffix.length());
            }
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Decodes DNS presentation-format escapes; a lone trailing backslash is kept as it is. */
    public static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b != '\\' || i + 1 >= in.length) {
                out.write(b);
                continue;
            }
            if (i + 3 < in.length && isDigit(in[i + 1]) && isDigit(in[i + 2]) && isDigit(in[i + 3])) {
                int v = (in[i + 1] - '0') * 100 + (in[i + 2] - '0') * 10 + (in[i + 3] - '0');
                if (v <= 255) {
                    out.write(v);
                    i += 3;
                    continue;
                }
            }
            out.write(in[i + 1]);
            i++;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
