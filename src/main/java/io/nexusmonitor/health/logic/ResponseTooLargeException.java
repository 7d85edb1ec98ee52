package io.nexusmonitor.health.logic;

import java.io.IOException;

/** A probe answer longer than the cap; the HTTP adapter aborts the download with it. */
public final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limitBytes;

    public ResponseTooLargeException(long limitBytes) {
        super("response larger than " + Failure.megabytes(limitBytes));
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
