// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>

#include <sys/stat.h>

#include <QCborMap>
#include <QCborValue>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include "agent/connection/spool.h"
#include "agent/connection/spoolcompression.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/testtypes/ping.h"
#include "tests/support/testclock.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

// 2026-11-26T08:00:00Z in ms.
constexpr qint64 T0 = 1'795'680'000'000;
// The record layout of spool.cpp: a 40-byte header (magic, length, seq, rounds, times, crc), then the payload.
constexpr qint64 HEADER_BYTES = 40;
constexpr qint64 ACK_PERSIST_INTERVAL_MS = 2000;
constexpr qint64 MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
// qChecksum of SpoolCompression::dictionary() when it was frozen (format SSB2).
constexpr quint16 DICTIONARY_CHECKSUM = 22769;

// Ping rounds as the probe makes them (all nine metrics): three echoes a round, RTTs in whole nanoseconds around a
// per-test base with some queueing, now and then a lost echo, and an RFC 3550 jitter across rounds.
class PingSimulator
{
public:
    explicit PingSimulator(quint32 seed)
        : m_rng(seed)
    { }

    Protocol::Round round(qint64 testId, qint64 timeMs)
    {
        Series &series = m_series[testId];
        if (series.baseMs == 0)
            series.baseMs = std::uniform_real_distribution<double>(0.3, 80.0)(m_rng);
        std::exponential_distribution<double> queueing(1.0 / 0.8);
        std::bernoulli_distribution lost(0.01);
        constexpr int SENT = 3;
        QList<double> rtts;
        for (int i = 0; i < SENT; ++i) {
            if (!lost(m_rng))
                rtts.append(std::round((series.baseMs + queueing(m_rng)) * 1e6) / 1e6);
        }
        Protocol::Round round;
        round.testId = testId;
        round.timeMs = timeMs;
        const auto add = [&round](const char16_t *metric, double value) {
            round.values.append({QString::fromUtf16(metric), value});
        };
        if (!rtts.isEmpty()) {
            double sum = 0;
            double squares = 0;
            for (const double rtt : rtts) {
                sum += rtt;
                squares += rtt * rtt;
                if (series.lastRttMs > 0)
                    series.jitterMs += (std::abs(rtt - series.lastRttMs) - series.jitterMs) / 16.0;
                series.lastRttMs = rtt;
            }
            const double mean = sum / double(rtts.size());
            QList<double> sorted = rtts;
            std::sort(sorted.begin(), sorted.end());
            const qsizetype n = sorted.size();
            const double median = n % 2 ? sorted.at(n / 2) : (sorted.at(n / 2 - 1) + sorted.at(n / 2)) / 2;
            double deviations = 0;
            for (const double rtt : rtts)
                deviations += (rtt - mean) * (rtt - mean);
            add(Metric::PingRttMin, sorted.first());
            add(Metric::PingRttAvg, mean);
            add(Metric::PingRttMax, sorted.last());
            add(Metric::PingRttMdev, std::sqrt(std::max(0.0, squares / double(n) - mean * mean)));
            add(Metric::PingRttMedian, median);
            add(Metric::PingRttStddev, n > 1 ? std::sqrt(deviations / double(n - 1)) : 0.0);
            add(Metric::PingJitter, series.jitterMs);
        }
        add(Metric::PingLoss, 100.0 * double(SENT - rtts.size()) / SENT);
        add(Metric::PingSent, SENT);
        add(Metric::PingReceived, double(rtts.size()));
        add(Metric::PingDuplicates, 0);
        add(Metric::PingReordered, 0);
        add(Metric::PingIcmpErrors, 0);
        // The timestamp-quality detail every ping round carries, with a disciplined clock whose
        // offset reading changes every round (the least compressible case).
        const double offsetUs = std::round(std::normal_distribution<double>(0, 40)(m_rng) * 1000) / 1000;
        Protocol::PingDetail detail;
        detail.timestamps.add(Protocol::TimestampSource::Kernel, int(rtts.size()));
        detail.clock = Protocol::ClockReading{true, offsetUs, 512.0, double(16000 + timeMs % 60000)};
        round.detail = detail;
        return round;
    }

private:
    struct Series
    {
        double baseMs = 0;
        double lastRttMs = 0;
        double jitterMs = 0;
    };
    std::mt19937 m_rng;
    std::map<qint64, Series> m_series;
};

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32()), bit by bit: a reference of our own.
quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// Every field of a batch as text, so a comparison names what differs.
QString describe(const Protocol::Results &batch)
{
    QStringList out{u"seq=%1 floor=%2 rounds=%3 events=%4"_s.arg(batch.seq)
                        .arg(batch.floorSeq)
                        .arg(batch.rounds.size())
                        .arg(batch.events.size())};
    for (const Protocol::Round &round : batch.rounds) {
        out << u"round test=%1 t=%2 error=%3"_s.arg(round.testId).arg(round.timeMs).arg(round.error);
        for (const Protocol::MetricValue &value : round.values)
            out << u"  %1=%2"_s.arg(value.metric, QString::number(value.value, 'g', 17));
    }
    for (const Protocol::Event &event : batch.events) {
        out << u"event t=%1 level=%2 kind=%3 test=%4 message=%5"_s.arg(event.timeMs)
                   .arg(event.level, event.kind)
                   .arg(event.testId)
                   .arg(event.message);
    }
    return out.join(u'\n');
}

QStringList segmentFiles(const QString &folder)
{
    return QDir(folder).entryList({u"*.seg"_s}, QDir::Files, QDir::Name);
}

// The first seq of each segment, read from the file names (the seq a segment starts at, zero-padded).
QList<qint64> segmentFirstSeqs(const QString &folder)
{
    QList<qint64> seqs;
    for (const QString &name : segmentFiles(folder))
        seqs.append(name.chopped(4).toLongLong());
    return seqs;
}

qint64 segmentBytesOnDisk(const QString &folder)
{
    qint64 bytes = 0;
    for (const QString &name : segmentFiles(folder))
        bytes += QFileInfo(QDir(folder).filePath(name)).size();
    return bytes;
}

// The durable ack watermark, as a restarted agent would read it; 0 when there is none yet.
qint64 ackedOnDisk(const QString &folder)
{
    QFile file(QDir(folder).filePath(u"acked"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLongLong() : 0;
}

int permissions(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

// What a crash leaves: the folder exactly as it is on disk at this moment, destructors not run.
bool copyFolder(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    const QDir source(from);
    for (const QString &name : source.entryList(QDir::Files | QDir::Hidden)) {
        if (!QFile::copy(source.filePath(name), QDir(to).filePath(name)))
            return false;
    }
    return true;
}

bool flipByte(const QString &path, qint64 offset)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite) || !file.seek(offset))
        return false;
    char byte = 0;
    if (!file.getChar(&byte) || !file.seek(offset))
        return false;
    return file.putChar(char(byte ^ 0x5a));
}

// from..to, both included.
QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> seqs;
    for (qint64 seq = from; seq <= to; ++seq)
        seqs.append(seq);
    return seqs;
}

// Batches appended so far, and the size of each one's record on disk, by seq.
struct Ledger
{
    std::map<qint64, Protocol::Results> batches;
    std::map<qint64, qint64> recordBytes;

    qint64 rounds(qint64 fromSeq, qint64 toSeq) const
    {
        qint64 sum = 0;
        for (auto it = batches.lower_bound(fromSeq); it != batches.end() && it->first <= toSeq; ++it)
            sum += it->second.rounds.size();
        return sum;
    }
};

} // namespace

class TestSpool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void appendAndReadInOrder();
    void acknowledgeRemovesAckedSegments();
    void rewindMakesUnackedUnsent();
    void reopenRecoversUnacked();
    void ackedWatermarkPersists();
    void tornLastRecord_data();
    void tornLastRecord();
    void flippedByte_data();
    void flippedByte();
    void damageFoundWhileReading();
    void sentBytesAreTheBatchFromMemoryOrDisk();
    void overflowDropsOldestAndReportsLoss();
    void droppedInFlightIsSettledByTheConsole();
    void lossTimeRangeWithRoundsOutOfOrder();
    void continueAfterConsoleSeq();
    void continueAfterSurvivesRestart();
    void undeliverableBatchDoesNotBlock();
    void folderPermissions();
    void compression();
    void readsRecordsOfOlderAgents();
    void capacity();

private:
    QString spoolPath() const { return m_dir->filePath(u"state/spool"_s); }
    // Appends a batch of `rounds` ping rounds from *timeMs on (one a second) and `events` events;
    // the ledger learns its seq and record size.
    bool append(Spool &spool, Ledger &ledger, int rounds, int events, qint64 *timeMs, Spool::Loss *loss = nullptr);
    // Appends batches of `rounds` rounds until the spool has `segments` segments and `extra` batches
    // more (within 64 KiB: no overflow); returns how many it appended, or -1.
    int fill(Spool &spool, Ledger &ledger, int segments, int extra, int rounds, qint64 *timeMs);
    // The seqs of up to `count` batches read next; one not read back as appended ends the list,
    // negated.
    QList<qint64> readSeqs(Spool &spool, const Ledger &ledger, int count = 1'000'000);

    std::unique_ptr<QTemporaryDir> m_dir;
    PingSimulator m_pings{42};
};

void TestSpool::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestSpool::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSpool::cleanup()
{
    m_dir.reset();
}

bool TestSpool::append(Spool &spool, Ledger &ledger, int rounds, int events, qint64 *timeMs, Spool::Loss *loss)
{
    Protocol::Results batch;
    batch.seq = 999'999; // the spool numbers batches itself
    for (int i = 0; i < rounds; ++i) {
        batch.rounds.append(m_pings.round(1 + i % 3, *timeMs));
        *timeMs += 1000;
    }
    for (int i = 0; i < events; ++i)
        batch.events.append({*timeMs + i, u"warning"_s, u"probe-error"_s, u"Zeitüberschreitung %1"_s.arg(i), 2});
    const qint64 seq = spool.nextSeq();
    const qint64 before = spool.bytesOnDisk();
    Spool::Loss ignored;
    QString error;
    if (!spool.append(batch, loss ? loss : &ignored, &error)) {
        qWarning("append failed: %s", qPrintable(error));
        return false;
    }
    batch.seq = seq;
    ledger.batches[seq] = batch;
    ledger.recordBytes[seq] = spool.bytesOnDisk() - before; // without a drop: the record's size
    return spool.nextSeq() == seq + 1;
}

int TestSpool::fill(Spool &spool, Ledger &ledger, int segments, int extra, int rounds, qint64 *timeMs)
{
    int appended = 0;
    while (spool.segmentCount() < segments && appended < 10'000) {
        if (!append(spool, ledger, rounds, appended % 9 == 0 ? 1 : 0, timeMs))
            return -1;
        ++appended;
    }
    for (int i = 0; i < extra; ++i) {
        if (!append(spool, ledger, rounds, 0, timeMs))
            return -1;
        ++appended;
    }
    return spool.segmentCount() >= segments ? appended : -1;
}

QList<qint64> TestSpool::readSeqs(Spool &spool, const Ledger &ledger, int count)
{
    QList<qint64> seqs;
    while (seqs.size() < count) {
        QString error;
        const auto batch = spool.readNext(&error);
        if (!error.isEmpty())
            qWarning("readNext: %s", qPrintable(error));
        if (!batch)
            break;
        const auto expected = ledger.batches.find(batch->seq);
        if (expected == ledger.batches.end()) {
            qWarning("read seq %lld, which was never appended", batch->seq);
            return seqs << -batch->seq;
        }
        if (describe(*batch) != describe(expected->second)) {
            qWarning("seq %lld read back differs:\n%s\n--- appended:\n%s", batch->seq, qPrintable(describe(*batch)),
                qPrintable(describe(expected->second)));
            return seqs << -batch->seq;
        }
        seqs.append(batch->seq);
    }
    return seqs;
}

void TestSpool::appendAndReadInOrder()
{
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(report.batches, 0);
    QCOMPARE(report.rounds, 0);
    QCOMPARE(report.damagedRecords, 0);
    QCOMPARE(spool.nextSeq(), 1);
    QCOMPARE(spool.floorSeq(), 1);
    QVERIFY(!spool.hasUnsent());
    QVERIFY(!spool.readNext(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error));

    Ledger ledger;
    qint64 t = T0;
    int n = 0;
    // Until the reads below cross a segment boundary. Some batches carry events, one nothing else.
    for (; n < 60 || spool.segmentCount() < 2; ++n)
        QVERIFY(append(spool, ledger, n == 7 ? 0 : 1 + n % 4, n % 5 == 0 ? 2 : 0, &t));
    QCOMPARE(spool.nextSeq(), n + 1);
    QCOMPARE(spool.unackedBatches(), n);
    QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(spoolPath()));
    QVERIFY(spool.hasUnsent());

    QCOMPARE(readSeqs(spool, ledger), range(1, n));
    QVERIFY(!spool.hasUnsent());
    QVERIFY(!spool.readNext(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(spool.unackedBatches(), n); // sent is not acked

    // The newest segment grows while it is read: what is appended now is read next.
    QVERIFY(append(spool, ledger, 2, 1, &t));
    QVERIFY(spool.hasUnsent());
    QCOMPARE(readSeqs(spool, ledger), QList<qint64>{n + 1});
    QVERIFY(!spool.hasUnsent());
}

void TestSpool::acknowledgeRemovesAckedSegments()
{
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    Ledger ledger;
    qint64 t = T0;
    const qint64 n = fill(spool, ledger, 3, 5, 3, &t);
    QVERIFY(n > 0);
    const QList<qint64> firsts = segmentFirstSeqs(spoolPath());
    QCOMPARE(firsts.size(), 3);
    QCOMPARE(spool.segmentCount(), 3);
    QCOMPARE(firsts.first(), 1);

    // All but the last batch of the oldest segment: it stays.
    spool.acknowledge(firsts.at(1) - 2);
    QCOMPARE(spool.ackedSeq(), firsts.at(1) - 2);
    QCOMPARE(segmentFirstSeqs(spoolPath()), firsts);
    QCOMPARE(spool.unackedBatches(), n - (firsts.at(1) - 2));
    QVERIFY(spool.hasUnsent());

    // Its last batch: it goes.
    spool.acknowledge(firsts.at(1) - 1);
    QCOMPARE(segmentFirstSeqs(spoolPath()), firsts.mid(1));
    QCOMPARE(spool.segmentCount(), 2);
    QCOMPARE(spool.unackedBatches(), n - (firsts.at(1) - 1));
    QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(spoolPath()));

    // An older ack, or one for a batch never written, changes nothing.
    spool.acknowledge(3);
    QCOMPARE(spool.ackedSeq(), firsts.at(1) - 1);
    spool.acknowledge(n + 1);
    QCOMPARE(spool.ackedSeq(), firsts.at(1) - 1);
    QCOMPARE(spool.unackedBatches(), n - (firsts.at(1) - 1));

    // Nothing was read yet: reading starts at the oldest unacked batch.
    QCOMPARE(readSeqs(spool, ledger, 1), QList<qint64>{firsts.at(1)});

    // Acked into the newest segment: the middle one goes as well.
    spool.acknowledge(firsts.at(2) + 1);
    QCOMPARE(segmentFirstSeqs(spoolPath()), QList<qint64>{firsts.at(2)});
    QCOMPARE(spool.unackedBatches(), n - (firsts.at(2) + 1));
    QCOMPARE(readSeqs(spool, ledger, 1), QList<qint64>{firsts.at(2) + 2});

    // Everything acked: the newest segment stays all the same; appends continue there.
    spool.acknowledge(n);
    QCOMPARE(segmentFirstSeqs(spoolPath()), QList<qint64>{firsts.at(2)});
    QCOMPARE(spool.segmentCount(), 1);
    QCOMPARE(spool.unackedBatches(), 0);
    QVERIFY(!spool.hasUnsent());
    QVERIFY(!spool.readNext(&error));
    QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(spoolPath()));

    QVERIFY(append(spool, ledger, 1, 0, &t));
    QCOMPARE(segmentFirstSeqs(spoolPath()), QList<qint64>{firsts.at(2)});
    QCOMPARE(spool.unackedBatches(), 1);
    QVERIFY(spool.hasUnsent());
    QCOMPARE(readSeqs(spool, ledger), QList<qint64>{n + 1});
}

void TestSpool::rewindMakesUnackedUnsent()
{
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    Ledger ledger;
    qint64 t = T0;
    const qint64 n = fill(spool, ledger, 2, 10, 2, &t);
    QVERIFY(n > 15);

    QCOMPARE(readSeqs(spool, ledger), range(1, n));
    QVERIFY(!spool.hasUnsent());
    spool.acknowledge(10);
    QVERIFY(!spool.hasUnsent());

    // The connection dropped: everything not acked goes again, in order.
    spool.rewind();
    QVERIFY(spool.hasUnsent());
    QCOMPARE(readSeqs(spool, ledger, 5), range(11, 15));
    spool.rewind();
    QCOMPARE(readSeqs(spool, ledger), range(11, n));

    // Acked past a segment boundary while reading, then rewound: from the new watermark.
    const qint64 secondSegment = segmentFirstSeqs(spoolPath()).at(1);
    spool.acknowledge(secondSegment + 1);
    spool.rewind();
    QCOMPARE(readSeqs(spool, ledger), range(secondSegment + 2, n));

    spool.acknowledge(n);
    spool.rewind();
    QVERIFY(!spool.hasUnsent());
    QVERIFY(!spool.readNext(&error));
}

void TestSpool::reopenRecoversUnacked()
{
    Ledger ledger;
    qint64 t = T0;
    qint64 n = 0;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        n = fill(spool, ledger, 3, 3, 2, &t);
        QVERIFY(n > 40);
        QCOMPARE(readSeqs(spool, ledger, 40).size(), 40); // sent, but that is not remembered
        spool.acknowledge(20);
    }

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(report.batches, n - 20);
    QCOMPARE(report.rounds, ledger.rounds(21, n));
    QCOMPARE(report.damagedRecords, 0);
    QCOMPARE(report.lastTimeMs, ledger.batches.at(n).rounds.constLast().timeMs);
    QCOMPARE(spool.ackedSeq(), 20);
    QCOMPARE(spool.floorSeq(), 21);
    QCOMPARE(spool.unackedBatches(), n - 20);
    QCOMPARE(spool.nextSeq(), n + 1);
    QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(spoolPath()));
    QVERIFY(spool.hasUnsent());
    QCOMPARE(readSeqs(spool, ledger), range(21, n));

    // Numbering continues, in a new segment (the old ones are never appended to again).
    const qsizetype segmentsBefore = segmentFiles(spoolPath()).size();
    QVERIFY(append(spool, ledger, 2, 0, &t));
    QCOMPARE(ledger.batches.rbegin()->first, n + 1);
    QCOMPARE(segmentFiles(spoolPath()).size(), segmentsBefore + 1);
    QCOMPARE(readSeqs(spool, ledger), QList<qint64>{n + 1});

    Spool again(spoolPath() + u"/"_s, Spool::MIN_MAX_BYTES);
    QVERIFY2(again.open(&report, &error), qPrintable(error));
    QCOMPARE(report.batches, n + 1 - 20);
    QCOMPARE(report.damagedRecords, 0);
    QCOMPARE(again.nextSeq(), n + 2);
    QCOMPARE(readSeqs(again, ledger), range(21, n + 1));
}

void TestSpool::ackedWatermarkPersists()
{
    Ledger ledger;
    qint64 t = T0;
    const QString crashCopy = m_dir->filePath(u"crash-copy"_s);
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        for (int i = 0; i < 20; ++i)
            QVERIFY(append(spool, ledger, 1, 0, &t));
        QCOMPARE(spool.segmentCount(), 1);
        // The floor never claims more than the disk holds: what a restarted agent may still send.
        const auto checkFloor = [&] {
            return spool.floorSeq() == ackedOnDisk(spoolPath()) + 1 && spool.floorSeq() <= spool.ackedSeq() + 1;
        };
        QCOMPARE(spool.floorSeq(), 1);
        QVERIFY(checkFloor());

        // The watermark's writes are spaced in time: the test moves the clock instead of trusting that
        // the machine is fast enough to stay inside the interval.
        Test::ManualClock clock;
        spool.setClock(clock.function());
        spool.acknowledge(5); // the first ack is written at once
        QCOMPARE(ackedOnDisk(spoolPath()), 5);
        QCOMPARE(spool.floorSeq(), 6);
        QVERIFY(checkFloor());

        clock.advance(ACK_PERSIST_INTERVAL_MS - 1);
        spool.acknowledge(9); // soon after: kept in memory only, and the floor stays
        QCOMPARE(spool.ackedSeq(), 9);
        QVERIFY(checkFloor());
        QCOMPARE(ackedOnDisk(spoolPath()), 5);
        QCOMPARE(spool.floorSeq(), 6);
        QVERIFY(copyFolder(spoolPath(), crashCopy)); // killed now

        spool.persistAcked();
        QCOMPARE(ackedOnDisk(spoolPath()), 9);
        QCOMPARE(spool.floorSeq(), 10);
        QVERIFY(checkFloor());

        clock.advance(ACK_PERSIST_INTERVAL_MS - 1);
        spool.acknowledge(10); // within the interval since the last write: memory only
        QCOMPARE(ackedOnDisk(spoolPath()), 9);
        QVERIFY(checkFloor());
        clock.advance(1);
        spool.acknowledge(11); // the interval has passed: written
        QCOMPARE(ackedOnDisk(spoolPath()), 11);
        QCOMPARE(spool.floorSeq(), 12);
        QVERIFY(checkFloor());

        spool.acknowledge(12);
        QCOMPARE(ackedOnDisk(spoolPath()), 11);
        QVERIFY(checkFloor());
    } // a clean stop writes the watermark
    QCOMPARE(ackedOnDisk(spoolPath()), 12);

    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        QCOMPARE(spool.ackedSeq(), 12);
        QCOMPARE(spool.floorSeq(), 13);
        QCOMPARE(report.batches, 8);
        QCOMPARE(readSeqs(spool, ledger), range(13, 20));
        // Nothing acked in this run: nothing to write, and the watermark stays.
    }
    QCOMPARE(ackedOnDisk(spoolPath()), 12);

    // After the crash the watermark is the last durable one: 6 to 9 go again (the console knows
    // them as replays) and nothing unacked is missing.
    Spool crashed(crashCopy, Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(crashed.open(&report, &error), qPrintable(error));
    QCOMPARE(crashed.ackedSeq(), 5);
    QCOMPARE(crashed.floorSeq(), 6);
    QCOMPARE(report.batches, 15);
    QCOMPARE(crashed.nextSeq(), 21);
    QCOMPARE(readSeqs(crashed, ledger), range(6, 20));
}

void TestSpool::tornLastRecord_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<bool>("lastRecordLost"); // the torn record itself (never acknowledged to the caller)

    QTest::newRow("cut after the magic") << u"cut:4"_s << true;
    QTest::newRow("cut inside the header") << u"cut:23"_s << true;
    QTest::newRow("cut right after the header") << u"cut:40"_s << true;
    QTest::newRow("cut inside the payload") << u"cut:-7"_s << true;
    QTest::newRow("one byte short") << u"cut:-1"_s << true;
    QTest::newRow("random garbage appended") << u"garbage:333"_s << false;
    QTest::newRow("a few garbage bytes appended") << u"garbage:7"_s << false;
    QTest::newRow("zeros appended (a block allocated, never written)") << u"zeros:4096"_s << false;
    QTest::newRow("a header promising a huge payload") << u"huge"_s << false;
}

void TestSpool::tornLastRecord()
{
    QFETCH(QString, damage);
    QFETCH(bool, lastRecordLost);

    Ledger ledger;
    qint64 t = T0;
    constexpr int BATCHES = 6;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        for (int i = 0; i < BATCHES; ++i)
            QVERIFY(append(spool, ledger, 2, i == BATCHES - 1 ? 1 : 0, &t));
        QCOMPARE(spool.segmentCount(), 1);
    }
    const QString segment = QDir(spoolPath()).filePath(segmentFiles(spoolPath()).constFirst());
    const qint64 size = QFileInfo(segment).size();
    const qint64 lastRecord = ledger.recordBytes.at(BATCHES);
    const qint64 intactBytes = lastRecordLost ? size - lastRecord : size;
    {
        QFile file(segment);
        QVERIFY(file.open(QIODevice::ReadWrite));
        const QString kind = damage.section(u':', 0, 0);
        const qint64 amount = damage.section(u':', 1, 1).toLongLong();
        if (kind == u"cut") {
            QVERIFY(file.resize(amount >= 0 ? size - lastRecord + amount : size + amount));
        } else if (kind == u"garbage") {
            std::mt19937 rng(7);
            QByteArray garbage;
            for (qint64 i = 0; i < amount; ++i)
                garbage.append(char(rng()));
            garbage[0] = 'X'; // not the record magic by chance
            QVERIFY(file.seek(size));
            QCOMPARE(file.write(garbage), amount);
        } else if (kind == u"zeros") {
            QVERIFY(file.seek(size));
            QCOMPARE(file.write(QByteArray(amount, '\0')), amount);
        } else {
            QByteArray header("SSB1\xff\xff\xff\x7f", 8);
            header.append(QByteArray(32, '\x01'));
            QVERIFY(file.seek(size));
            QCOMPARE(file.write(header), HEADER_BYTES);
        }
    }
    const int intact = lastRecordLost ? BATCHES - 1 : BATCHES;

    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        QCOMPARE(report.damagedRecords, 1);
        QCOMPARE(report.batches, intact);
        QCOMPARE(report.rounds, ledger.rounds(1, intact));
        QCOMPARE(QFileInfo(segment).size(), intactBytes); // cut off, so appends continue cleanly
        QCOMPARE(spool.bytesOnDisk(), intactBytes);
        QCOMPARE(readSeqs(spool, ledger), range(1, intact));
        // A torn record was never acknowledged by append(), so never sent: its seq may be reused.
        QCOMPARE(spool.nextSeq(), intact + 1);
        if (lastRecordLost)
            ledger.batches.erase(BATCHES);
        QVERIFY(append(spool, ledger, 3, 1, &t));
        QCOMPARE(readSeqs(spool, ledger), QList<qint64>{intact + 1});
    }

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(report.damagedRecords, 0);
    QCOMPARE(report.batches, intact + 1);
    QCOMPARE(readSeqs(spool, ledger), range(1, intact + 1));
}

void TestSpool::flippedByte_data()
{
    QTest::addColumn<bool>("newestSegment"); // else the oldest of several
    QTest::addColumn<int>("offset"); // in the damaged record; negative: from the record's end

    QTest::newRow("payload, newest segment") << true << -20;
    QTest::newRow("round count in the header, newest segment") << true << 16;
    QTest::newRow("seq in the header, newest segment") << true << 8;
    QTest::newRow("magic, newest segment") << true << 1;
    QTest::newRow("payload, older segment") << false << -20;
    QTest::newRow("checksum, older segment") << false << 37;
}

void TestSpool::flippedByte()
{
    QFETCH(bool, newestSegment);
    QFETCH(int, offset);

    Ledger ledger;
    qint64 t = T0;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        if (newestSegment) {
            for (int i = 0; i < 8; ++i)
                QVERIFY(append(spool, ledger, 2, 0, &t));
            QCOMPARE(spool.segmentCount(), 1);
        } else {
            QVERIFY(fill(spool, ledger, 2, 2, 2, &t) > 0);
        }
    }
    const QList<qint64> firsts = segmentFirstSeqs(spoolPath());
    const qint64 segmentFirst = newestSegment ? firsts.last() : firsts.first();
    const qint64 segmentLast = newestSegment ? ledger.batches.rbegin()->first : firsts.at(1) - 1;
    QVERIFY(segmentLast - segmentFirst >= 4);
    const qint64 damaged = segmentFirst + 2; // a middle record, with two before and some after it
    qint64 recordStart = 0;
    for (qint64 seq = segmentFirst; seq < damaged; ++seq)
        recordStart += ledger.recordBytes.at(seq);
    const qint64 at = offset >= 0 ? recordStart + offset : recordStart + ledger.recordBytes.at(damaged) + offset;
    const QString segment
        = QDir(spoolPath()).filePath(segmentFiles(spoolPath()).at(newestSegment ? firsts.size() - 1 : 0));
    QVERIFY(flipByte(segment, at));

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QVERIFY2(report.damagedRecords >= 1, "a flipped byte went unnoticed");
    const qint64 last = ledger.batches.rbegin()->first;
    const QList<qint64> read = readSeqs(spool, ledger);
    QVERIFY2(!read.contains(damaged), "the damaged batch was sent as if whole");
    QVERIFY2(std::all_of(read.cbegin(), read.cend(), [](qint64 seq) { return seq > 0; }), "a batch read back wrong");
    // Everything before it is read as it was written, and so is every later segment.
    QCOMPARE(read.mid(0, 2), range(segmentFirst, damaged - 1));
    for (qint64 seq = segmentLast + 1; seq <= last; ++seq)
        QVERIFY2(read.contains(seq), qPrintable(u"seq %1 of a later segment is missing"_s.arg(seq)));

    // The records after the damaged one in its segment are whole and were possibly sent already.
    // They must not vanish unaccounted: read, or at least counted as damaged.
    const qint64 after = segmentLast - damaged;
    QList<qint64> intactAfter;
    for (qint64 seq = damaged + 1; seq <= segmentLast; ++seq) {
        if (read.contains(seq))
            intactAfter.append(seq);
    }
    QVERIFY2(intactAfter.size() + report.damagedRecords - 1 >= after,
        qPrintable(u"%1 whole batch(es) after the damaged one vanished; damagedRecords says %2"_s
                       .arg(after - intactAfter.size())
                       .arg(report.damagedRecords)));

    // No seq that may have been sent is ever reused for other data: the console would take the
    // new batch for a replay of the old and drop it.
    QVERIFY2(
        spool.nextSeq() > last, qPrintable(u"nextSeq %1, but seq %2 was written"_s.arg(spool.nextSeq()).arg(last)));
}

void TestSpool::damageFoundWhileReading()
{
    Ledger ledger;
    qint64 t = T0;
    QString error;
    {
        Spool writer(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QVERIFY2(writer.open(&report, &error), qPrintable(error));
        for (int i = 0; i < 5; ++i)
            QVERIFY(append(writer, ledger, 2, 0, &t));
        const QString segment = QDir(spoolPath()).filePath(segmentFiles(spoolPath()).constFirst());
        const qint64 thirdStart = ledger.recordBytes.at(1) + ledger.recordBytes.at(2);
        QVERIFY(flipByte(segment, thirdStart + ledger.recordBytes.at(3) - 10));
        // What this run wrote is sent from memory, as it was written: damage on disk costs nothing yet.
        QCOMPARE(readSeqs(writer, ledger), range(1, 5));
        QVERIFY(flipByte(segment, thirdStart + ledger.recordBytes.at(3) - 10)); // whole again
    }
    // The next run finds the files whole, and then a byte goes bad under it.
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(report.damagedRecords, 0);
    const QString segment = QDir(spoolPath()).filePath(segmentFiles(spoolPath()).constFirst());
    const qint64 thirdStart = ledger.recordBytes.at(1) + ledger.recordBytes.at(2);
    QVERIFY(flipByte(segment, thirdStart + ledger.recordBytes.at(3) - 10));

    QCOMPARE(readSeqs(spool, ledger, 2), range(1, 2));
    const auto batch = spool.readNext(&error);
    QVERIFY2(error.contains(u"damaged"), qPrintable(error));
    // Reading resumes at the next whole record: one bad byte costs one batch.
    QVERIFY(batch);
    QCOMPARE(batch->seq, qint64(4));
    const auto fifth = spool.readNext(&error);
    QVERIFY(fifth);
    QCOMPARE(fifth->seq, qint64(5));
    // Nothing more can be read now, so nothing is unsent: a stopping agent waits while hasUnsent().
    QVERIFY(!spool.readNext(&error));
    QVERIFY(!spool.hasUnsent());
    // Later batches still go out.
    QVERIFY(append(spool, ledger, 1, 0, &t));
    error.clear();
    const QList<qint64> later = readSeqs(spool, ledger);
    QVERIFY(later.contains(6));
    QVERIFY(!spool.hasUnsent());
}

// The batches this run appended are kept encoded in memory (at most a quarter of the spool), the
// older ones are read from disk: either way the bytes sent are the batch's own encoding, in order,
// through rewinds and acks.
void TestSpool::sentBytesAreTheBatchFromMemoryOrDisk()
{
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    Ledger ledger;
    qint64 t = T0;
    qint64 encodedBytes = 0;
    for (int i = 0; i < 12; ++i) {
        QVERIFY(append(spool, ledger, 10, i % 4 == 0 ? 1 : 0, &t));
        encodedBytes += Protocol::encode({ledger.batches.rbegin()->second}).size();
    }
    QVERIFY2(encodedBytes > Spool::MIN_MAX_BYTES / 4, "every batch would fit in memory: nothing is read from disk");
    QCOMPARE(spool.segmentCount(), 1); // nothing dropped

    const auto sendAll = [&] {
        QList<qint64> seqs;
        for (int i = 0; i < 100; ++i) {
            const auto batch = spool.readNextMessage(&error);
            if (!batch)
                break;
            const Protocol::Results &appended = ledger.batches.at(batch->seq);
            if (batch->message != Protocol::encode({appended}) || batch->rounds != appended.rounds.size())
                return seqs << -batch->seq;
            seqs.append(batch->seq);
        }
        return seqs;
    };
    QCOMPARE(sendAll(), range(1, 12));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    spool.rewind(); // a new connection sends them all again
    QCOMPARE(sendAll(), range(1, 12));
    spool.acknowledge(3);
    spool.rewind();
    QCOMPARE(sendAll(), range(4, 12));
    spool.acknowledge(9);
    spool.rewind();
    QCOMPARE(sendAll(), range(10, 12));
}

void TestSpool::overflowDropsOldestAndReportsLoss()
{
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(spool.maxBytes(), 64 * 1024);
    QCOMPARE(Spool(spoolPath(), 1000).maxBytes(), Spool::MIN_MAX_BYTES); // never smaller
    Ledger ledger;
    qint64 t = T0;
    for (int i = 0; i < 10; ++i) // seq 5 carries events only
        QVERIFY(append(spool, ledger, i == 4 ? 0 : 1 + i % 4, i == 4 ? 3 : 0, &t));
    spool.acknowledge(4);
    QCOMPARE(readSeqs(spool, ledger, 3), range(5, 7)); // sent, not acked: the console may hold them
    qint64 nextToSend = 8;

    qint64 lostBatches = 0;
    qint64 unsettledBatches = 0;
    int overflows = 0;
    for (int i = 0; i < 2000 && overflows < 3; ++i) {
        const QList<qint64> before = segmentFirstSeqs(spoolPath());
        Spool::Loss loss;
        QVERIFY(append(spool, ledger, 1 + i % 4, i % 11 == 0 ? 1 : 0, &t, &loss));
        const QList<qint64> after = segmentFirstSeqs(spoolPath());
        QVERIFY2(spool.bytesOnDisk() <= spool.maxBytes(), qPrintable(QString::number(spool.bytesOnDisk())));
        QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(spoolPath()));
        if (before.first() == after.first()) {
            QCOMPARE(loss.batches, 0);
            QCOMPARE(loss.rounds, 0);
            continue;
        }
        ++overflows;
        // The truth, from the files: the oldest segment went, [its first seq, the next one's first
        // seq). What was never sent is lost now; what was sent waits for the console to settle it.
        QCOMPARE(before.at(1), after.first());
        qint64 batches = 0, rounds = 0, fromMs = 0, toMs = 0, inFlight = 0;
        for (qint64 seq = std::max(before.first(), spool.ackedSeq() + 1); seq < after.first(); ++seq) {
            if (seq < nextToSend) {
                ++inFlight;
                continue;
            }
            const Protocol::Results &lost = ledger.batches.at(seq);
            ++batches;
            rounds += lost.rounds.size();
            if (!lost.rounds.isEmpty()) {
                fromMs = fromMs ? fromMs : lost.rounds.constFirst().timeMs;
                toMs = lost.rounds.constLast().timeMs;
            }
        }
        QCOMPARE(loss.batches, batches);
        QCOMPARE(loss.rounds, rounds);
        QCOMPARE(loss.fromMs, fromMs);
        QCOMPARE(loss.toMs, toMs);
        QVERIFY(batches == 0 || fromMs > T0); // the events-only batch 5 does not make it 0
        lostBatches += batches;
        unsettledBatches += inFlight;
        QCOMPARE(spool.unsettledBatches(), unsettledBatches);

        // Reading goes on from the oldest batch that remains, without a gap after it.
        const QList<qint64> read = readSeqs(spool, ledger);
        QCOMPARE(read, range(after.first(), spool.nextSeq() - 1));
        QVERIFY(!spool.hasUnsent());
        spool.rewind();
        QCOMPARE(readSeqs(spool, ledger, 1), QList<qint64>{after.first()});
        nextToSend = after.first() + 1;
    }
    QCOMPARE(overflows, 3);
    QVERIFY(unsettledBatches >= 3); // 5..7 at least
    // The console comes back holding nothing new: every batch dropped in flight is lost after all.
    const qint64 lostRoundsBefore = spool.lostRounds();
    const Spool::Loss settled = spool.consoleHolds(spool.ackedSeq());
    QCOMPARE(settled.batches, unsettledBatches);
    QCOMPARE(spool.lostRounds(), lostRoundsBefore + settled.rounds);
    QCOMPARE(spool.unsettledBatches(), 0);
    lostBatches += settled.batches;
    // Every batch is acked, lost and reported, or still on disk.
    QCOMPARE(spool.ackedSeq() + lostBatches + spool.unackedBatches(), spool.nextSeq() - 1);
}

void TestSpool::droppedInFlightIsSettledByTheConsole()
{
    // Batches sent and then dropped from disk before their ack came: the console may have stored
    // them. Its ack or its next welcome says which; only the rest are lost, and a crash in between
    // forgets none of them.
    Ledger ledger;
    qint64 t = T0;
    qint64 lostAtDrop = 0;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        for (int i = 0; i < 8; ++i)
            QVERIFY(append(spool, ledger, 2, 0, &t));
        QCOMPARE(readSeqs(spool, ledger, 8), range(1, 8)); // sent, not acked
        Spool::Loss loss;
        for (int i = 0; i < 5000 && spool.unsettledBatches() == 0; ++i)
            QVERIFY(append(spool, ledger, 2, 0, &t, &loss));
        QCOMPARE(spool.unsettledBatches(), 8);
        const qint64 firstKept = segmentFirstSeqs(spoolPath()).constFirst();
        QCOMPARE(loss.batches, firstKept - 1 - 8); // only the unsent part of the segment counts now
        QCOMPARE(loss.fromMs, ledger.batches.at(9).rounds.constFirst().timeMs);
        QCOMPARE(spool.lostRounds(), loss.rounds);
        lostAtDrop = loss.rounds;

        spool.acknowledge(5); // the console stored 1..5 after all
        QCOMPARE(spool.unsettledBatches(), 3);
        QCOMPARE(spool.lostRounds(), lostAtDrop);
    } // the agent stops (or crashes) before the console answers again

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(spool.unsettledBatches(), 3); // 6..8 are remembered
    QCOMPARE(spool.lostRounds(), lostAtDrop);
    // The console's welcome: it holds up to 7. Batch 8 (two rounds) is the one really lost.
    const Spool::Loss settled = spool.consoleHolds(7);
    QCOMPARE(settled.batches, 1);
    QCOMPARE(settled.rounds, 2);
    QCOMPARE(settled.fromMs, ledger.batches.at(8).rounds.constFirst().timeMs);
    QCOMPARE(settled.toMs, ledger.batches.at(8).rounds.constLast().timeMs);
    QCOMPARE(spool.lostRounds(), lostAtDrop + 2);
    QCOMPARE(spool.ackedSeq(), 7);
    QCOMPARE(spool.unsettledBatches(), 0);
    QVERIFY(!QFile::exists(spoolPath() + u"/unsettled"_s));
    // Settled once: a second welcome counts nothing again.
    QCOMPARE(spool.consoleHolds(7).batches, 0);
    QCOMPARE(spool.lostRounds(), lostAtDrop + 2);
}

void TestSpool::lossTimeRangeWithRoundsOutOfOrder()
{
    // Rounds join a batch as they finish: a long round started first can finish after a short one
    // started later (a 10-echo ping beside a 1-echo ping), so a batch's rounds are not in time order.
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    std::map<qint64, std::pair<qint64, qint64>> timeRanges; // seq -> oldest and newest round
    Spool::Loss loss;
    qint64 base = T0;
    while (loss.batches == 0 && spool.nextSeq() < 10'000) {
        Protocol::Results batch;
        batch.rounds = {m_pings.round(1, base + 500), m_pings.round(2, base)};
        timeRanges[spool.nextSeq()] = {base, base + 500};
        QVERIFY2(spool.append(batch, &loss, &error), qPrintable(error));
        base += 1000;
    }
    QVERIFY(loss.batches > 0);
    const qint64 firstKept = segmentFirstSeqs(spoolPath()).constFirst();
    QCOMPARE(loss.batches, firstKept - 1);
    QCOMPARE(loss.rounds, 2 * (firstKept - 1));
    QCOMPARE(loss.fromMs, timeRanges.at(1).first);
    QCOMPARE(loss.toMs, timeRanges.at(firstKept - 1).second);
}

void TestSpool::continueAfterConsoleSeq()
{
    Ledger ledger;
    qint64 t = T0;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        for (int i = 0; i < 3; ++i)
            QVERIFY(append(spool, ledger, 1, 0, &t));
        spool.continueAfter(2); // the console is behind us: nothing changes
        QCOMPARE(spool.nextSeq(), 4);
        spool.continueAfter(3);
        QCOMPARE(spool.nextSeq(), 4);

        // The console holds batches up to 100 this spool never wrote (its folder was wiped).
        spool.continueAfter(100);
        QCOMPARE(spool.nextSeq(), 101);
        QVERIFY(append(spool, ledger, 2, 0, &t));
        QVERIFY(append(spool, ledger, 2, 0, &t));
        QCOMPARE(segmentFirstSeqs(spoolPath()), (QList<qint64>{1, 101})); // seqs within a segment stay contiguous
        QCOMPARE(spool.unackedBatches(), 5);
        QCOMPARE(readSeqs(spool, ledger), (QList<qint64>{1, 2, 3, 101, 102}));
        spool.acknowledge(50); // the console's ack for its own high-water mark
        QCOMPARE(spool.unackedBatches(), 2);
        QCOMPARE(segmentFirstSeqs(spoolPath()), QList<qint64>{101});
        spool.rewind();
        QCOMPARE(readSeqs(spool, ledger), (QList<qint64>{101, 102}));
    }

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(spool.nextSeq(), 103);
    QCOMPARE(report.batches, 2);
    QCOMPARE(readSeqs(spool, ledger), (QList<qint64>{101, 102}));

    // A fresh spool, told before its first batch.
    Spool fresh(m_dir->filePath(u"fresh"_s), Spool::MIN_MAX_BYTES);
    QVERIFY2(fresh.open(&report, &error), qPrintable(error));
    fresh.continueAfter(41);
    QCOMPARE(fresh.nextSeq(), 42);
    Ledger freshLedger;
    QVERIFY(append(fresh, freshLedger, 1, 0, &t));
    QCOMPARE(freshLedger.batches.begin()->first, 42);
    QCOMPARE(readSeqs(fresh, freshLedger), QList<qint64>{42});
}

void TestSpool::continueAfterSurvivesRestart()
{
    Ledger ledger;
    qint64 t = T0;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        for (int i = 0; i < 3; ++i)
            QVERIFY(append(spool, ledger, 1, 0, &t));
        spool.continueAfter(100); // welcomed by a console that holds up to 100; then stopped
    }
    // Restarted while the console is away, the agent spools before it is welcomed again: those
    // batches must not take numbers the console holds, or it drops them as replays.
    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QVERIFY2(spool.nextSeq() > 100, qPrintable(u"nextSeq %1"_s.arg(spool.nextSeq())));
}

void TestSpool::undeliverableBatchDoesNotBlock()
{
    // A batch whose encoding is over the protocol's 1 MiB (a huge detail): the spool takes it but
    // can never send it. It must not block the batches behind it.
    Spool spool(spoolPath(), 16 * 1024 * 1024); // room for it
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    std::mt19937 rng(3);
    QByteArray noise(1'200'000, Qt::Uninitialized);
    for (char &byte : noise)
        byte = char(rng());
    Protocol::Results huge;
    huge.rounds.append(m_pings.round(1, T0));
    huge.rounds.first().detail = Protocol::OtherDetail{u"x-blob"_s, QCborMap{{u"noise"_s, noise}}};
    Spool::Loss loss;
    const bool taken = spool.append(huge, &loss, &error);
    Ledger ledger;
    qint64 t = T0 + 1000;
    QVERIFY(append(spool, ledger, 2, 0, &t, &loss));
    QCOMPARE(loss.batches, 0);
    const qint64 next = ledger.batches.begin()->first;
    QCOMPARE(next, taken ? 2 : 1);

    error.clear();
    const auto batch = spool.readNext(&error);
    QVERIFY(batch);
    QCOMPARE(batch->seq, next);
    QCOMPARE(describe(*batch), describe(ledger.batches.at(next)));
    QCOMPARE(error.isEmpty(), !taken); // a skipped batch is said, not silent
    QVERIFY(!spool.hasUnsent());
}

void TestSpool::folderPermissions()
{
    const mode_t oldMask = ::umask(0); // the widest umask, so only the code's own choice counts
    const auto restoreMask = qScopeGuard([oldMask] { ::umask(oldMask); });
    Spool::OpenReport report;
    QString error;
    {
        Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        QCOMPARE(permissions(spoolPath()), 0700);
    }

    // A folder that exists already with loose permissions is tightened.
    const QString existing = m_dir->filePath(u"loose"_s);
    QVERIFY(QDir().mkpath(existing));
    QCOMPARE(::chmod(QFile::encodeName(existing).constData(), 0777), 0);
    Spool spool(existing, Spool::MIN_MAX_BYTES);
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(permissions(existing), 0700);

    // A place where no folder can be made: open() fails and says where.
    const QString file = m_dir->filePath(u"plain"_s);
    QFile plain(file);
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    Spool nowhere(file + u"/spool"_s, Spool::MIN_MAX_BYTES);
    QVERIFY(!nowhere.open(&report, &error));
    QVERIFY2(error.contains(file + u"/spool"_s), qPrintable(error));
}

// Both record formats round-trip; damage and absurd lengths are refused, never trusted.
void TestSpool::compression()
{
    using namespace SpoolCompression;
    Protocol::Results batch;
    for (int i = 0; i < 5; ++i)
        batch.rounds.append(m_pings.round(1 + i, T0 + 200 * i));
    const QByteArray encoded = Protocol::encode({batch});
    for (const Format format : {Format::Zlib, Format::ZlibWithDictionary}) {
        const QByteArray packed = compress(encoded, format);
        QVERIFY(!packed.isEmpty());
        QCOMPARE(decompress(packed, format, Protocol::MAX_MESSAGE_BYTES).value_or(QByteArray()), encoded);
        QVERIFY(!decompress(packed.left(packed.size() - 3), format, Protocol::MAX_MESSAGE_BYTES));
        QVERIFY(!decompress(packed, format, encoded.size() - 1)); // longer than allowed
        QVERIFY(!decompress(packed.left(3), format, Protocol::MAX_MESSAGE_BYTES));
    }
    const qsizetype plain = compress(encoded, Format::Zlib).size();
    const qsizetype withDictionary = compress(encoded, Format::ZlibWithDictionary).size();
    qInfo("5 ping rounds, %lld bytes encoded: zlib %lld bytes, with the dictionary %lld bytes",
        qlonglong(encoded.size()), qlonglong(plain), qlonglong(withDictionary));
    QVERIFY(withDictionary < plain);
    // A stream made without the dictionary is not mistaken for one made with it.
    QVERIFY(!decompress(compress(encoded, Format::Zlib), Format::ZlibWithDictionary, Protocol::MAX_MESSAGE_BYTES));
    // The dictionary is frozen: records on disk depend on every byte of it.
    QCOMPARE(qChecksum(dictionary()), quint16(DICTIONARY_CHECKSUM));
}

// Records written by agents before the dictionary ('SSB1', plain zlib) are still read and sent,
// followed by new ones. Written here byte by byte from the format's description, with a CRC-32 of
// our own.
void TestSpool::readsRecordsOfOlderAgents()
{
    QVERIFY(QDir().mkpath(spoolPath()));
    QFile segment(QDir(spoolPath()).filePath(u"00000000000000000001.seg"_s));
    QVERIFY(segment.open(QIODevice::WriteOnly));
    std::vector<Protocol::Results> written;
    for (qint64 seq = 1; seq <= 3; ++seq) {
        Protocol::Results batch;
        batch.seq = seq;
        batch.rounds = {m_pings.round(1, T0 + 1000 * seq), m_pings.round(2, T0 + 1000 * seq + 500)};
        written.push_back(batch);
        const QByteArray payload = qCompress(Protocol::encode({batch}), 1);
        char header[40] = {'S', 'S', 'B', '1'};
        qToLittleEndian(quint32(payload.size()), header + 4);
        qToLittleEndian(seq, header + 8);
        qToLittleEndian(quint32(2), header + 16);
        qToLittleEndian(T0 + 1000 * seq, header + 20);
        qToLittleEndian(T0 + 1000 * seq + 500, header + 28);
        qToLittleEndian(crc32(QByteArray(header + 4, 32) + payload), header + 36);
        QCOMPARE(segment.write(header, 40), 40);
        QCOMPARE(segment.write(payload), payload.size());
    }
    segment.close();

    Spool spool(spoolPath(), Spool::MIN_MAX_BYTES);
    Spool::OpenReport report;
    QString error;
    QVERIFY2(spool.open(&report, &error), qPrintable(error));
    QCOMPARE(report.batches, 3);
    QCOMPARE(report.damagedRecords, 0);
    QCOMPARE(spool.nextSeq(), 4);
    Ledger ledger;
    qint64 t = T0 + 10'000;
    QVERIFY(append(spool, ledger, 2, 1, &t)); // a new record after the old ones
    for (const Protocol::Results &old : written) {
        const auto read = spool.readNext(&error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(describe(*read), describe(old));
    }
    QCOMPARE(readSeqs(spool, ledger), QList<qint64>{4});
}

void TestSpool::capacity()
{
    // Ping tests at 1 Hz, sealed as the agent does: every 250 ms, whatever rounds finished since.
    // Phases spread evenly over the second (rounds started together would share batches and
    // compress better), so this is the less favourable case.
    struct Scenario
    {
        int tests;
        int seconds; // simulated; per-record overhead and compression settle within a minute
    };
    constexpr qint64 SEAL_MS = 250;
    // After a drop the spool holds at least its limit less one segment.
    const qint64 usable = Spool::DEFAULT_MAX_BYTES - MAX_SEGMENT_BYTES;
    std::map<int, double> hours;
    for (const Scenario scenario : {Scenario{1, 600}, Scenario{20, 300}, Scenario{100, 120}}) {
        const QString folder = m_dir->filePath(u"capacity-%1"_s.arg(scenario.tests));
        Spool spool(folder);
        Spool::OpenReport report;
        QString error;
        QVERIFY2(spool.open(&report, &error), qPrintable(error));
        PingSimulator pings(quint32(scenario.tests));
        // When each round finishes (start + the echoes: up to 200 ms spacing and RTT), per seal.
        std::multimap<qint64, Protocol::Round> finished;
        for (int test = 0; test < scenario.tests; ++test) {
            const qint64 phase = 1000 * test / scenario.tests;
            for (int second = 0; second < scenario.seconds; ++second) {
                const qint64 start = T0 + 1000LL * second + phase;
                finished.emplace(start + 200 + 1 + (test * 37 + second * 11) % 80, pings.round(test + 1, start));
            }
        }
        qint64 rounds = 0;
        qint64 batches = 0;
        auto next = finished.cbegin();
        for (qint64 seal = T0 + SEAL_MS; next != finished.cend(); seal += SEAL_MS) {
            Protocol::Results batch;
            for (; next != finished.cend() && next->first <= seal; ++next)
                batch.rounds.append(next->second);
            if (batch.rounds.isEmpty())
                continue;
            Spool::Loss loss;
            QVERIFY2(spool.append(batch, &loss, &error), qPrintable(error));
            QCOMPARE(loss.batches, 0);
            rounds += batch.rounds.size();
            ++batches;
        }
        QCOMPARE(spool.bytesOnDisk(), segmentBytesOnDisk(folder));
        const double bytesPerRound = double(spool.bytesOnDisk()) / double(rounds);
        hours[scenario.tests] = double(usable) / (bytesPerRound * scenario.tests) / 3600.0;
        qInfo("%3d ping test(s) at 1 Hz: %.1f rounds a batch, %.0f bytes a round on disk (%.0f bytes a "
              "second); 256 MiB holds %.1f hours",
            scenario.tests, double(rounds) / double(batches), bytesPerRound, bytesPerRound * scenario.tests,
            hours[scenario.tests]);
    }
    // The promise: the default spool holds a day of a realistic agent's results.
    QVERIFY2(hours[20] >= 24, qPrintable(u"20 ping tests: %1 hours"_s.arg(hours[20])));
}

QTEST_GUILESS_MAIN(TestSpool)

#include "tst_spool.moc"
