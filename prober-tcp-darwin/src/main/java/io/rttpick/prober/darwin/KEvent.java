package io.rttpick.prober.darwin;

/**
 * One {@code struct kevent}, mutable so that the loop reuses its arrays: the fields as Darwin
 * names them (ident, filter, flags, fflags, data, udata).
 */
final class KEvent {
    long ident;
    short filter;
    int flags;
    int fflags;
    long data;
    long udata;

    KEvent set(long ident, short filter, int flags, int fflags) {
        this.ident = ident;
        this.filter = filter;
        this.flags = flags;
        this.fflags = fflags;
        this.data = 0;
        this.udata = 0;
        return this;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return "kevent{ident=" + ident + ", filter=" + filter + ", flags=0x" + Integer.toHexString(flags)
                + ", fflags=" + fflags + ", data=" + data + "}";
    }
}
