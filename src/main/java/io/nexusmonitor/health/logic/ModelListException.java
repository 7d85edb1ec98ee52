package io.nexusmonitor.health.logic;

/** A model list that cannot be read; the message is a sentence for {@code last_error}. */
public final class ModelListException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelListException(String message) {
        super(message);
    }
}
