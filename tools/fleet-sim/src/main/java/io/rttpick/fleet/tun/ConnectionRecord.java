package io.rttpick.fleet.tun;

import java.net.InetAddress;

/**
 * The fleet's own truth about one connection attempt: when the SYN arrived, when the answer
 * left (the delay actually applied), how often the SYN came, and what the client sent after
 * the SYN-ACK: RST (half-open) or ACK (a completed handshake).
 */
public final class ConnectionRecord {

    /** What the client sent after the SYN-ACK. */
    public enum ClientReply { NONE, RST, ACK }

    public final InetAddress client;
    public final int clientPort;
    public final FleetPlan.Server server;
    public final int serverPort;
    final long isn;
    private volatile long firstSynNanos;
    private volatile long answeredSynNanos;
    private volatile int syns;
    private volatile long answerDueNanos;
    private volatile long answerSentNanos;
    private volatile ClientReply reply = ClientReply.NONE;

    ConnectionRecord(InetAddress client, int clientPort, FleetPlan.Server server, int serverPort, long isn) {
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.isn = isn;
    }

    synchronized int synArrived(long nowNanos) {
        if (syns == 0) {
            firstSynNanos = nowNanos;
        }
        return ++syns;
    }

    void answerPlanned(long synNanos, long dueNanos) {
        answeredSynNanos = synNanos;
        answerDueNanos = dueNanos;
    }

    void answerSent(long nowNanos) {
        answerSentNanos = nowNanos;
    }

    /** Only after an answer was planned: the client's reply can overtake our note that it left. */
    synchronized void clientReplied(ClientReply r) {
        if (reply == ClientReply.NONE && answerDueNanos != 0) {
            reply = r;
        }
    }

    /** SYNs seen for this connection: more than one means the client retransmitted. */
    public int syns() {
        return syns;
    }

    /** The delay the answered SYN really got (SYN in to answer out), in microseconds; -1 if none left. */
    public long appliedDelayMicros() {
        return answerSentNanos == 0 ? -1 : (answerSentNanos - answeredSynNanos) / 1_000;
    }

    /** How late the answer left past its due time, in nanoseconds; -1 if none left. */
    public long latenessNanos() {
        return answerSentNanos == 0 ? -1 : answerSentNanos - answerDueNanos;
    }

    /** From the first SYN to the answer, in microseconds (includes a retransmission's wait). */
    public long firstSynToAnswerMicros() {
        return answerSentNanos == 0 ? -1 : (answerSentNanos - firstSynNanos) / 1_000;
    }

    public boolean answered() {
        return answerSentNanos != 0;
    }

    public ClientReply clientReply() {
        return reply;
    }

    @Override
    public String toString() {
        return client.getHostAddress() + ":" + clientPort + " -> " + server.name + ":" + serverPort
                + " syns=" + syns + " delay=" + appliedDelayMicros() + "us reply=" + reply;
    }
}
