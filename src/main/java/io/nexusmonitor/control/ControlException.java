package io.nexusmonitor.control;

/** A user action that cannot be done, with a sentence saying why. */
public final class ControlException extends RuntimeException {

    public enum Reason {
        /** No such backend: HTTP 404. */
        NOT_FOUND,
        /** Conflicts with the current state (URL exists, config backend): HTTP 409. */
        CONFLICT,
        /** Invalid input: HTTP 400. */
        INVALID,
        /** A cap of {@code [limits]} is reached (the registry holds max_backends): HTTP 429. */
        LIMIT_REACHED
    }

    private final Reason reason;

    public ControlException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static ControlException notFound(String id) {
        return new ControlException(Reason.NOT_FOUND, "no backend with id '" + id + "'");
    }
}
