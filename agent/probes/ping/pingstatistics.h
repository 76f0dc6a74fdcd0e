// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

#include "agent/probes/timestamping.h"

// The arithmetic of the ping probe, free of sockets and clocks so tests can feed it known truth. (Its
// RTT selection, shared with traceroute, is in timestamping.h.)
namespace StreamSwarm::Agent {

// What an ICMP (v6: ICMPv6) error of this type and code says about an echo, in a few words starting
// with a capital ("Network unreachable", "TTL exceeded in transit").
QString describeIcmpError(bool v6, int type, int code);

// Counts and RTT figures of one ping round. The round owns the sequence numbers
// [firstSequence, firstSequence + sent) (modulo 2^16); a reply outside that range is from an
// earlier round or someone else's ping and is ignored, a second reply to one sequence is a
// duplicate. RTT figures are over the first reply to each sequence only (iputils also mixes the
// RTTs of duplicates in), mdev is the population standard deviation sqrt(mean(x^2) - mean(x)^2)
// as iputils prints it, stddev the sample one (n - 1). A first reply that arrives after the reply
// to a later sequence counts as reordered; an echo answered by an ICMP error counts as lost.
class PingStatistics
{
public:
    explicit PingStatistics(quint16 firstSequence = 0);

    void addSent(int count = 1);
    // Returns false, and counts nothing, when the sequence does not belong to this round.
    bool addReply(quint16 sequence, qint64 rttNs);
    // An ICMP error (unreachable, TTL exceeded ...) about this round's echo; false when it is not
    // this round's, or already answered or reported.
    bool addError(quint16 sequence);

    quint16 firstSequence() const { return m_firstSequence; }
    int sent() const { return m_sent; }
    int received() const { return int(m_rttsNs.size()); } // distinct sequences answered
    int duplicates() const { return m_duplicates; }
    int ignored() const { return m_ignored; } // late or foreign replies
    int reordered() const { return m_reordered; }
    int errors() const { return m_errors; } // echoes answered by an ICMP error
    bool isAnswered(quint16 sequence) const;

    // False for a round without replies: then the RTT figures below are 0 and must not be reported.
    bool hasRtt() const { return !m_rttsNs.isEmpty(); }
    double minMs() const;
    double avgMs() const;
    double maxMs() const;
    double mdevMs() const;
    double medianMs() const; // the mean of the two middle values for an even count
    double stddevMs() const; // 0 with fewer than two replies
    // Share of sent echoes that got no reply, 0-100; 0 when nothing was sent.
    double lossPercent() const;

    // First-reply RTTs in ms, ordered by sequence (send order), for the jitter estimator.
    QList<double> rttsMsInSendOrder() const;

private:
    int offsetOf(quint16 sequence) const { return quint16(sequence - m_firstSequence); }

    quint16 m_firstSequence = 0;
    int m_sent = 0;
    int m_duplicates = 0;
    int m_ignored = 0;
    int m_reordered = 0;
    int m_errors = 0;
    int m_highestOffset = -1; // of the replies so far
    QList<qint64> m_rttsNs; // first replies, in arrival order
    QList<int> m_offsets; // sequence - firstSequence of each entry in m_rttsNs
    QList<bool> m_answered; // by offset; also set for an echo answered by an ICMP error
};

// RFC 3550 (section 6.4.1) interarrival jitter applied to successive RTT samples, running across
// rounds: D = rtt(i) - rtt(i-1), J += (|D| - J) / 16. Kept in double ms; it has a value from the
// second sample on.
class JitterEstimator
{
public:
    void addSample(double rttMs);
    void reset();

    bool hasValue() const { return m_samples >= 2; }
    double jitterMs() const { return m_jitterMs; }
    qint64 sampleCount() const { return m_samples; }

private:
    double m_previousMs = 0;
    double m_jitterMs = 0;
    qint64 m_samples = 0;
};

} // namespace StreamSwarm::Agent
