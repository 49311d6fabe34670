package io.rttpick.prober.linux;

import io.rttpick.prober.unix.LinuxSocketConstants;
import io.rttpick.prober.unix.MsgHdr;
import io.rttpick.prober.unix.Native;
import io.rttpick.prober.unix.NativeArena;
import io.rttpick.prober.unix.SockAddr;
import io.rttpick.prober.unix.UnixSystem;
import java.net.InetAddress;
import jnr.ffi.Pointer;

/**
 * Reads the ICMP error that ended a connect, from the socket's error queue (IP_RECVERR /
 * IPV6_RECVERR, set on every probe socket): ECONNREFUSED is either the server's RST or an ICMP
 * port unreachable, and only the queue tells them apart (an RST leaves it empty). The msghdr and
 * control messages are {@link MsgHdr}'s; struct sock_extended_err
 * (linux/errqueue.h): ee_errno (u32) 0, ee_origin 4, ee_type 5, ee_code 6, pad 7, info 8, data 12,
 * then the offender's sockaddr at 16. Event-loop thread only.
 */
final class IcmpErrorQueue {
    static final int CONTROL_SIZE = 128;
    private static final int EE_SIZE = 16;

    private final MsgHdr msg;

    /** Its buffers come from (and go with) the owner's arena. */
    IcmpErrorQueue(NativeArena arena) {
        this.msg = new MsgHdr(arena, 64, CONTROL_SIZE);
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
        if (Native.recvmsg(fd, msg.reset().msghdr, LinuxSocketConstants.MSG_ERRQUEUE | LinuxSocketConstants.MSG_DONTWAIT) < 0) {
            return null; // EAGAIN: the queue is empty
        }
        return parse(msg.control, msg.controlLength());
    }

    /** Finds the IP_RECVERR / IPV6_RECVERR message among {@code length} bytes of control messages. */
    static Report parse(Pointer control, long length) {
        boolean v6 = false;
        long ee = MsgHdr.findControl(control, length, LinuxSocketConstants.SOL_IP, LinuxSocketConstants.IP_RECVERR, EE_SIZE);
        if (ee < 0) {
            v6 = true;
            ee = MsgHdr.findControl(control, length, LinuxSocketConstants.SOL_IPV6, LinuxSocketConstants.IPV6_RECVERR, EE_SIZE);
        }
        if (ee < 0) {
            return null;
        }
        int origin = control.getByte(ee + 4) & 0xff;
        if (origin != LinuxConstants.SO_EE_ORIGIN_ICMP && origin != LinuxConstants.SO_EE_ORIGIN_ICMP6) {
            return null;
        }
        int icmpType = control.getByte(ee + 5) & 0xff;
        int icmpCode = control.getByte(ee + 6) & 0xff;
        // SO_EE_OFFENDER: the sockaddr after the struct, if the message holds one
        long end = ee - MsgHdr.CMSG_HEADER + control.getLong(ee - MsgHdr.CMSG_HEADER);
        InetAddress from = SockAddr.Layout.LINUX.read(control, ee + EE_SIZE, end, UnixSystem.LINUX);
        return new Report(origin == LinuxConstants.SO_EE_ORIGIN_ICMP6, icmpType, icmpCode, from);
    }
}
