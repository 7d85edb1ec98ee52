package io.nexusmonitor.http;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.ConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Pool;
import org.jspecify.annotations.Nullable;

/**
 * A Jetty client connection pool (one request per connection at a time, HTTP/1.1) whose acquire
 * does not scan: idle connections wait on a stack, so taking one, or finding there is none, costs
 * the same with 10 or 8000 connections open. Jetty's default ({@code DuplexConnectionPool} over a
 * {@code ConcurrentPool}, which its javadoc recommends for at most 256 entries) walks the list of
 * every connection on each acquire, and when none is idle (every new stream while all held
 * streams keep theirs) twice: at 2000 held streams that was 3 % of the gateway's CPU
 * ({@code bench/streams.sh}, JFR and async-profiler). The most recently released connection is
 * reused first, so surplus ones stay idle and are closed by the client's idle timeout.
 *
 * <p>Everything else (creating connections on demand, the pending count, max usage and duration,
 * closing at stop) is Jetty's own {@link AbstractConnectionPool}; only the {@link Pool} of entries
 * is ours. Entries are never multiplexed.
 */
public final class IdleStackConnectionPool extends AbstractConnectionPool {
    public IdleStackConnectionPool(Destination destination, int maxConnections) {
        super(destination, () -> new IdleStack<>(maxConnections), 1);
    }

    /** For {@code HttpClientTransport.setConnectionPoolFactory}. */
    public static ConnectionPool.Factory factory(int maxConnections) {
        return destination -> new IdleStackConnectionPool(destination, maxConnections);
    }

    /**
     * The entries: a set of all (for size, stream and terminate) and a stack of the idle ones. An
     * entry's state changes only by compare-and-set, and it is pushed on the stack by whoever made
     * it idle (enable or release) after doing so, so every idle entry is on the stack; a removed
     * entry may linger there until an acquire pops and skips it.
     */
    static final class IdleStack<P> implements Pool<P> {
        private final int maxSize;
        private final Set<Slot<P>> all = ConcurrentHashMap.newKeySet();
        private final ConcurrentLinkedDeque<Slot<P>> idle = new ConcurrentLinkedDeque<>();
        /** Reserved, idle and in-use entries: counted up before an entry exists, so never above maxSize. */
        private final AtomicInteger size = new AtomicInteger();

        private volatile boolean terminated;

        IdleStack(int maxSize) {
            if (maxSize <= 0) {
                throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
            }
            this.maxSize = maxSize;
        }

        @Override
        public @Nullable Entry<P> reserve() {
            while (true) {
                int n = size.get();
                if (terminated || n >= maxSize) {
                    return null;
                }
                if (size.compareAndSet(n, n + 1)) {
                    break;
                }
            }
            Slot<P> slot = new Slot<>(this);
            all.add(slot);
            if (terminated && all.remove(slot)) { // terminate() ran between the check and the add
                size.decrementAndGet();
                return null;
            }
            return slot;
        }

        @Override
        public @Nullable Entry<P> acquire() {
            while (!terminated) {
                Slot<P> slot = idle.pollFirst();
                if (slot == null) {
                    return null;
                }
                if (slot.state.compareAndSet(Slot.IDLE, Slot.IN_USE)) {
                    return slot;
                }
                // removed while it waited: drop it and look at the next
            }
            return null;
        }

        @Override
        public boolean isTerminated() {
            return terminated;
        }

        /** Marks the pool terminated and returns its entries; each is then still removable once (closing it). */
        @Override
        public Collection<Entry<P>> terminate() {
            terminated = true;
            List<Entry<P>> entries = List.copyOf(all);
            all.clear();
            idle.clear();
            return entries;
        }

        @Override
        public int size() {
            return size.get();
        }

        @Override
        public int getMaxSize() {
            return maxSize;
        }

        @Override
        public Stream<Entry<P>> stream() {
            return all.stream().<Entry<P>>map(s -> s);
        }

        private void pushIdle(Slot<P> slot) {
            idle.offerFirst(slot);
            // removed between becoming idle and being pushed: take it off again (an acquire would skip it anyway)
            if (slot.state.get() != Slot.IDLE) {
                idle.remove(slot);
            }
        }

        private void removed(Slot<P> slot, int previous) {
            if (all.remove(slot)) {
                size.decrementAndGet();
            }
            if (previous == Slot.IDLE) {
                idle.remove(slot); // only at idle timeouts and closes, never on the request path
            }
        }
    }

    /** One entry: reserved (its connection is being opened), idle, in use, or removed. */
    static final class Slot<P> implements Pool.Entry<P> {
        static final int RESERVED = 0;
        static final int IDLE = 1;
        static final int IN_USE = 2;
        static final int REMOVED = 3;

        private final IdleStack<P> pool;
        final AtomicInteger state = new AtomicInteger(RESERVED);
        /** Set once by enable, before the state leaves RESERVED (which publishes it). */
        private @Nullable P pooled;

        Slot(IdleStack<P> pool) {
            this.pool = pool;
        }

        @Override
        public boolean enable(P pooled, boolean acquire) {
            Objects.requireNonNull(pooled);
            if (pool.terminated || state.get() == REMOVED) {
                return false;
            }
            if (state.get() != RESERVED) {
                throw new IllegalStateException("entry already enabled: " + this);
            }
            this.pooled = pooled;
            if (!state.compareAndSet(RESERVED, acquire ? IN_USE : IDLE)) {
                this.pooled = null;
                return false; // removed meanwhile
            }
            if (!acquire) {
                pool.pushIdle(this);
            }
            return true;
        }

        @Override
        @SuppressWarnings("NullAway") // only read after enable, which set it
        public P getPooled() {
            return pooled;
        }

        /** In use → idle (and on the stack); false when it was removed, or the pool terminated, so the caller removes it. */
        @Override
        public boolean release() {
            if (pool.terminated || !state.compareAndSet(IN_USE, IDLE)) {
                return false;
            }
            pool.pushIdle(this);
            return true;
        }

        /** Removes it from the pool; true only for the call that did (in use or not), as Jetty's pools do. */
        @Override
        public boolean remove() {
            while (true) {
                int s = state.get();
                if (s == REMOVED) {
                    return false;
                }
                if (state.compareAndSet(s, REMOVED)) {
                    pool.removed(this, s);
                    return true;
                }
            }
        }

        @Override
        public boolean isReserved() {
            return state.get() == RESERVED;
        }

        @Override
        public boolean isIdle() {
            return state.get() == IDLE;
        }

        @Override
        public boolean isInUse() {
            return state.get() == IN_USE;
        }

        @Override
        public boolean isTerminated() {
            return pool.terminated || state.get() == REMOVED;
        }

        @Override
        public String toString() {
            String[] names = {"reserved", "idle", "in use", "removed"};
            return "Slot[" + names[state.get()] + ", " + pooled + "]";
        }
    }
}
