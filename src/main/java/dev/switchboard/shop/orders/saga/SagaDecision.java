package dev.switchboard.shop.orders.saga;

/** The saga's rule, pure: confirm when payment and stock are both in, cancel on the first refusal, else wait. */
sealed interface SagaDecision {

    record Wait() implements SagaDecision {
    }

    record Confirm() implements SagaDecision {
    }

    record Cancel(String reason) implements SagaDecision {
    }

    static SagaDecision of(String payment, String stock, String outcome) {
        if (outcome != null) {
            return new Wait();
        }
        if ("declined".equals(payment)) {
            return new Cancel("payment declined");
        }
        if ("short".equals(stock)) {
            return new Cancel("stock short");
        }
        if ("authorized".equals(payment) && "reserved".equals(stock)) {
            return new Confirm();
        }
        return new Wait();
    }
}
