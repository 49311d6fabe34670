package io.rttpick.prober.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;
import jnr.ffi.Pointer;

/**
 * Reads the ICMP error that ended a connect, from the socket's error queue (IP_RECVERR /
 * IPV6_RECVERR, set on every probe socket): ECONNREFUSED is either the server's RST or an ICMP
 * port unreachable, and only the queue tells them apart (an RST leaves it empty). Layouts for
 * LP64 Linux: struct msghdr (56 bytes) with control (ptr) at 32 and controllen (size_t) at 40;
 * struct cmsghdr: len (size_t), level (int), type (int), data at 16; struct sock_extended_err
 * (linux/errqueue.h): ee_errno (u32) 0, ee_origin 4, ee_type 5, ee_code 6, pad 7, info 8, data 12,
 * then the offender's sockaddr at 16. Event-loop thread only.
 */
final class IcmpErrorQueue {
    static final int MSGHDR_SIZE = 56;
    static final int CONTROL_SIZE = 128;
    private static final int CMSG_HEADER = 16;
    private static final int EE_SIZE = 16;

    private final Pointer msghdr;
    private final Pointer iovec;
    private final Pointer data;
    private final Pointer control;

    /** Its buffers come from (and go with) the owner's arena. */
    IcmpErrorQueue(NativeArena arena) {
        this.msghdr = arena.allocate(MSGHDR_SIZE);
        this.iovec = arena.allocate(16);
        this.data = arena.allocate(64);
        this.control = arena.allocate(CONTROL_SIZE);
    }

    /** An ICMP error as the kernel queued it. */
    static final class Report {
        final boolean v6;
        final int type;
        final int code;
        final InetAddress from;

        Report(boolean v6, int type, int code, InetAddress from) {
            this.v6 = v6;
            this.type = type;
            this.code = code;
            this.from = from;
        }

        /** "type 3 code 3 port unreachable from 198.18.10.5". */
        @Override
        public String toString() {
            return (v6 ? "ICMPv6 " : "ICMP ") + "type " + type + " code " + code + " " + name()
                    + (from == null ? "" : " from " + io.rttpick.prober.SocketAddresses.format(from));
        }

        /** ICMP 3/9, 3/10, 3/13 or ICMPv6 1/1: a filter said no (a firewall rule, here or on the path). */
        boolean administrativelyProhibited() {
            return !v6 && type == 3 && (code == 9 || code == 10 || code == 13) || v6 && type == 1 && code == 1;
        }

        String name() {
            if (!v6 && type == 3) {
                switch (code) {
                    case 0: return "net unreachable";
                    case 1: return "host unreachable";
                    case 2: return "protocol unreachable";
                    case 3: return "port unreachable";
                    case 9: case 10: case 13: return "administratively prohibited";
                    default: return "destination unreachable";
                }
            }
            if (v6 && type == 1) {
                switch (code) {
                    case 0: return "no route to destination";
                    case 1: return "administratively prohibited";
                    case 3: return "address unreachable";
                    case 4: return "port unreachable";
                    default: return "destination unreachable";
                }
            }
            return v6 && type == 3 || !v6 && type == 11 ? "time exceeded" : "error";
        }
    }

    /** The ICMP error waiting on {@code fd}, or null when none is (an RST, or a local error). */
    Report read(int fd) {
        iovec.putAddress(0, data.address());
        iovec.putLong(8, 64);
        msghdr.putAddress(0, 0L);
        msghdr.putInt(8, 0);
        msghdr.putAddress(16, iovec.address());
        msghdr.putLong(24, 1);
        msghdr.putAddress(32, control.address());
        msghdr.putLong(40, CONTROL_SIZE);
        msghdr.putInt(48, 0);
        if (Native.recvErrorQueue(fd, msghdr) < 0) {
            return null; // EAGAIN: the queue is empty
        }
        return parse(control, msghdr.getLong(40));
    }

    /** Finds the IP_RECVERR / IPV6_RECVERR message among {@code length} bytes of control messages. */
    static Report parse(Pointer control, long length) {
        long at = 0;
        while (at + CMSG_HEADER <= length) {
            long cmsgLength = control.getLong(at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > length) {
                return null;
            }
            int level = control.getInt(at + 8);
            int type = control.getInt(at + 12);
            boolean v4 = level == LinuxConstants.SOL_IP && type == LinuxConstants.IP_RECVERR;
            boolean v6 = level == LinuxConstants.SOL_IPV6 && type == LinuxConstants.IPV6_RECVERR;
            if ((v4 || v6) && cmsgLength >= CMSG_HEADER + EE_SIZE) {
                long ee = at + CMSG_HEADER;
                int origin = control.getByte(ee + 4) & 0xff;
                if (origin != LinuxConstants.SO_EE_ORIGIN_ICMP && origin != LinuxConstants.SO_EE_ORIGIN_ICMP6) {
                    return null;
                }
                int icmpType = control.getByte(ee + 5) & 0xff;
                int icmpCode = control.getByte(ee + 6) & 0xff;
                return new Report(origin == LinuxConstants.SO_EE_ORIGIN_ICMP6, icmpType, icmpCode,
                        offender(control, ee + EE_SIZE, at + cmsgLength));
            }
            at += (cmsgLength + 7) & ~7L;
        }
        return null;
    }

    /** SO_EE_OFFENDER: the sockaddr after the struct, if the message holds one. */
    private static InetAddress offender(Pointer p, long at, long end) {
        try {
            int family = p.getShort(at) & 0xffff;
            if (family == LinuxConstants.AF_INET && at + 8 <= end) {
                byte[] a = new byte[4];
                p.get(at + 4, a, 0, 4);
                return InetAddress.getByAddress(a);
            }
            if (family == LinuxConstants.AF_INET6 && at + 24 <= end) {
                byte[] a = new byte[16];
                p.get(at + 8, a, 0, 16);
                return InetAddress.getByAddress(a);
            }
        } catch (UnknownHostException e) {
            // a wrong length: no offender then
        }
        return null;
    }
}
