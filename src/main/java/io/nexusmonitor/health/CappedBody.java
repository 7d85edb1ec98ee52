package io.nexusmonitor.health;

import io.nexusmonitor.health.logic.ResponseTooLargeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Reads a response body into memory up to a cap and aborts the download past it, so a server
 * that answers with a gigabyte costs at most the cap, and the failure says why.
 */
final class CappedBody implements Response.Listener {

    /** A complete answer. */
    record Answer(int status, String reason, byte[] body) {
    }

    private final int cap;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<Answer> done = new CompletableFuture<>();

    CappedBody(int cap) {
        this.cap = cap;
    }

    CompletableFuture<Answer> future() {
        return done;
    }

    @Override
    public void onHeaders(Response response) {
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > cap) {
            response.abort(new ResponseTooLargeException(cap));
        }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        if (body.size() + (long) content.remaining() > cap) {
            response.abort(new ResponseTooLargeException(cap));
            return;
        }
        byte[] chunk = new byte[content.remaining()];
        content.get(chunk);
        body.writeBytes(chunk);
    }

    @Override
    public void onComplete(Result result) {
        if (result.isFailed()) {
            done.completeExceptionally(result.getFailure());
        } else {
            Response r = result.getResponse();
            done.complete(new Answer(r.getStatus(), r.getReason(), body.toByteArray()));
        }
    }
}
