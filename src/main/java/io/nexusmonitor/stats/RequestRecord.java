package io.nexusmonitor.stats;

/**
 * One finished request through the gateway, as measured on the proxy path: times are nanoseconds
 * from the moment the request was sent to the backend (the same instant {@code RouteStats} learns
 * time to first token from), -1 where that point was never reached.
 *
 * @param backendId        the registry id of the backend that answered (or was tried last)
 * @param backendUrl       its normalised URL: the identity that survives a restart
 * @param backendName      its display name
 * @param model            the model the backend was asked for
 * @param endedAtMillis    wall-clock end, epoch milliseconds
 * @param firstByteNanos   first body byte of the answer
 * @param firstTokenNanos  first content token (for an answer that is not streamed: its first byte)
 * @param totalNanos       last byte, or the moment it failed
 * @param promptTokens     tokens in, -1 when unknown
 * @param completionTokens tokens out, -1 when unknown
 * @param estimated        true when {@code completionTokens} counts streamed content chunks instead of the backend's {@code usage}
 * @param outcome          how it ended
 */
public record RequestRecord(
        String backendId,
        String backendUrl,
        String backendName,
        String model,
        long endedAtMillis,
        long firstByteNanos,
        long firstTokenNanos,
        long totalNanos,
        int promptTokens,
        int completionTokens,
        boolean estimated,
        Outcome outcome) {

    /** Generation speed: completion tokens over the time from the first content token to the end; NaN when unknown. */
    public double tokensPerSecond() {
        if (completionTokens <= 1 || firstTokenNanos < 0 || totalNanos <= firstTokenNanos) {
            return Double.NaN;
        }
        return (completionTokens - 1) / ((totalNanos - firstTokenNanos) / 1e9);
    }
}
