package io.nexusmonitor.cli;

/** the README's 'Command line': 0 ok, 1 runtime failure, 2 bad usage or bad config (nothing started). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {}
}
