package io.rttpick.selector;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order they came, on whichever thread enqueues them, with no
 * thread of its own and no lock held while a task runs (grpc-java's SynchronizationContext). A
 * task enqueued from inside a task runs right after it, on the same thread. A caller never waits
 * for another's task: when one thread is draining, the others enqueue and return, and the
 * draining thread runs their tasks too.
 */
final class SerialQueue {
    private static final Logger log = LoggerFactory.getLogger(SerialQueue.class);
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> drainer = new AtomicReference<>();

    void execute(Runnable task) {
        tasks.add(task);
        drain();
    }

    /** Whether the calling thread is running this queue's tasks now (a task, or a callback it made): it must not wait for them. */
    boolean isDrainingHere() {
        return drainer.get() == Thread.currentThread();
    }

    private void drain() {
        do {
            if (!drainer.compareAndSet(null, Thread.currentThread())) {
                return;
            }
            try {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        // one task's failure must not stop the others: the selector's state stays consistent
                        log.error("fleet selector: a task failed", e);
                    }
                }
            } finally {
                drainer.set(null);
            }
        } while (!tasks.isEmpty());
    }
}
