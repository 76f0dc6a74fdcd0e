// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <map>
#include <utility>
#include <vector>

#include <QtGlobal>

// The bookkeeping of one STAMP session (a qos class, a voice call), free of sockets and clocks so tests can feed
// it hand-made sequences. Any thread.
namespace StreamSwarm::Agent {

// The middle value, or the mean of the two middle ones for an even count; 0 for none.
double median(std::vector<double> values);

// One class's packets in one round, and the running jitters across rounds. Our sequence numbers give
// the send order; the reflector numbers its replies in the order the test packets reached it (RFC 8972
// stateful reflector), which is what tells the two directions apart:
// - reordered there: in the reflector's numbering, a test packet that came after a later one of ours;
// - reordered back: a reflection that reached us after one the reflector numbered later;
// - duplicate there: a second reflection of one test packet under another reflector number (the test
//   packet arrived twice); duplicate back: the same reflection (same numbers) received again;
// - lost back: gaps in the reflector's numbering; lost there: the rest of what went unanswered.
// Two-way figures use the first reflection received for each test packet. Jitters are RFC 3550's
// interarrival jitter J += (|D(i-1,i)| - J) / 16, running across rounds like ping.jitter_ms, over
// the two-way delays in our arrival order, and over the one-way deltas t2 - t1 (in the reflector's
// arrival order) and t4 - t3 (in ours).
class StampStatistics
{
public:
    struct Reflection
    {
        quint32 senderSeq = 0;
        quint32 reflectorSeq = 0;
        qint64 t1Ns = 0; // we sent the test packet
        qint64 t2Ns = 0; // the reflector received it
        qint64 t3Ns = 0; // the reflector sent the reply
        qint64 t4Ns = 0; // we received the reply
        qint64 localSpanNs = 0; // t4 - t1 on a better clock than the wall clock (the NIC's); 0: none
    };
    enum class Arrival {
        First, // the first reflection of this test packet
        DuplicateThere, // another reflection of a test packet that reached the reflector twice
        DuplicateBack, // a reflection we had already
        Foreign, // of no test packet of this round
    };

    // Forgets the round's packets; keeps the running jitters.
    void startRound();
    // In send order.
    void addSent(quint32 senderSeq);
    // In our arrival order.
    Arrival addReflection(const Reflection &reflection);
    // Works out the round's figures and moves the jitters on; call once, after the last reflection.
    void finishRound();

    int sent() const { return int(m_sent.size()); }
    int received() const { return int(m_firsts.size()); } // test packets with at least one reflection
    int lost() const { return sent() - received(); }
    int lostThere() const { return m_lostThere; }
    int lostBack() const { return m_lostBack; }
    int reorderedThere() const { return m_reorderedThere; }
    int reorderedBack() const { return m_reorderedBack; }
    int duplicatesThere() const { return m_duplicatesThere; }
    int duplicatesBack() const { return m_duplicatesBack; }
    // Two-way delay without the reflector's own time ((t4 - t1) - (t3 - t2), RFC 8762 section 4.2), ms,
    // of the first reflection of each test packet, in arrival order.
    const std::vector<double> &rttsMs() const { return m_rttsMs; }
    // First reflection of each test packet, in arrival order.
    const std::vector<Reflection> &firsts() const { return m_firsts; }
    double jitterMs() const { return m_rtt.jitterMs; }
    double jitterThereMs() const { return m_there.jitterMs; }
    double jitterBackMs() const { return m_back.jitterMs; }

private:
    struct Jitter
    {
        double jitterMs = 0;
        double previousMs = 0;
        bool hasPrevious = false;
        void add(double deltaMs);
    };

    std::vector<quint32> m_sent;
    std::map<quint32, std::vector<quint32>> m_reflectorSeqs; // by our seq (sent this round): reflector seqs seen
    std::vector<Reflection> m_reflections; // every distinct reflection, in arrival order
    std::vector<Reflection> m_firsts;
    bool m_hasMaxReflectorSeq = false;
    quint32 m_maxReflectorSeq = 0;
    int m_lostThere = 0;
    int m_lostBack = 0;
    int m_reorderedThere = 0;
    int m_reorderedBack = 0;
    int m_duplicatesThere = 0;
    int m_duplicatesBack = 0;
    std::vector<double> m_rttsMs;
    Jitter m_rtt;
    Jitter m_there;
    Jitter m_back;
};

} // namespace StreamSwarm::Agent
