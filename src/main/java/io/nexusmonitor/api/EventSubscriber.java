package io.nexusmonitor.api;

import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.RegistryEvent;
import io.nexusmonitor.registry.RegistryListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /api/events} client. Registry events are turned into SSE frames and put in a
 * bounded queue; one async write at a time drains it, everything queued meanwhile going out in
 * the next write. The registry's thread only formats and enqueues, never waits for the network,
 * so a slow client cannot slow the registry. A client starts with a {@code resync} event holding
 * the full list. When the queue is full the client has fallen behind: what is queued is dropped
 * and it gets another {@code resync}.
 */
final class EventSubscriber implements RegistryListener {
    private static final Logger log = LoggerFactory.getLogger(EventSubscriber.class);
    static final String HEARTBEAT = ": heartbeat\n\n";

    private final Exchange exchange;
    private final BackendControl control;
    private final ArrayBlockingQueue<String> queue;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lock = new Object();
    private boolean writing;
    /** Whether the first write (comment and initial list) went out; only touched by the one writer. */
    private boolean connected;

    private volatile @Nullable AutoCloseable subscription;
    private volatile Runnable onClose = () -> {};
    /** The client asked for {@code stats} events ({@code ?stats=true}). */
    volatile boolean wantsStats;

    EventSubscriber(Exchange exchange, BackendControl control, int bufferSize) {
        this.exchange = exchange;
        this.control = control;
        this.queue = new ArrayBlockingQueue<>(bufferSize);
    }

    /**
     * Starts listening. The first write sends the headers, a {@code : connected} comment and a
     * {@code resync} with the full list, taken after subscribing: a client builds its state from
     * the stream alone, and no change can fall between its snapshot and its first event.
     */
    void open(Runnable whenClosed) {
        onClose = whenClosed;
        overflowed.set(true);
        subscription = control.registry().subscribe(this);
        pump();
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void onEvent(RegistryEvent e) {
        if (closed.get()) {
            return;
        }
        enqueue(frame(e));
    }

    void heartbeat() {
        enqueue(HEARTBEAT);
    }

    /** A frame made elsewhere (the {@code stats} event). */
    void send(String frame) {
        if (!closed.get()) {
            enqueue(frame);
        }
    }

    static String frame(RegistryEvent e) {
        String data = BackendJson.toJson(e.backend(), e.at()).toString();
        return "id: " + e.sequence() + "\nevent: " + e.kind().wire() + "\ndata: " + data + "\n\n";
    }

    private void enqueue(String frame) {
        if (!queue.offer(frame)) {
            overflowed.set(true);
        }
        pump();
    }

    /** Starts the next write unless one is in flight; its completion calls this again. */
    private void pump() {
        boolean resync;
        synchronized (lock) {
            if (writing || closed.get()) {
                return;
            }
            resync = overflowed.getAndSet(false);
            if (resync) {
                queue.clear();
            } else if (queue.isEmpty()) {
                return;
            }
            writing = true;
        }
        StringBuilder text = new StringBuilder();
        if (resync) {
            if (!connected) {
                connected = true;
                text.append(": connected\n\n");
            } else {
                log.debug(
                        "events client {} fell behind; sent resync",
                        exchange.request().getConnectionMetaData().getRemoteSocketAddress());
            }
            // taken after the queue was cleared, so it covers every event that was dropped; an
            // event queued after this list may repeat a change it holds, which replays to the same state
            text.append("event: resync\ndata: ")
                    .append(BackendEndpoints.listJson(control))
                    .append("\n\n");
        }
        String f;
        while ((f = queue.poll()) != null) {
            text.append(f);
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        exchange.response()
                .write(
                        false,
                        bytes,
                        Callback.from(
                                () -> {
                                    synchronized (lock) {
                                        writing = false;
                                    }
                                    pump();
                                },
                                this::fail));
    }

    /** The client went away (or the write failed): stop listening and end the exchange. */
    void fail(Throwable failure) {
        if (closed.compareAndSet(false, true)) {
            unsubscribe();
            exchange.callback().failed(failure);
        }
    }

    /** The server is stopping: stop listening and end the stream cleanly. */
    void end() {
        if (closed.compareAndSet(false, true)) {
            unsubscribe();
            exchange.callback().succeeded();
        }
    }

    private void unsubscribe() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                log.debug("unsubscribe failed: {}", e.toString());
            }
        }
        onClose.run();
    }
}
