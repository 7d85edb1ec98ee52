package io.nexusmonitor.stats;

/**
 * The figures of one set of requests over one window. Times in milliseconds; NaN where no
 * request gave the figure.
 *
 * @param requests         requests that ended in the window
 * @param errors           those that ended 5xx or timed out ({@link Outcome#isError})
 * @param clientErrors     4xx answers
 * @param cancelled        requests the caller gave up
 * @param promptTokens     tokens in (known counts only)
 * @param completionTokens tokens out, estimated ones included
 * @param estimated        requests whose completion tokens were counted from stream chunks
 * @param ttftP50          time to first content token, median
 * @param tokensPerSecond  generation speed over the requests that gave one (tokens after the first over their time)
 */
public record Summary(
        long requests,
        long errors,
        long clientErrors,
        long cancelled,
        long promptTokens,
        long completionTokens,
        long estimated,
        double ttftP50,
        double ttftP95,
        double ttftP99,
        double durationP50,
        double durationP95,
        double durationP99,
        double tokensPerSecond) {

    public static final Summary EMPTY = new Summary(
            0, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Errors over requests, 0 when there were none. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
