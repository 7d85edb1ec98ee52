package io.nexusmonitor.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.nexusmonitor.registry.LogText;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Turns JmDNS's warnings about malformed packets into one summary line per interval. JmDNS logs
 * several WARN lines for every packet it cannot parse (bad label, circular name, unknown record
 * type, then the "corrupted message" exception with its stack trace), and those lines quote the
 * packet's bytes; anyone on the LAN sending 1000 such packets a second would write megabytes of
 * log. Instead, every {@code intervalSeconds} (10) one line says how many there were and from
 * where: {@code mDNS: 7000 warnings about malformed packets in the last 10 s (from 192.168.1.66);
 * the packets were ignored}. With {@code javax.jmdns} at debug level JmDNS's own lines pass.
 *
 * <p>Installed by {@link LogDefaults} (and {@code logback-test.xml}), so it covers JmDNS from the
 * first packet, before the config is read.
 */
public final class MdnsNoiseFilter extends TurboFilter {
    static final String PARSER = "javax.jmdns.impl.DNSIncoming";
    static final String LISTENER = "javax.jmdns.impl.SocketListener";
    /**
     * The summary's logger; looked up when writing, since this class is loaded while logback is
     * still configuring itself.
     */
    public static final String SUMMARY_LOGGER = "io.nexusmonitor.discovery.MalformedPackets";

    private static final Pattern ADDRESS = Pattern.compile("address: /?([0-9A-Fa-f.:%\\[\\]]+?):\\d+");
    private static final int MAX_ADDRESSES = 5;

    private int intervalSeconds = 10;
    private long count;
    private long since = System.nanoTime();
    private final Set<String> from = new LinkedHashSet<>();
    private int moreAddresses;
    private @Nullable ScheduledExecutorService timer;

    /** Seconds between summaries (a logback file: {@code <intervalSeconds>10</intervalSeconds>}). */
    public void setIntervalSeconds(int s) {
        intervalSeconds = Math.max(1, s);
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nexus-mdns-log-summary");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::flush, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        super.start();
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        flush();
        super.stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || logger == null || !logger.getName().startsWith("javax.jmdns.impl.")) {
            return FilterReply.NEUTRAL; // the common case, decided at once
        }
        if (t == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable th) {
            t = th; // SLF4J's convention: a trailing Throwable argument is the exception
        }
        if (!isAboutAMalformedPacket(logger.getName(), t) || logger.isDebugEnabled()) {
            return FilterReply.NEUTRAL;
        }
        String text = format == null
                ? ""
                : MessageFormatter.arrayFormat(format, params).getMessage();
        Matcher m = ADDRESS.matcher(text);
        synchronized (this) {
            count++;
            if (m.find()) {
                String a = m.group(1);
                if (!from.contains(a)) {
                    if (from.size() < MAX_ADDRESSES) {
                        from.add(a);
                    } else {
                        moreAddresses++;
                    }
                }
            }
        }
        return FilterReply.DENY;
    }

    private static boolean isAboutAMalformedPacket(String logger, Throwable t) {
        if (logger.equals(PARSER)) {
            return true;
        }
        // SocketListener's "run() exception" for a packet DNSIncoming gave up on; other I/O errors pass
        return logger.equals(LISTENER)
                && t != null
                && t.getMessage() != null
                && t.getMessage().contains("DNSIncoming corrupted message");
    }

    /** Writes the summary of what was held back since the last one, if anything was. */
    public void flush() {
        long n;
        long seconds;
        String sources;
        synchronized (this) {
            n = count;
            long now = System.nanoTime();
            seconds = Math.max(1, Math.round((now - since) / 1e9));
            since = now;
            if (n == 0) {
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (String a : from) {
                sb.append(sb.length() == 0 ? "" : ", ").append(LogText.of(a, 60));
            }
            if (moreAddresses > 0) {
                sb.append(" and ").append(moreAddresses).append(" more");
            }
            sources = sb.length() == 0 ? "" : " (from " + sb + ")";
            count = 0;
            from.clear();
            moreAddresses = 0;
        }
        LoggerFactory.getLogger(SUMMARY_LOGGER)
                .warn(
                        "mDNS: {} warning{} about malformed packets in the last {} s{}; the packets were ignored",
                        n,
                        n == 1 ? "" : "s",
                        seconds,
                        sources);
    }
}
