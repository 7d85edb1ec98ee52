package io.nexusmonitor.registry;

import java.time.Instant;

/**
 * One transition in a backend's life: {@code found}, {@code goodbye}, {@code timeout}, {@code HTTP 503}, {@code pinned}, ...
 *
 * @param status the status after the transition
 * @param cause  why, in words a user understands
 */
public record HistoryEntry(Instant at, BackendStatus status, String cause) {}
