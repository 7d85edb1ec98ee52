package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TXT records (RFC 6763 §6) to metadata. Anyone on the LAN writes these, so nothing here throws:
 * a malformed record is logged with the instance it came from and skipped, and the rest is kept.
 */
public final class TxtRecords {
    private static final Logger log = LoggerFactory.getLogger(TxtRecords.class);

    /** A URL path: slash-separated segments of URL-safe characters, no query, fragment or dot segments. */
    private static final Pattern API_PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");

    /** The TXT key announcing a server's parallel slots ({@code announce --max-concurrent N}). */
    public static final String MAX_CONCURRENT = "max_concurrent";
    /** Bad max_concurrent values, logged once per instance and value (every announcement repeats them). */
    private static final LogOnce BAD_VALUES_LOGGED = new LogOnce(4096);

    private TxtRecords() {}

    /**
     * Decodes the TXT RDATA (length-prefixed strings) into keys and values. Keys are lower-cased
     * (they are case-insensitive), the first occurrence of a key wins, a key without {@code =} is
     * a flag with an empty value, and a string with an empty key is dropped.
     *
     * @param source for log messages: the instance the record came from
     */
    public static Map<String, String> decode(byte[] rdata, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rdata == null) {
            return out;
        }
        int i = 0;
        while (i < rdata.length) {
            int len = rdata[i] & 0xff;
            i++;
            if (len == 0) {
                continue;
            }
            if (i + len > rdata.length) {
                log.warn(
                        "TXT record of {} is truncated (a {}-byte string with {} bytes left); kept what came before",
                        LogText.of(source),
                        len,
                        rdata.length - i);
                break;
            }
            addEntry(out, rdata, i, len, source);
            i += len;
        }
        return out;
    }

    private static void addEntry(Map<String, String> out, byte[] b, int off, int len, String source) {
        int eq = -1;
        for (int j = off; j < off + len; j++) {
            if (b[j] == '=') {
                eq = j;
                break;
            }
        }
        int keyEnd = eq < 0 ? off + len : eq;
        if (keyEnd == off) {
            log.warn("TXT record of {} has an entry without a key; ignored", LogText.of(source));
            return;
        }
        for (int j = off; j < keyEnd; j++) {
            if (b[j] < 0x20 || b[j] > 0x7e) {
                log.warn(
                        "TXT record of {} has a key with a non-printable or non-ASCII byte (0x{}); entry ignored",
                        LogText.of(source),
                        Integer.toHexString(b[j] & 0xff));
                return;
            }
        }
        String key = new String(b, off, keyEnd - off, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : utf8(b, eq + 1, off + len - eq - 1, key, source);
        if (out.containsKey(key)) {
            log.debug("TXT record of {} repeats key '{}'; the first value counts", LogText.of(source), LogText.of(key));
            return;
        }
        out.put(key, value);
    }

    private static String utf8(byte[] b, int off, int len, String key, String source) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            log.warn(
                    "TXT key '{}' of {} is not valid UTF-8; shown with replacement characters",
                    LogText.of(key),
                    LogText.of(source));
            return new String(b, off, len, StandardCharsets.UTF_8);
        }
    }

    /**
     * What the TXT keys and the service type say about the server. Type from TXT wins, else
     * {@code _ollama._tcp} means ollama, anything else generic; api_path defaults to empty for
     * ollama and {@code /v1} otherwise.
     *
     * @param txt         decoded keys (lower-case) and values
     * @param serviceType {@code _ollama._tcp.local.}
     * @param source      for log messages
     */
    public static ServiceMetadata parse(Map<String, String> txt, String serviceType, String source) {
        Map<String, String> t = txt == null ? Map.of() : txt;
        BackendType type = typeFrom(t.get("type"), source).orElseGet(() -> inferType(serviceType));
        String apiPath = apiPathFrom(t.get("api_path"), source).orElse(defaultApiPath(type));
        String version = blankToNull(t.get("version"));
        return new ServiceMetadata(
                type, apiPath, version, models(t.get("models")), t, maxConcurrentFrom(t.get(MAX_CONCURRENT), source));
    }

    /** A whole number from 1 to {@link BackendSettings#MAX_CAPACITY}; anything else is ignored, with one log line. */
    private static @Nullable Integer maxConcurrentFrom(@Nullable String raw, String source) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim();
        if (v.matches("[0-9]{1,6}")) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= BackendSettings.MAX_CAPACITY) {
                return n;
            }
        }
        if (BAD_VALUES_LOGGED.first(source + " = " + v, log, "bad TXT max_concurrent values")) {
            log.warn(
                    "TXT max_concurrent='{}' of {} is not a whole number from 1 to {}; ignored",
                    LogText.of(raw),
                    LogText.of(source),
                    BackendSettings.MAX_CAPACITY);
        }
        return null;
    }

    /** {@code _ollama._tcp...} means ollama; every other service type is a generic OpenAI-compatible server. */
    public static BackendType inferType(String serviceType) {
        String s = serviceType == null ? "" : serviceType.toLowerCase(Locale.ROOT);
        return s.startsWith("_ollama._tcp") ? BackendType.OLLAMA : BackendType.GENERIC;
    }

    /**
     * The DNS-SD service type a server of this type is announced as: {@code _ollama._tcp.local.}
     * for Ollama, {@code _llm._tcp.local.} for every other type (what {@code announce} uses and the
     * default {@code [discovery] service_types} browse).
     */
    public static String serviceType(BackendType type) {
        return type == BackendType.OLLAMA ? "_ollama._tcp.local." : "_llm._tcp.local.";
    }

    public static String defaultApiPath(BackendType type) {
        return type == BackendType.OLLAMA ? "" : "/v1";
    }

    private static Optional<BackendType> typeFrom(@Nullable String raw, String source) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Optional<BackendType> t = BackendType.parse(raw);
        if (t.isEmpty()) {
            log.warn(
                    "TXT type='{}' of {} is not one of {}; inferring the type from the service type",
                    LogText.of(raw),
                    LogText.of(source),
                    BackendType.choices());
        }
        return t;
    }

    /** {@code v1/}, {@code /v1} and {@code /v1/} all mean {@code /v1}; {@code /} means none. */
    private static Optional<String> apiPathFrom(@Nullable String raw, String source) {
        if (raw == null) {
            return Optional.empty();
        }
        String p = raw.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        boolean dotSegment = ("/" + p + "/").contains("/./") || ("/" + p + "/").contains("/../");
        if (!API_PATH.matcher(p).matches() || dotSegment) {
            log.warn(
                    "TXT api_path='{}' of {} is not a URL path; using the default for its type",
                    LogText.of(raw),
                    LogText.of(source));
            return Optional.empty();
        }
        return Optional.of(p);
    }

    private static List<String> models(@Nullable String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String m : raw.split(",")) {
            String s = m.trim();
            if (!s.isEmpty() && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
