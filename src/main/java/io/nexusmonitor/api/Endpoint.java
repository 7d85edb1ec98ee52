package io.nexusmonitor.api;

/**
 * Answers one route. It may complete the exchange later (streaming, proxying); it may throw
 * {@link ApiError.Failure} or {@link io.nexusmonitor.control.ControlException} before it has
 * written anything, and the handler turns that into the error answer.
 */
@FunctionalInterface
public interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
