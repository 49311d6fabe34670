package io.rttpick.fleet.tun;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.IntPredicate;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Transient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the calling thread under SCHED_FIFO, so that the fleet's thread is not preempted by the
 * prober, tcpdump or the JVM's own threads on a small machine: the fleet's timing must not blur
 * what the probers measure. Needs root (CAP_SYS_NICE); without it the
 * thread stays as it was and says so once. The kernel's RT throttling (95% by default) still
 * keeps a runaway thread from starving the machine.
 *
 * <p>With two CPUs or more, the thread also keeps to the last CPU: real servers do not take the
 * client's CPU (measured: with a reader and a spinning delay line free to take both cores,
 * launching 10,000 connects took 0.8–1.0 s). And the process's other threads keep off that CPU
 * while the fleet runs: a client thread the scheduler placed there ran only in the gaps of the
 * fleet's spin (measured: 10,000-server bench runs fell into two groups, about 0.51 s and
 * 0.65–0.76 s of wall time, the slow ones with the event loop partly on the fleet's CPU).
 */
final class RealtimeThreads {
    private static final Logger log = LoggerFactory.getLogger(RealtimeThreads.class);
    /** sched.h */
    private static final int SCHED_FIFO = 1;
    /** Low among real-time priorities (1..99): above every normal thread, below the kernel's own. */
    private static final int PRIORITY = 10;
    /** cpu_set_t as glibc sizes it: 1,024 CPUs. */
    private static final int CPU_SET_BYTES = 128;

    /** The calls, for JNR; public only because JNR implements it in a loader of its own. */
    public interface LibC {
        int gettid();

        @SaveError
        int sched_setscheduler(int pid, int policy, @In @Transient Pointer param);

        @SaveError
        int sched_setaffinity(int pid, long cpusetsize, @In @Transient Pointer mask);

        String strerror(int errno);
    }

    private static final LibC C = LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(C);

    private RealtimeThreads() {
    }

    /**
     * The fleet's CPU: the last one; -1 with a single CPU (nothing to keep apart). Counted once,
     * when the class loads: the JVM counts the calling thread's allowed CPUs, and once the fleet's
     * thread is pinned that is one.
     */
    private static final int FLEET_CPU = lastCpu(Runtime.getRuntime().availableProcessors());

    static int fleetCpu() {
        return FLEET_CPU;
    }

    private static int lastCpu(int cpus) {
        return cpus < 2 ? -1 : cpus - 1;
    }

    /**
     * Every other thread of the process (threads they start inherit it) to every CPU but the
     * fleet's, or back to all of them when {@code keepOff} is false. Called by the fleet's thread.
     */
    static void keepOtherThreadsOffFleetCpu(boolean keepOff) {
        int fleetCpu = fleetCpu();
        if (fleetCpu < 0) {
            return;
        }
        try {
            int self = C.gettid();
            Pointer mask = cpuMask(cpu -> cpu < fleetCpu || !keepOff);
            File[] tasks = new File("/proc/self/task").listFiles();
            for (File task : tasks == null ? new File[0] : tasks) {
                int tid = Integer.parseInt(task.getName());
                if (tid == self || isFleetThread(task)) {
                    continue; // a fleet keeps its own CPU, another fleet's thread included
                }
                // a thread that ended meanwhile (ESRCH) needs nothing
                if (C.sched_setaffinity(tid, CPU_SET_BYTES, mask) != 0 && RUNTIME.getLastError() != 3) {
                    log.warn("fleet: thread {} not moved off CPU {} ({})", tid, fleetCpu, C.strerror(RUNTIME.getLastError()));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            log.warn("fleet: cannot keep the other threads off the fleet's CPU", e);
        }
    }

    /** True when the calling thread now runs under SCHED_FIFO. */
    static boolean makeCurrentRealtime() {
        try {
            pinToFleetCpu();
            Pointer param = Memory.allocateDirect(RUNTIME, 4);
            param.putInt(0, PRIORITY); // struct sched_param { int sched_priority; }
            if (C.sched_setscheduler(C.gettid(), SCHED_FIFO, param) == 0) {
                return true;
            }
            int errno = RUNTIME.getLastError();
            log.warn("fleet: {} stays a normal thread (SCHED_FIFO: {}); its timing may be blurred by other threads",
                    Thread.currentThread().getName(), C.strerror(errno));
        } catch (RuntimeException | LinkageError e) {
            log.warn("fleet: cannot ask for SCHED_FIFO", e);
        }
        return false;
    }

    /** A cpu_set_t of the CPUs 0..fleetCpu() that {@code include} takes. */
    private static Pointer cpuMask(IntPredicate include) {
        Pointer mask = Memory.allocateDirect(RUNTIME, CPU_SET_BYTES, true);
        for (int cpu = 0; cpu <= fleetCpu(); cpu++) {
            if (include.test(cpu)) {
                mask.putByte(cpu / 8, (byte) (mask.getByte(cpu / 8) | (1 << (cpu % 8))));
            }
        }
        return mask;
    }

    private static boolean isFleetThread(File task) {
        try {
            return Files.readString(task.toPath().resolve("comm")).startsWith("fleet-");
        } catch (IOException e) {
            return false; // ended meanwhile
        }
    }

    /** The last CPU, when there is more than one; a failure only costs the prober some CPU, so it is logged. */
    private static void pinToFleetCpu() {
        int cpu = fleetCpu();
        if (cpu < 0) {
            return; // nothing to keep apart
        }
        Pointer mask = cpuMask(c -> c == cpu);
        if (C.sched_setaffinity(C.gettid(), CPU_SET_BYTES, mask) != 0) {
            log.warn("fleet: {} not pinned to CPU {} ({}); it may take CPU time from the prober",
                    Thread.currentThread().getName(), cpu, C.strerror(RUNTIME.getLastError()));
        }
    }
}
