package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.unix.NativeCallException;
import java.net.InetSocketAddress;
import java.time.Duration;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/**
 * The canary over the simulated kqueue, with every kevent marshalled through memory the way the
 * JNR binding does on a Mac: written with the binding's layout, read by the "kernel" with
 * Darwin's, and back. With the right struct size the canary passes; with a wrong one it must not.
 */
class DarwinKqueueCanaryTest {

    @Test
    void theSimulatedKqueueThroughDarwinsLayoutPasses() {
        Throwable cause = DarwinKqueue.canary(() -> new Marshalled(new SimulatedDarwin(), KEventLayout.DARWIN_64), Duration.ofSeconds(2));
        assertNull(cause, () -> String.valueOf(cause));
    }

    @Test
    void aWrongStructKeventSizeIsCaught() {
        for (int size : new int[] {24, 40}) {
            Throwable cause = DarwinKqueue.canary(() -> new Marshalled(new SimulatedDarwin(), new KEventLayout(size)),
                    Duration.ofMillis(500));
            System.out.printf("canary with a %d-byte struct kevent: %s%n", size, cause);
            assertNotNull(cause, "a " + size + "-byte struct kevent passed the canary");
            assertTrue(cause.getMessage().startsWith("canary"), cause.getMessage());
        }
    }

    /** Darwin's system calls with kevent arrays passed through memory, as the binding passes them. */
    private static final class Marshalled implements DarwinSystem {
        private final DarwinSystem kernel;
        private final KEventLayout binding;
        private final Runtime runtime = Runtime.getSystemRuntime();

        Marshalled(DarwinSystem kernel, KEventLayout binding) {
            this.kernel = kernel;
            this.binding = binding;
        }

        @Override
        public int kevent(int kq, KEvent[] changes, int nchanges, KEvent[] out, long timeoutNanos) throws NativeCallException {
            int stride = Math.max(binding.size, KEventLayout.SIZE);
            Pointer in = Memory.allocateDirect(runtime, Math.max(1, nchanges) * stride + KEventLayout.SIZE);
            for (int i = 0; i < nchanges; i++) {
                binding.write(in, i, changes[i]);
            }
            KEvent[] seen = new KEvent[nchanges];
            for (int i = 0; i < nchanges; i++) {
                seen[i] = new KEvent();
                KEventLayout.DARWIN_64.read(in, i, seen[i]);
            }
            KEvent[] produced = new KEvent[out.length];
            for (int i = 0; i < out.length; i++) {
                produced[i] = new KEvent();
            }
            int n = kernel.kevent(kq, seen, nchanges, produced, timeoutNanos);
            Pointer back = Memory.allocateDirect(runtime, Math.max(1, out.length) * stride + KEventLayout.SIZE);
            for (int i = 0; i < n; i++) {
                KEventLayout.DARWIN_64.write(back, i, produced[i]);
            }
            for (int i = 0; i < n; i++) {
                binding.read(back, i, out[i]);
            }
            return n;
        }

        @Override
        public int socket(int family) throws NativeCallException {
            return kernel.socket(family);
        }

        @Override
        public void setNonBlocking(int fd) throws NativeCallException {
            kernel.setNonBlocking(fd);
        }

        @Override
        public void setIntOption(int fd, int level, int option, int value, String name) throws NativeCallException {
            kernel.setIntOption(fd, level, option, value, name);
        }

        @Override
        public void setLingerZero(int fd) throws NativeCallException {
            kernel.setLingerZero(fd);
        }

        @Override
        public void bind(int fd, InetSocketAddress local) throws NativeCallException {
            kernel.bind(fd, local);
        }

        @Override
        public boolean connect(int fd, InetSocketAddress target) throws NativeCallException {
            return kernel.connect(fd, target);
        }

        @Override
        public int socketError(int fd) throws NativeCallException {
            return kernel.socketError(fd);
        }

        @Override
        public TcpConnectionInfo connectionInfo(int fd) throws NativeCallException {
            return kernel.connectionInfo(fd);
        }

        @Override
        public void close(int fd) throws NativeCallException {
            kernel.close(fd);
        }

        @Override
        public int kqueue() throws NativeCallException {
            return kernel.kqueue();
        }

        @Override
        public String strerror(int errno) {
            return kernel.strerror(errno);
        }
    }
}
