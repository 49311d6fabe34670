package io.rttpick.serve;

import java.util.function.Function;

/**
 * Reactor rethrows a JVM-fatal error (an OutOfMemoryError) thrown inside an operator instead of
 * signalling it, which would leave a call unanswered: the work our methods do inside operators
 * goes through here, so that any Throwable becomes an ordinary error the endpoint answers.
 */
final class Safe {
    private Safe() {
    }

    /** A Throwable that a method's work raised, carried as an ordinary error. */
    static final class HandlerFailure extends RuntimeException {
        HandlerFailure(Throwable cause) {
            super(String.valueOf(cause), cause, false, false);
        }
    }

    static <T, R> Function<T, R> fn(Function<T, R> f) {
        return t -> {
            try {
                return f.apply(t);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new HandlerFailure(e);
            }
        };
    }
}
