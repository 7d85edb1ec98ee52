package io.nexusmonitor.stats;

import java.util.Locale;

/** How one proxied request ended, in the few classes the telemetry counts. */
public enum Outcome {
    /** A 1xx-3xx answer came through whole. */
    OK,
    /** The backend answered 4xx (the caller's request was refused). */
    CLIENT_ERROR,
    /** A 5xx answer, a connection failure, or a stream that broke off. */
    SERVER_ERROR,
    /** The backend did not answer within {@code request_timeout_seconds}. */
    TIMEOUT,
    /** The caller went away before the answer ended. */
    CANCELLED;

    /** {@code ok}, {@code 4xx}, {@code 5xx}, {@code timeout}, {@code cancelled}: the wire name. */
    public String wire() {
        return switch (this) {
            case OK -> "ok";
            case CLIENT_ERROR -> "4xx";
            case SERVER_ERROR -> "5xx";
            case TIMEOUT -> "timeout";
            case CANCELLED -> "cancelled";
        };
    }

    /** True for outcomes that count toward a backend's error rate (a refused request or a cancel is not its fault). */
    public boolean isError() {
        return this == SERVER_ERROR || this == TIMEOUT;
    }

    /** The class of an HTTP status the backend answered with. */
    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return status == 504 ? TIMEOUT : SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : OK;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
