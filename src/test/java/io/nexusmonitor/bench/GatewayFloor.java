package io.nexusmonitor.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nexusmonitor.api.ResumeInPlacePools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Issue 5: the floor under {@code bench/gateway.sh}, i.e. how fast a gateway built on Jetty's HTTP
 * server can be on this machine. A measuring instrument, not the product's gateway and not a
 * draft of it: it leaves out everything the gateway adds (routing, registry, metrics, retries,
 * timeouts, Jetty's HTTP client) so that what is left is the cost of the stack itself.
 *
 * <ul>
 *   <li>{@code answer PORT}: Jetty's server answering the bench backend's fixed chat completion
 *       itself, with no upstream. No gateway on Jetty's server can be faster than this.</li>
 *   <li>{@code proxy PORT BACKEND_PORT}: about the least a Jetty-based gateway must do per request.
 *       It reads the body, takes {@code model} with Jackson's streaming parser (as the gateway
 *       does; 400 without one), forwards the request on a kept-alive HTTP/1.1 connection to
 *       127.0.0.1:BACKEND_PORT, copies the status and the end-to-end headers, and streams the body
 *       back (Content-Length, chunked or until EOF). A backend it cannot reach, or one that fails
 *       before its answer has started, gets a 502. Upstream connections are written and parsed
 *       with Jetty's {@link HttpGenerator} and {@link HttpParser} directly, live on the server
 *       connector's own selectors, and wait in a LIFO deque between requests.</li>
 * </ul>
 *
 * <p>Both run on the gateway's thread pool (ResumeInPlaceThreadPool, reached through
 * {@link ResumeInPlacePools}) with one acceptor and two selectors ({@code -Dgatewayfloor.selectors=N}
 * to change), on 127.0.0.1.
 * Not handled, because the bench does not need it: TLS, request bodies that are not fully
 * buffered, {@code Expect: 100-continue} towards the backend (the header is not forwarded), 1xx
 * interim answers, trailers, a limit on upstream connections, retrying a request on a reused
 * connection the backend had just closed (that request gets a 502).
 *
 * <p>Run by {@code bench/gateway-floor.sh}; by hand:
 * {@code java -cp target/test-classes:target/nexus-monitor.jar io.nexusmonitor.bench.GatewayFloor proxy 18101 18100}.
 */
public final class GatewayFloor {
    /** The bench backend's answer (bench/gateway.sh), byte for byte. */
    static final ByteBuffer ANSWER = direct("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "\"finish_reason\":\"stop\"}]}");
    /** Selector threads of the server connector (which the upstream connections share); default 2. */
    static final int SELECTORS = Integer.getInteger("gatewayfloor.selectors", 2);
    /** The gateway's body cap (16 MB). */
    static final int MAX_BODY = 16 << 20;

    static final JsonFactory JSON = new JsonFactory();

    private GatewayFloor() {}

    private static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    public static void main(String[] args) throws Exception {
        Server server;
        if (args.length == 2 && args[0].equals("answer")) {
            server = newServer();
            ServerConnector connector = new ServerConnector(server, 1, SELECTORS, http());
            listen(server, connector, Integer.parseInt(args[1]));
            server.setHandler(new Answer());
        } else if (args.length == 3 && args[0].equals("proxy")) {
            server = newServer();
            Proxy proxy = new Proxy(server, Integer.parseInt(args[2]));
            listen(server, proxy.connector, Integer.parseInt(args[1]));
            server.setHandler(proxy);
        } else {
            System.err.println("usage: GatewayFloor answer PORT | GatewayFloor proxy PORT BACKEND_PORT");
            System.exit(2);
            return;
        }
        server.start();
        System.out.println("GatewayFloor " + args[0] + " listening on 127.0.0.1:" + args[1]);
        server.join();
    }

    private static Server newServer() {
        QueuedThreadPool pool = ResumeInPlacePools.create(200, 4); // the gateway's pool and sizes
        pool.setName("floor");
        return new Server(pool);
    }

    private static HttpConnectionFactory http() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        return new HttpConnectionFactory(config);
    }

    private static void listen(Server server, ServerConnector connector, int port) {
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
    }

    /** The body's top-level string {@code model}, read as the gateway reads it; null when there is none. */
    static String modelOf(byte[] body) {
        String model = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isModel = p.currentName().equals("model");
                JsonToken value = p.nextToken();
                if (isModel && value == JsonToken.VALUE_STRING) {
                    model = p.getText();
                }
                p.skipChildren();
            }
            return p.nextToken() == null ? model : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code answer}: reads the body, answers the fixed completion; never blocks, never dispatches. */
    static final class Answer extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content.Source.consumeAll(
                    request,
                    Callback.from(
                            InvocationType.NON_BLOCKING,
                            () -> {
                                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                                response.write(true, ANSWER.slice(), callback);
                            },
                            callback::failed));
            return true;
        }
    }

    /** {@code proxy}: the handler, the connector whose selectors also run the upstream connections, and their pool. */
    static final class Proxy extends Handler.Abstract.NonBlocking {
        final ServerConnector connector;
        private final InetSocketAddress backend;
        private final HttpField host;
        private final Deque<Upstream> idle = new ConcurrentLinkedDeque<>();

        Proxy(Server server, int backendPort) {
            backend = new InetSocketAddress("127.0.0.1", backendPort);
            host = new HttpField(HttpHeader.HOST, "127.0.0.1:" + backendPort);
            connector = new ServerConnector(server, 1, SELECTORS, http()) {
                @Override
                protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
                    // the server's own selector manager, taught to open upstream connections too:
                    // a channel connected with an Exchange attached becomes an Upstream
                    return new ServerConnectorManager(executor, scheduler, selectors) {
                        @Override
                        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment)
                                throws IOException {
                            return attachment instanceof Exchange x
                                    ? new Upstream(endPoint, getExecutor(), x)
                                    : super.newConnection(channel, endPoint, attachment);
                        }

                        @Override
                        protected void connectionFailed(
                                SelectableChannel channel, Throwable failure, Object attachment) {
                            if (attachment instanceof Exchange x) {
                                x.fail(failure);
                            } else {
                                super.connectionFailed(channel, failure, attachment);
                            }
                        }

                        @Override
                        protected void onAcceptFailed(SelectableChannel channel, Throwable failure, Object attachment) {
                            if (attachment instanceof Exchange x) {
                                x.fail(failure);
                            }
                            super.onAcceptFailed(channel, failure, attachment);
                        }
                    };
                }
            };
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            // as the gateway reads it: the continuation never blocks, so it may run where the last bytes were read
            Content.Source.asByteArrayAsync(
                    request,
                    MAX_BODY,
                    Promise.Invocable.from(InvocationType.NON_BLOCKING, (byte[] body, Throwable failure) -> {
                        if (failure != null) {
                            Response.writeError(request, response, callback, failure);
                        } else if (modelOf(body) == null) {
                            Response.writeError(
                                    request,
                                    response,
                                    callback,
                                    HttpStatus.BAD_REQUEST_400,
                                    "the body must be a JSON object with a string 'model'");
                        } else {
                            try {
                                forward(new Exchange(request, response, callback, body));
                            } catch (RuntimeException e) {
                                Response.writeError(request, response, callback, e); // a 500, not a hung request
                            }
                        }
                    }));
            return true;
        }

        private void forward(Exchange x) {
            for (Upstream u = idle.pollFirst(); u != null; u = idle.pollFirst()) {
                if (u.getEndPoint().isOpen()) {
                    u.send(x);
                    return;
                }
            }
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectorManager selectors = connector.getSelectorManager();
                if (channel.connect(backend)) {
                    selectors.accept(channel, x);
                } else {
                    selectors.connect(channel, x);
                }
            } catch (IOException e) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException closing) {
                        e.addSuppressed(closing);
                    }
                }
                x.fail(e);
            }
        }

        /** Hop-by-hop headers (not copied from the backend's answer) and those Jetty writes itself. */
        private static final Set<HttpHeader> SKIPPED = EnumSet.of(
                HttpHeader.CONNECTION,
                HttpHeader.KEEP_ALIVE,
                HttpHeader.TRANSFER_ENCODING,
                HttpHeader.TE,
                HttpHeader.TRAILER,
                HttpHeader.UPGRADE,
                HttpHeader.PROXY_CONNECTION,
                HttpHeader.PROXY_AUTHENTICATE,
                HttpHeader.PROXY_AUTHORIZATION,
                HttpHeader.SERVER,
                HttpHeader.DATE);

        private static final Set<String> SKIPPED_NAMES = Set.of(
                "connection",
                "keep-alive",
                "transfer-encoding",
                "te",
                "trailer",
                "upgrade",
                "proxy-connection",
                "proxy-authenticate",
                "proxy-authorization",
                "server",
                "date");

        /**
         * One kept-alive HTTP/1.1 connection to the backend, carrying one exchange at a time.
         *
         * <p>All reading is done by {@link #pump}, an {@link IteratingCallback}: it fills the input
         * buffer, parses, and hands each body chunk to the client's response, going on only once
         * that write is done (the chunk is a slice of the input buffer). When the pump has nothing
         * to do it leaves fill interest registered and goes idle, also while the connection waits
         * in the pool, so a backend closing an idle connection is noticed and the connection
         * dropped. Failures all end in closing the endpoint; {@link #onClose} then fails the
         * exchange in flight, if any (502 when nothing was sent to the client yet).
         */
        final class Upstream extends AbstractConnection.NonBlocking implements HttpParser.ResponseHandler {
            private final HttpParser parser = new HttpParser(this);
            private final HttpGenerator generator = new HttpGenerator();
            private final ByteBuffer in = BufferUtil.allocateDirect(16 * 1024);
            private final ByteBuffer header = BufferUtil.allocate(4 * 1024);
            private final AtomicReference<Exchange> exchange = new AtomicReference<>();
            /**
             * Halves of the exchange in flight not yet done: the request's write and the answer. The
             * answer can be complete before the thread that wrote the request has returned from the
             * write; only when both are done may the connection take the next exchange.
             */
            private final AtomicInteger unfinished = new AtomicInteger();

            private final Callback requestWritten = Callback.from(
                    InvocationType.NON_BLOCKING,
                    this::halfDone,
                    failure -> getEndPoint().close(failure));
            private final Pump pump = new Pump();
            private final Exchange first;
            // parser state of the answer in flight, touched by the pump only
            private int status;
            private boolean persistent;
            private ByteBuffer chunk;
            private boolean parseAgain;
            private boolean complete;
            private IOException badAnswer;

            Upstream(EndPoint endPoint, Executor executor, Exchange first) {
                super(endPoint, executor);
                this.first = first;
            }

            @Override
            public void onOpen() {
                super.onOpen();
                send(first);
                pump.iterate(); // reads nothing yet; registers the first fill interest
            }

            @Override
            public void onFillable() {
                pump.iterate();
            }

            @Override
            public void onFillInterestedFailed(Throwable cause) {
                getEndPoint().close(cause);
            }

            @Override
            public void onClose(Throwable cause) {
                super.onClose(cause);
                idle.remove(this);
                Exchange x = exchange.getAndSet(null);
                if (x != null) {
                    x.fail(cause != null ? cause : new EofException("backend connection closed"));
                }
            }

            private void halfDone() {
                if (unfinished.decrementAndGet() == 0) {
                    idle.offerFirst(this);
                }
            }

            /** Writes the request; the pump, already fill-interested, reads the answer. */
            void send(Exchange x) {
                unfinished.set(2);
                exchange.set(x);
                if (!getEndPoint().isOpen()) { // closed meanwhile: onClose may have run before the set
                    if (exchange.compareAndSet(x, null)) {
                        x.fail(new EofException("backend connection closed"));
                    }
                    return;
                }
                HttpFields.Mutable fields = HttpFields.build(4).put(host);
                HttpFields headers = x.request.getHeaders();
                String type = headers.get(HttpHeader.CONTENT_TYPE);
                fields.put(HttpHeader.CONTENT_TYPE, type != null ? type : "application/json");
                String accept = headers.get(HttpHeader.ACCEPT);
                if (accept != null) {
                    fields.put(HttpHeader.ACCEPT, accept);
                }
                String method = x.request.getMethod();
                parser.setHeadResponse("HEAD".equals(method));
                MetaData.Request request = new MetaData.Request(
                        method,
                        HttpURI.from(x.request.getHttpURI().getPathQuery()),
                        HttpVersion.HTTP_1_1,
                        fields,
                        x.body.length);
                ByteBuffer content = ByteBuffer.wrap(x.body);
                try {
                    generator.reset();
                    BufferUtil.clear(header);
                    HttpGenerator.Result r = generator.generateRequest(request, header, null, content, true);
                    if (r != HttpGenerator.Result.FLUSH) {
                        throw new IOException("request head not generated: " + r);
                    }
                    getEndPoint().write(requestWritten, header, content);
                } catch (IOException | RuntimeException e) {
                    getEndPoint().close(e); // onClose answers the exchange
                }
            }

            private final class Pump extends IteratingCallback {
                @Override
                protected Action process() throws Throwable {
                    while (true) {
                        Exchange x =
                                exchange.get(); // re-read: a new exchange may start any time the connection is idle
                        if (badAnswer != null) {
                            throw badAnswer;
                        }
                        if (chunk != null) {
                            ByteBuffer c = chunk;
                            chunk = null;
                            // the parser ends a body whose last bytes were this chunk only when called again
                            parseAgain = true;
                            x.response.write(false, c, this);
                            return Action.SCHEDULED;
                        }
                        if (complete) {
                            complete = false;
                            parser.reset();
                            if (!exchange.compareAndSet(x, null)) {
                                return Action.SUCCEEDED; // failed meanwhile: the connection is closed
                            }
                            if (!persistent) {
                                getEndPoint().close();
                                x.response.write(true, BufferUtil.EMPTY_BUFFER, x.callback);
                                return Action.SUCCEEDED;
                            }
                            // back in the pool (if the request's write is done too) before the last write:
                            // that write may resume the client's connection on this very thread, and its
                            // next request can then take this connection
                            halfDone();
                            x.response.write(true, BufferUtil.EMPTY_BUFFER, x.callback);
                            continue;
                        }
                        if (in.hasRemaining() || parseAgain) {
                            if (x == null) {
                                throw new IOException("backend sent bytes on an idle connection");
                            }
                            parseAgain = false;
                            parser.parseNext(in); // stops at each body chunk and at the end of the answer
                            if (chunk != null || complete || in.hasRemaining()) {
                                continue;
                            }
                        }
                        int n = getEndPoint().fill(in);
                        if (n > 0) {
                            continue;
                        }
                        if (n == 0) {
                            if (!isFillInterested()) {
                                fillInterested();
                            }
                            return Action.IDLE;
                        }
                        if (x == null) { // the backend closed an idle connection
                            getEndPoint().close();
                            return Action.SUCCEEDED;
                        }
                        parser.atEOF();
                        parser.parseNext(in); // completes an answer whose body ends at EOF
                        if (!complete) {
                            throw new EofException("backend closed the connection before the end of its answer");
                        }
                    }
                }

                @Override
                protected void onCompleteFailure(Throwable cause) {
                    getEndPoint().close(cause); // onClose fails the exchange
                }

                @Override
                public InvocationType getInvocationType() {
                    return InvocationType.NON_BLOCKING; // a client write completing may carry on here
                }
            }

            @Override
            public void startResponse(HttpVersion version, int status, String reason) {
                this.status = status;
                persistent = version == HttpVersion.HTTP_1_1;
            }

            @Override
            public void parsedHeader(HttpField field) {
                HttpHeader known = field.getHeader();
                if (known == HttpHeader.CONNECTION && field.contains("close")) {
                    persistent = false;
                }
                if (known != null ? !SKIPPED.contains(known) : !SKIPPED_NAMES.contains(field.getLowerCaseName())) {
                    exchange.get().response.getHeaders().add(field);
                }
            }

            @Override
            public boolean headerComplete() {
                exchange.get().response.setStatus(status);
                return false;
            }

            @Override
            public boolean content(ByteBuffer content) {
                chunk = content;
                return true;
            }

            @Override
            public boolean contentComplete() {
                return false;
            }

            @Override
            public boolean messageComplete() {
                complete = true;
                return true;
            }

            @Override
            public void earlyEOF() {
                // the pump sees the answer incomplete and fails it
            }

            @Override
            public void badMessage(HttpException failure) {
                badAnswer = new IOException(
                        "backend answer cannot be parsed: " + failure.getCode() + " " + failure.getReason());
            }
        }
    }

    /** One client request on its way through the proxy. */
    record Exchange(Request request, Response response, Callback callback, byte[] body) {
        /** Ends it after a failure upstream: 502 when nothing has reached the client yet, else an aborted answer. */
        void fail(Throwable cause) {
            if (response.isCommitted()) {
                callback.failed(cause);
            } else {
                response.reset();
                Response.writeError(
                        request, response, callback, HttpStatus.BAD_GATEWAY_502, "backend failed: " + cause);
            }
        }
    }
}
