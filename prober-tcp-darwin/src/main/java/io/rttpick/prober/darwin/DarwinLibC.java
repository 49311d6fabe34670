package io.rttpick.prober.darwin;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Transient;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls of the Darwin prober, declared for JNR. Public only because JNR implements it
 * in a class loader of its own; not an API: only {@link JnrDarwinSystem} calls it.
 */
public interface DarwinLibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    /**
     * {@code int fcntl(int, int, ...)} is variadic: on Apple Silicon variadic arguments go on the
     * stack, not in registers, so the third argument must be declared as one.
     */
    @SaveError
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int arg);

    @SaveError
    int setsockopt(int fd, int level, int option, @In @Transient Pointer value, int length);

    @SaveError
    int getsockopt(int fd, int level, int option, @Out @Transient Pointer value, IntByReference length);

    @SaveError
    int bind(int fd, @In @Transient Pointer address, int length);

    @SaveError
    int connect(int fd, @In @Transient Pointer address, int length);

    @SaveError
    int close(int fd);

    @SaveError
    int kqueue();

    @SaveError
    int kevent(int kq, @In @Transient Pointer changes, int nchanges, @Out @Transient Pointer events, int nevents,
            @In @Transient Pointer timeout);

    String strerror(int errno);
}
