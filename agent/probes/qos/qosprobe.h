// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <QHostAddress>
#include <QTimer>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/probe.h"
#include "agent/probes/qos/qosstatistics.h"
#include "agent/probes/timestamping.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/qos.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// The qos test: STAMP (RFC 8762) session-sender to a reflector (another agent's --stamp-port, or
// any STAMP reflector), with each packet marked with one of the chosen DSCP classes and asking the
// reflector (RFC 8972 Class of Service TLV) to answer in the same class. Per class and round:
// two-way delay (reflector time taken out) and its jitter; per direction loss, reordering, duplicates
// and jitter (told apart by the reflector's own numbering, see QosStatistics); one-way delays when
// both clocks say they are synchronised and their error bound is below the delay; and whether the
// marking arrived unchanged both ways. Main thread, never blocks.
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
        qint64 t1Ns = 0; // our clock right before send()
        PacketStamp transmit; // the kernel's (or NIC's) transmit stamp, when it came
    };
    // One reflection as it arrived, kept in arrival order until the round ends (the transmit stamp of
    // its test packet may come after it).
    struct Arrival
    {
        quint32 senderSeq = 0;
        quint32 reflectorSeq = 0;
        qint64 t2Ns = 0, t3Ns = 0;
        PacketStamp receive; // t4: the kernel's or NIC's receive stamp; ns 0 when none came
        qint64 readNs = 0; // our clock right after recvmsg()
        quint16 reflectorEstimate = 0; // the reflector's clock (RFC 4656 error estimate)
        quint16 senderEstimate = 0; // ours, as the packet carried it
        int dscpAtReflector = -1;
        int dscpBack = -1;
    };

    bool ensureSocket(QString *error);
    void sendNext();
    void handleReadable();
    void readTransmitStamps();
    void readReplies();
    void finishRound();

    Protocol::TestSpec m_spec;
    Params m_params;
    QHostAddress m_address;
    int m_fd = -1;
    bool m_transmitStamps = false; // SO_TIMESTAMPING with numbered transmit stamps is on
    TransmitStampNumbers<quint32> m_stampNumbers; // the kernel's send number -> our seq, this round
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_sendTimer;
    QTimer m_waitTimer;
    bool m_roundRunning = false;
    qint64 m_roundTimeMs = 0;
    int m_sentThisRound = 0;
    quint32 m_nextSeq = 0;
    std::map<quint32, Sent> m_sent; // this round's packets by seq
    std::vector<Arrival> m_arrivals; // this round's reflections, in arrival order
    QString m_roundError;
    ClockState m_clock; // ours, read at the start of each round
    quint16 m_clockEstimate = 0;
    std::vector<QosStatistics> m_statistics; // per class; their jitters run across rounds
};

} // namespace StreamSwarm::Agent
