package io.nexusmonitor.api;

import io.nexusmonitor.testing.LoopbackHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A backend in the test JVM on 127.0.0.1: records what it is sent and answers as the test says,
 * including streams whose chunks the test releases one by one.
 */
final class FakeUpstream implements AutoCloseable {

    /** What the fake received. */
    record Received(String method, String path, String body, String accept, HttpFields headers) {}

    /** How to answer one request. */
    @FunctionalInterface
    interface Behaviour {
        void respond(Received request, Response response, Callback callback);
    }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = json(200, "{\"ok\":true}");

    FakeUpstream() {
        LoopbackHttp.serve(server, connector, (request, body, failure, response, callback) -> {
            if (failure != null) {
                callback.failed(failure);
                return;
            }
            Received r = new Received(
                    request.getMethod(),
                    Request.getPathInContext(request),
                    body,
                    request.getHeaders().get(HttpHeader.ACCEPT),
                    request.getHeaders().asImmutable());
            all.add(r);
            received.add(r);
            behaviour.respond(r, response, callback);
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    FakeUpstream answer(Behaviour b) {
        this.behaviour = b;
        return this;
    }

    /** The next request it received, waiting up to 10 s. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the fake backend received no request");
        }
        return r;
    }

    int requestCount() {
        return all.size();
    }

    static Behaviour json(int status, String body) {
        return (req, response, callback) -> {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, body, callback);
        };
    }

    /** Echoes the received body back as JSON, so tests see what the gateway forwarded. */
    static Behaviour echo() {
        return (req, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, req.body(), callback);
        };
    }

    /** Answers with SSE headers and hands the stream to the test, which sends each chunk itself. */
    static Behaviour stream(CompletableFuture<Stream> handed) {
        return (req, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            handed.complete(new Stream(response, callback));
        };
    }

    /** Never answers: the test decides (or the caller times out). */
    static Behaviour hang(CompletableFuture<Stream> handed) {
        return (req, response, callback) -> handed.complete(new Stream(response, callback));
    }

    /** A response the test writes chunk by chunk. */
    static final class Stream {
        private final Response response;
        private final Callback callback;

        Stream(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        /** Writes one chunk and waits until it is handed to the network; throws when the peer is gone. */
        void send(String chunk) throws Exception {
            Callback.Completable done = new Callback.Completable();
            response.write(false, ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)), done);
            done.get(5, TimeUnit.SECONDS);
        }

        /** True once a write fails: the gateway closed the upstream connection. */
        boolean peerGone() {
            try {
                send(": ping\n\n");
                return false;
            } catch (Exception e) {
                return true;
            }
        }

        void end() {
            response.write(true, ByteBuffer.allocate(0), callback);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
