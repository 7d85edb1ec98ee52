package io.nexusmonitor.health.logic;

import java.io.IOException;

/**
 * An answer not read because the checks in flight hold the whole budget for buffered answers
 * already: many backends answering huge lists at once cost at most the budget, not the heap.
 */
public final class ProbeBudgetException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProbeBudgetException(long budgetBytes) {
        super("answer not read: other checks are reading " + Failure.megabytes(budgetBytes)
                + " of answers at once; it is read again at the next check");
    }
}
