/**
 * SPI: the native layer the native probers share: the one libc binding, checked calls ({@link
 * io.rttpick.prober.unix.Native}), native memory, errno, sockaddr, msghdr and epoll.
 */
@Spi
package io.rttpick.prober.unix;

import io.rttpick.prober.stability.Spi;
