// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include "agent/platform/linux/clockstate.h"
#include "agent/probes/timestamping.h"
#include "agent/stamp/stampstatistics.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// A STAMP (RFC 8762) session-sender to a reflector (another agent's --stamp-port, or any STAMP
// reflector), for the probes that measure a path with it (qos, voice). Each round it sends `count`
// packets in each of its streams, `spacing` apart and interleaved, each stream its own STAMP session
// marked with its DSCP and asking the reflector (RFC 8972 Class of Service TLV) to answer in the same
// class, padded to a given size (Extra Padding TLV; the reply is as long). Then it waits `timeout`
// and works out, per stream: the figures of StampStatistics, whether the marking arrived unchanged
// both ways, and the one-way delays when both clocks say they are synchronised and their error bound
// is below the delay. Main thread, never blocks.
class StampSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StampSession)
public:
    struct Settings
    {
        QString target; // as the test names it, for messages
        int port = 862;
        QList<int> dscps; // one stream (STAMP session) per entry
        int count = 5; // packets per stream and round
        qint64 spacingMs = 10;
        qint64 timeoutMs = 500; // after the last send
        int packetBytes = 0; // UDP payload of each test packet; below STAMP's 44 bytes: no padding
        quint16 sessionBase = 0; // the test's id: the streams' SSIDs are derived from it
    };
    // One stream's round.
    struct Stream
    {
        const StampStatistics *statistics = nullptr;
        bool markingKeptThere = true;
        bool markingKeptBack = true;
        bool clocksSynchronised = true;
        QString oneWayLeftOutBecause; // why there are no one-way delays, in words
        std::vector<double> forwardMs; // one-way delays, when the clocks allow
        std::vector<double> backwardMs;
    };

    explicit StampSession(Settings settings, QObject *parent = nullptr);
    ~StampSession() override;

    // Sends a round; roundFinished() follows once (also when the socket could not be opened).
    // A round still running is finished first.
    void startRound();
    // Ends a running round with what came so far; roundFinished() comes before this returns.
    void finishRound();
    bool isRunning() const { return m_roundRunning; }

    const std::vector<Stream> &streams() const { return m_streams; }
    const TimestampTally &timestamps() const { return m_tally; }
    QString error() const { return m_roundError; } // what went wrong sending, or nothing came back
    int packetBytes() const { return m_packetBytes; } // each test packet's UDP payload, as sent

Q_SIGNALS:
    void roundFinished();

private:
    struct Sent
    {
        int stream = 0;
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
    void workOutStreams();

    Settings m_settings;
    int m_paddingBytes = -1; // of the Extra Padding TLV; below 0: none
    int m_packetBytes = 0;
    QHostAddress m_address;
    int m_fd = -1;
    bool m_transmitStamps = false; // SO_TIMESTAMPING with numbered transmit stamps is on
    TransmitStampNumbers<quint32> m_stampNumbers; // the kernel's send number -> our seq, this round
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_sendTimer;
    QTimer m_waitTimer;
    bool m_roundRunning = false;
    int m_sentThisRound = 0;
    quint32 m_nextSeq = 0;
    std::map<quint32, Sent> m_sent; // this round's packets by seq
    std::vector<Arrival> m_arrivals; // this round's reflections, in arrival order
    QString m_roundError;
    ClockState m_clock; // ours, read at the start of each round
    quint16 m_clockEstimate = 0;
    std::vector<StampStatistics> m_statistics; // per stream; their jitters run across rounds
    std::vector<Stream> m_streams;
    TimestampTally m_tally;
};

} // namespace StreamSwarm::Agent
