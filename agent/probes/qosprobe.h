// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <map>
#include <memory>

#include <QHostAddress>
#include <QTimer>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/probe.h"
#include "shared/protocol/validation.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// The qos test: STAMP (RFC 8762) session-sender to a reflector (another agent's --stamp-port, or
// any STAMP reflector), with each packet marked with one of the chosen DSCP classes and asking the
// reflector (RFC 8972 Class of Service TLV) to answer in the same class. Per class and round:
// two-way delay (reflector time taken out), jitter, loss split by direction (from the reflector's
// own numbering), one-way delays when both clocks say they are synchronised and their error bound
// is below the delay, and whether the marking arrived unchanged both ways. Main thread, never blocks.
class QosProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QosProbe)
public:
    using Params = Validation::QosParams;

    QosProbe(const Protocol::TestSpec &spec, Params params, QObject *parent = nullptr);
    ~QosProbe() override;

    void startRound(qint64 roundTimeMs) override;

private:
    struct Sent
    {
        int classIndex = 0;
        qint64 t1Ns = 0;
    };
    struct Reply
    {
        int classIndex = 0;
        qint64 t1Ns = 0, t2Ns = 0, t3Ns = 0, t4Ns = 0;
        quint32 reflectorSeq = 0;
        bool synchronised = false; // both sides' clocks, by their error estimates
        qint64 errorNs = 0; // the two error bounds together
        int dscpAtReflector = -1;
        int dscpBack = -1;
    };

    bool ensureSocket(QString *error);
    void sendNext();
    void handleReadable();
    void finishRound();

    Protocol::TestSpec m_spec;
    Params m_params;
    QHostAddress m_address;
    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_sendTimer;
    QTimer m_waitTimer;
    bool m_roundRunning = false;
    qint64 m_roundTimeMs = 0;
    int m_sentThisRound = 0;
    quint32 m_nextSeq = 0;
    std::map<quint32, Sent> m_sent; // this round's packets by seq
    std::map<quint32, Reply> m_replies; // by sender seq (duplicates are counted, not kept)
    int m_duplicates = 0;
    QString m_roundError;
    ClockState m_clock; // ours, read at the start of each round
    quint16 m_clockEstimate = 0;
    std::vector<double> m_lastRtt; // per class: for the RFC 3550 jitter across packets
    std::vector<double> m_jitter;
};

} // namespace StreamSwarm::Agent
