package io.rttpick.prober;

/** How the TCP handshake of an attempt ended, as far as the server could see it. */
public enum Handshake {
    /** SYN, SYN-ACK, then our RST: the server's application never saw a connection. */
    HALF_OPEN,
    /** SYN, SYN-ACK, ACK (then RST): the server's kernel accepted a connection for an instant. */
    COMPLETED,
    /** There was no handshake (no answer, a refusal, or no packet sent at all). */
    NONE
}
