package io.nexusmonitor.api;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers by itself (a malformed request line, headers too large, a failure after a
 * handler gave up) in the same OpenAI shape as ours, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String text = message != null && !message.isBlank() ? message : HttpStatus.getMessage(code);
        String type = code >= 500 ? ApiError.SERVER_ERROR : ApiError.INVALID_REQUEST;
        String errorCode = HttpStatus.getMessage(code).toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
        byte[] body = new ApiError(code, type, errorCode, text).toJson().toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
