// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QCoreApplication>
#include <QFile>
#include <QString>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// The agent's on-disk queue of result batches, so nothing measured is lost while the console is
// away, the agent crashes or the host loses power. Append-only segment files of checksummed,
// compressed records; a batch is on disk (fdatasync) before it is ever sent, so its seq can never
// be reused for other data. Acked batches go when their whole segment is acked. Bounded: past
// maxBytes the oldest segment is dropped and the loss is reported. Not thread-safe; main thread.
class Spool
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::Spool)
public:
    static constexpr qint64 DEFAULT_MAX_BYTES = 256LL * 1024 * 1024;
    static constexpr qint64 MIN_MAX_BYTES = 64 * 1024;

    struct Loss
    {
        qint64 batches = 0;
        qint64 rounds = 0;
        qint64 fromMs = 0; // measurement times of the oldest and newest round lost
        qint64 toMs = 0;
    };

    struct OpenReport
    {
        qint64 batches = 0; // unacked batches found on disk
        qint64 rounds = 0;
        qint64 damagedRecords = 0; // torn or corrupt records skipped (a crash mid-write)
        qint64 lastTimeMs = 0; // newest round on disk
    };

    explicit Spool(QString directory, qint64 maxBytes = DEFAULT_MAX_BYTES);
    ~Spool();
    Q_DISABLE_COPY_MOVE(Spool)

    // Milliseconds, read to space the acked watermark's writes: a monotonic clock (a wall clock step
    // must not stop or hurry them) unless a test sets its own.
    using Clock = std::function<qint64()>;
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // Scans what an earlier run left, cuts off a torn last record, and gets ready to append.
    bool open(OpenReport *report, QString *error);
    QString directory() const { return m_directory; }

    qint64 nextSeq() const { return m_nextSeq; }
    // The console holds batches up to lastSeq (e.g. the state dir was wiped): number after it.
    void continueAfter(qint64 lastSeq);

    // Writes the batch under nextSeq() and syncs it to disk. On overflow, *loss says what the
    // oldest data dropped to make room was.
    // *tooLarge says the batch cannot be sent in one message at all (split it, or drop a lone round).
    bool append(Protocol::Results batch, Loss *loss, QString *error, bool *tooLarge = nullptr);

    // One batch as it is sent: its results message as Protocol::encode() wrote it, without the
    // delivery fields (floor, lost) that Protocol::withDeliveryFields() adds when it leaves.
    struct SpooledBatch
    {
        qint64 seq = 0;
        qsizetype rounds = 0;
        QByteArray message;
    };
    // The next batch not yet sent in this connection, in seq order; nullopt when all are sent.
    std::optional<SpooledBatch> readNextMessage(QString *error);
    // The same, decoded.
    std::optional<Protocol::Results> readNext(QString *error);
    // A new connection: every unacked batch counts as unsent again.
    void rewind();
    // The console's welcome: it holds every batch up to lastSeq that this spool sent it (it stores
    // them in order). Acks those, and settles the batches dropped from disk while they were in
    // flight: the ones the console does not hold are lost, counted now and returned.
    Loss consoleHolds(qint64 lastSeq);
    qint64 unsettledBatches() const { return qint64(m_unsettled.size()); }
    // The console durably holds everything up to seq.
    void acknowledge(qint64 seq);
    // The lowest seq this spool may ever send again: the durable ack watermark + 1.
    qint64 floorSeq() const { return m_durableAckedSeq + 1; }
    bool hasUnsent() const;

    // Everything ever dropped to make room (kept on disk), for the console to hear with every batch.
    qint64 lostRounds() const { return m_lostRounds; }
    qint64 lostUntilMs() const { return m_lostUntilMs; }

    qint64 ackedSeq() const { return m_ackedSeq; }
    qint64 unackedBatches() const;
    qint64 bytesOnDisk() const { return m_totalBytes; }
    qint64 maxBytes() const { return m_maxBytes; }
    qint64 segmentCount() const { return qint64(m_segments.size()); }
    // Writes the ack watermark to disk now (it is otherwise written at most every few seconds).
    void persistAcked();

private:
    struct Segment
    {
        QString path;
        qint64 firstSeq = 0;
        qint64 lastSeq = 0;
        qint64 bytes = 0;
    };
    struct RecordHeader;
    // A batch appended in this run, kept as encoded until acked: the next one to send is nearly
    // always one of these, read without touching the disk or decoding it again.
    struct FreshBatch
    {
        SpooledBatch batch;
        qint64 segmentFirstSeq = 0;
        qint64 endOffset = 0; // where the record after it starts in its segment
    };
    // A batch dropped from disk after it was sent: lost unless the console turns out to hold it.
    struct Unsettled
    {
        qint64 seq = 0;
        qint64 rounds = 0;
        qint64 fromMs = 0;
        qint64 toMs = 0;
    };

    std::optional<Protocol::Results> readNextFromDisk(QString *error);
    void keepFresh(FreshBatch fresh);
    void forgetFresh(qint64 upToSeq);
    bool scanSegment(Segment &segment, OpenReport *report, QString *error);
    bool startSegment(QString *error);
    void dropOldestSegment(Loss *loss);
    void removeAckedSegments();
    bool syncDirectory();
    void persistLoss();
    void persistUnsettled();
    void loadUnsettled();
    void countLoss(Loss *loss, qint64 rounds, qint64 fromMs, qint64 toMs);

    QString m_directory;
    qint64 m_maxBytes;
    qint64 m_segmentBytes;
    Clock m_clock;
    std::deque<Segment> m_segments;
    QFile m_active;
    qint64 m_totalBytes = 0;
    qint64 m_nextSeq = 1;
    qint64 m_ackedSeq = 0;
    qint64 m_durableAckedSeq = 0;
    qint64 m_lastAckPersistMs = 0;
    qint64 m_lostRounds = 0;
    qint64 m_lostUntilMs = 0;
    std::vector<Unsettled> m_unsettled; // ascending seq
    // Read cursor: the next seq to send, and where to look for it.
    qint64 m_sendSeq = 1;
    qint64 m_cursorSegmentFirstSeq = 0;
    qint64 m_cursorOffset = 0;
    std::unique_ptr<QFile> m_reader;
    std::deque<FreshBatch> m_fresh; // consecutive seqs, ascending
    qint64 m_freshBytes = 0;
};

} // namespace StreamSwarm::Agent
