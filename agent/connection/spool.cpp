// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "spool.h"

#include <chrono>

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>
#include <QtEndian>

#include <zlib.h>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

#include "agent/connection/spoolcompression.h"
#include "shared/protocol/codec.h"
#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// 'SSB2': the payload uses SpoolCompression's dictionary; 'SSB1' records (agents before it) are
// still read.
constexpr char MAGIC[4] = {'S', 'S', 'B', '2'};
constexpr char MAGIC_V1[4] = {'S', 'S', 'B', '1'};

bool isMagic(const char *bytes)
{
    return memcmp(bytes, MAGIC, 4) == 0 || memcmp(bytes, MAGIC_V1, 4) == 0;
}
constexpr qint64 HEADER_BYTES = 40;
// A batch is at most 1 MiB encoded (the protocol's limit); compressed it is smaller still.
constexpr quint32 MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
constexpr qint64 MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
constexpr qint64 MIN_SEGMENT_BYTES = 16 * 1024;
constexpr qint64 ACK_PERSIST_INTERVAL_MS = 2000;
// At most a send window's worth are ever unsettled; the bound only guards a damaged file.
constexpr qsizetype MAX_UNSETTLED = 4096;
// Encoded batches kept in memory until acked: a few seconds of 1,000 ping tests, at most a quarter
// of the spool; older ones are read back from disk when a new connection resends them.
constexpr qint64 MAX_FRESH_BYTES = 8 * 1024 * 1024;
const QString SEGMENT_SUFFIX = u".seg"_s;

quint32 checksum(const char *header, const QByteArray &payload)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    // The magic is excluded: it is what finds a record, the checksum what proves it whole.
    crc = crc32(crc, reinterpret_cast<const Bytef *>(header + 4), 32);
    crc = crc32(crc, reinterpret_cast<const Bytef *>(payload.constData()), uInt(payload.size()));
    return quint32(crc);
}

bool syncFile(QFile &file)
{
    if (!file.flush())
        return false;
#ifdef Q_OS_UNIX
    return ::fdatasync(file.handle()) == 0;
#else
    return true; // the Windows layer syncs with FlushFileBuffers in platform/windows
#endif
}

// Floor and lost are set as each send leaves (Protocol::withDeliveryFields()), never kept with a batch.
void clearDeliveryFields(Protocol::Results &batch)
{
    batch.floorSeq = 0;
    batch.lostRounds = 0;
    batch.lostUntilMs = 0;
}

} // namespace

// On disk, little-endian: magic[4] payloadBytes u32, seq i64, rounds u32, firstTimeMs i64,
// lastTimeMs i64, crc32 u32 (of bytes 4..36 and the payload), then the payload: the batch's
// protocol encoding, compressed with zlib.
struct Spool::RecordHeader
{
    quint32 payloadBytes = 0;
    qint64 seq = 0;
    quint32 rounds = 0;
    qint64 firstTimeMs = 0;
    qint64 lastTimeMs = 0;
    quint32 crc = 0;
    SpoolCompression::Format format = SpoolCompression::Format::ZlibWithDictionary;

    void write(char *out) const
    {
        memcpy(out, MAGIC, 4);
        qToLittleEndian(payloadBytes, out + 4);
        qToLittleEndian(seq, out + 8);
        qToLittleEndian(rounds, out + 16);
        qToLittleEndian(firstTimeMs, out + 20);
        qToLittleEndian(lastTimeMs, out + 28);
        qToLittleEndian(crc, out + 36);
    }
    bool read(const char *in)
    {
        if (!isMagic(in))
            return false;
        format = memcmp(in, MAGIC_V1, 4) == 0 ? SpoolCompression::Format::Zlib
                                              : SpoolCompression::Format::ZlibWithDictionary;
        payloadBytes = qFromLittleEndian<quint32>(in + 4);
        seq = qFromLittleEndian<qint64>(in + 8);
        rounds = qFromLittleEndian<quint32>(in + 16);
        firstTimeMs = qFromLittleEndian<qint64>(in + 20);
        lastTimeMs = qFromLittleEndian<qint64>(in + 28);
        crc = qFromLittleEndian<quint32>(in + 36);
        return payloadBytes <= MAX_PAYLOAD_BYTES && seq > 0;
    }
};

namespace {

// Reads the record at the file's position; nullopt at a clean end, or when the rest is torn or
// corrupt (*damaged then says so).
template <typename Header>
std::optional<QByteArray> readRecord(QFile &file, Header *header, bool *damaged)
{
    *damaged = false;
    char raw[HEADER_BYTES];
    const qint64 got = file.read(raw, HEADER_BYTES);
    if (got <= 0)
        return std::nullopt;
    if (got < HEADER_BYTES || !header->read(raw)) {
        *damaged = true;
        return std::nullopt;
    }
    QByteArray payload = file.read(header->payloadBytes);
    if (payload.size() != qsizetype(header->payloadBytes) || checksum(raw, payload) != header->crc) {
        *damaged = true;
        return std::nullopt;
    }
    return payload;
}

// The first whole record at or after from (and before end) with a seq above minSeq: how reading
// resumes after a damaged stretch, so one bad byte costs one record, not the rest of the file.
template <typename Header>
std::optional<qint64> findRecord(QFile &file, qint64 from, qint64 end, qint64 minSeq)
{
    constexpr qint64 CHUNK = 64 * 1024;
    for (qint64 chunkStart = from; chunkStart < end; chunkStart += CHUNK - 3) {
        file.seek(chunkStart);
        const QByteArray chunk = file.read(std::min(CHUNK, end - chunkStart));
        // Both magics start with these three bytes.
        for (qsizetype at = chunk.indexOf(QByteArrayView(MAGIC, 3)); at >= 0;
             at = chunk.indexOf(QByteArrayView(MAGIC, 3), at + 1)) {
            file.seek(chunkStart + at);
            Header header;
            bool damaged = false;
            if (readRecord(file, &header, &damaged) && header.seq > minSeq && file.pos() <= end)
                return chunkStart + at;
        }
        if (chunk.size() < CHUNK)
            break;
    }
    return std::nullopt;
}

} // namespace

Spool::Spool(QString directory, qint64 maxBytes)
    : m_directory(std::move(directory))
    , m_maxBytes(std::max(maxBytes, MIN_MAX_BYTES))
    // Sixteen or more segments, so dropping the oldest frees a small part of the whole.
    , m_segmentBytes(std::clamp(m_maxBytes / 16, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES))
    , m_clock(monotonicMs)
{ }

Spool::~Spool()
{
    if (m_ackedSeq > m_durableAckedSeq)
        persistAcked();
}

bool Spool::open(OpenReport *report, QString *error)
{
    *report = {};
    QDir dir(m_directory);
    if (!dir.mkpath(u"."_s)) {
        *error = tr("Cannot create the spool folder %1.").arg(m_directory);
        return false;
    }
    QFile::setPermissions(m_directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile acked(dir.filePath(u"acked"_s));
    if (acked.open(QIODevice::ReadOnly))
        m_ackedSeq = m_durableAckedSeq = std::max<qint64>(0, acked.read(32).trimmed().toLongLong());

    QFile lost(dir.filePath(u"lost"_s));
    if (lost.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> fields = lost.read(64).trimmed().split(' ');
        m_lostRounds = std::max<qint64>(0, fields.value(0).toLongLong());
        m_lostUntilMs = std::max<qint64>(0, fields.value(1).toLongLong());
    }
    loadUnsettled();
    // A renumbering after the console's welcome (continueAfter) that no batch has used yet.
    QFile next(dir.filePath(u"next"_s));
    qint64 persistedNext = 0;
    if (next.open(QIODevice::ReadOnly))
        persistedNext = std::max<qint64>(0, next.read(32).trimmed().toLongLong());
    const QStringList names = dir.entryList({u"*"_s + SEGMENT_SUFFIX}, QDir::Files, QDir::Name);
    qint64 lastSeq = 0;
    for (const QString &name : names) {
        Segment segment;
        segment.path = dir.filePath(name);
        if (!scanSegment(segment, report, error))
            return false;
        if (segment.lastSeq == 0 || segment.firstSeq <= lastSeq) {
            // Nothing readable, or overlapping the segment before it (a leftover): it goes.
            if (segment.lastSeq != 0 && segment.lastSeq > m_ackedSeq)
                ++report->damagedRecords;
            QFile::remove(segment.path);
            continue;
        }
        lastSeq = segment.lastSeq;
        m_totalBytes += segment.bytes;
        m_segments.push_back(segment);
    }
    m_nextSeq = std::max({lastSeq, m_ackedSeq, persistedNext - 1}) + 1;
    removeAckedSegments();
    rewind();
    return true;
}

bool Spool::scanSegment(Segment &segment, OpenReport *report, QString *error)
{
    QFile file(segment.path);
    if (!file.open(QIODevice::ReadWrite)) {
        *error = tr("Cannot open the spool file %1: %2").arg(segment.path, file.errorString());
        return false;
    }
    const qint64 size = file.size();
    qint64 offset = 0;
    qint64 goodEnd = 0;
    for (;;) {
        file.seek(offset);
        RecordHeader header;
        bool damaged = false;
        if (readRecord(file, &header, &damaged) && header.seq > segment.lastSeq) {
            if (segment.firstSeq == 0)
                segment.firstSeq = header.seq;
            segment.lastSeq = header.seq;
            offset = goodEnd = file.pos();
            if (header.seq > m_ackedSeq) {
                ++report->batches;
                report->rounds += header.rounds;
            }
            report->lastTimeMs = std::max(report->lastTimeMs, header.lastTimeMs);
            continue;
        }
        if (offset >= size)
            break;
        // A damaged stretch: skip to the next whole record, if any; the damage is counted once.
        ++report->damagedRecords;
        const auto resume = findRecord<RecordHeader>(file, offset + 1, size, segment.lastSeq);
        if (!resume)
            break;
        offset = *resume;
    }
    if (goodEnd != size) {
        // A crash mid-write leaves a torn last record: cut it off so the file ends whole.
        if (!file.resize(goodEnd)) {
            *error = tr("Cannot repair the spool file %1: %2").arg(segment.path, file.errorString());
            return false;
        }
    }
    segment.bytes = goodEnd;
    return true;
}

void Spool::continueAfter(qint64 lastSeq)
{
    if (lastSeq < m_nextSeq)
        return;
    m_nextSeq = lastSeq + 1;
    m_active.close(); // seqs within one segment stay contiguous
    m_sendSeq = std::max(m_sendSeq, m_ackedSeq + 1);
    // Kept on disk: a restart before the next append must not number below the console's seqs.
    QSaveFile file(QDir(m_directory).filePath(u"next"_s));
    if (file.open(QIODevice::WriteOnly))
        file.write(QByteArray::number(m_nextSeq) + '\n');
    file.commit();
}

bool Spool::startSegment(QString *error)
{
    m_active.close();
    const QString path = QDir(m_directory).filePath(u"%1"_s.arg(m_nextSeq, 20, 10, QLatin1Char('0')) + SEGMENT_SUFFIX);
    m_active.setFileName(path);
    if (!m_active.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = tr("Cannot create the spool file %1: %2").arg(path, m_active.errorString());
        return false;
    }
    m_segments.push_back({path, 0, 0, 0});
    syncDirectory(); // the new name must survive a power loss along with the data in it
    return true;
}

bool Spool::append(Protocol::Results batch, Loss *loss, QString *error, bool *tooLarge)
{
    *loss = {};
    if (tooLarge)
        *tooLarge = false;
    batch.seq = m_nextSeq;
    clearDeliveryFields(batch);
    RecordHeader header;
    header.seq = batch.seq;
    header.rounds = quint32(batch.rounds.size());
    // Rounds join a batch as they finish, so a long round that started early may come late.
    for (const Protocol::Round &round : std::as_const(batch.rounds)) {
        header.firstTimeMs = header.firstTimeMs ? std::min(header.firstTimeMs, round.timeMs) : round.timeMs;
        header.lastTimeMs = std::max(header.lastTimeMs, round.timeMs);
    }
    const QByteArray encoded = Protocol::encode({batch});
    if (encoded.size() > Protocol::MAX_MESSAGE_BYTES) {
        // The console would refuse it for ever; better never to spool it.
        *error = tr("A batch of %1 round(s) is %2 bytes, more than one message may carry.")
                     .arg(batch.rounds.size())
                     .arg(encoded.size());
        if (tooLarge)
            *tooLarge = true;
        return false;
    }
    const QByteArray payload = SpoolCompression::compress(encoded);
    header.payloadBytes = quint32(payload.size());
    char raw[HEADER_BYTES];
    header.write(raw);
    header.crc = checksum(raw, payload);
    header.write(raw);

    // Continue the last segment when it is ours from this run and has room, else start one.
    if (!m_active.isOpen() || m_segments.empty() || m_active.fileName() != m_segments.back().path
        || m_segments.back().bytes >= m_segmentBytes) {
        if (!startSegment(error))
            return false;
    }
    Segment &segment = m_segments.back();
    const qint64 before = m_active.size();
    if (m_active.write(raw, HEADER_BYTES) != HEADER_BYTES || m_active.write(payload) != payload.size()
        || !syncFile(m_active)) {
        *error = tr("Cannot write to the spool file %1: %2").arg(m_active.fileName(), m_active.errorString());
        m_active.resize(before);
        m_active.close();
        return false;
    }
    if (segment.firstSeq == 0)
        segment.firstSeq = batch.seq;
    segment.lastSeq = batch.seq;
    const qint64 written = HEADER_BYTES + payload.size();
    segment.bytes += written;
    m_totalBytes += written;
    ++m_nextSeq;
    keepFresh({{batch.seq, batch.rounds.size(), encoded}, segment.firstSeq, segment.bytes});
    while (m_totalBytes > m_maxBytes && m_segments.size() > 1)
        dropOldestSegment(loss);
    if (loss->rounds > 0) {
        m_lostRounds += loss->rounds;
        m_lostUntilMs = std::max(m_lostUntilMs, loss->toMs);
        persistLoss();
    }
    return true;
}

void Spool::dropOldestSegment(Loss *loss)
{
    const Segment oldest = m_segments.front();
    QFile file(oldest.path);
    bool unsettledChanged = false;
    if (file.open(QIODevice::ReadOnly)) {
        RecordHeader header;
        bool damaged = false;
        while (readRecord(file, &header, &damaged)) {
            if (header.seq <= m_ackedSeq)
                continue;
            if (header.seq < m_sendSeq && m_unsettled.size() < MAX_UNSETTLED) {
                // Sent and not yet acked: the console may hold it. Counted once that is known.
                m_unsettled.push_back({header.seq, header.rounds, header.firstTimeMs, header.lastTimeMs});
                unsettledChanged = true;
                continue;
            }
            countLoss(loss, header.rounds, header.firstTimeMs, header.lastTimeMs);
        }
    }
    file.close();
    if (unsettledChanged)
        persistUnsettled(); // before the file goes: a crash must not hide these rounds
    QFile::remove(oldest.path);
    m_totalBytes -= oldest.bytes;
    m_segments.pop_front();
    forgetFresh(oldest.lastSeq);
    if (m_cursorSegmentFirstSeq == oldest.firstSeq) {
        m_reader.reset();
        m_cursorSegmentFirstSeq = 0;
    }
    m_sendSeq = std::max(m_sendSeq, oldest.lastSeq + 1);
}

void Spool::countLoss(Loss *loss, qint64 rounds, qint64 fromMs, qint64 toMs)
{
    ++loss->batches;
    loss->rounds += rounds;
    if (rounds) {
        loss->fromMs = loss->fromMs ? std::min(loss->fromMs, fromMs) : fromMs;
        loss->toMs = std::max(loss->toMs, toMs);
    }
}

Spool::Loss Spool::consoleHolds(qint64 lastSeq)
{
    // Acks lost with the connection: resending those would only make duplicates.
    acknowledge(std::min(lastSeq, m_nextSeq - 1));
    Loss loss;
    if (m_unsettled.empty())
        return loss;
    for (const Unsettled &dropped : m_unsettled) {
        if (dropped.seq > lastSeq)
            countLoss(&loss, dropped.rounds, dropped.fromMs, dropped.toMs);
    }
    m_unsettled.clear();
    if (loss.rounds > 0) {
        m_lostRounds += loss.rounds;
        m_lostUntilMs = std::max(m_lostUntilMs, loss.toMs);
        persistLoss();
    }
    persistUnsettled();
    return loss;
}

void Spool::keepFresh(FreshBatch fresh)
{
    if (!m_fresh.empty() && m_fresh.back().batch.seq + 1 != fresh.batch.seq)
        forgetFresh(m_fresh.back().batch.seq); // numbering moved on (continueAfter): start again
    m_freshBytes += fresh.batch.message.size();
    m_fresh.push_back(std::move(fresh));
    while (m_freshBytes > std::min(MAX_FRESH_BYTES, m_maxBytes / 4) && !m_fresh.empty()) {
        m_freshBytes -= m_fresh.front().batch.message.size();
        m_fresh.pop_front();
    }
}

void Spool::forgetFresh(qint64 upToSeq)
{
    while (!m_fresh.empty() && m_fresh.front().batch.seq <= upToSeq) {
        m_freshBytes -= m_fresh.front().batch.message.size();
        m_fresh.pop_front();
    }
}

std::optional<Spool::SpooledBatch> Spool::readNextMessage(QString *error)
{
    if (!m_fresh.empty() && m_sendSeq >= m_fresh.front().batch.seq && m_sendSeq <= m_fresh.back().batch.seq) {
        const FreshBatch &fresh = m_fresh.at(size_t(m_sendSeq - m_fresh.front().batch.seq));
        Q_ASSERT(fresh.batch.seq == m_sendSeq);
        // Move the disk cursor past it too, for when a later batch has to come from disk.
        if (m_reader && m_cursorSegmentFirstSeq == fresh.segmentFirstSeq) {
            m_cursorOffset = fresh.endOffset;
        } else {
            m_reader.reset();
            m_cursorSegmentFirstSeq = 0;
        }
        ++m_sendSeq;
        return fresh.batch;
    }
    auto results = readNextFromDisk(error);
    if (!results)
        return std::nullopt;
    clearDeliveryFields(*results);
    return SpooledBatch{results->seq, results->rounds.size(), Protocol::encode({*results})};
}

std::optional<Protocol::Results> Spool::readNext(QString *error)
{
    const auto batch = readNextMessage(error);
    if (!batch)
        return std::nullopt;
    auto message = Protocol::decode(batch->message);
    if (!message || message->type() != Protocol::MessageType::Results)
        return std::nullopt; // cannot happen: checked when read from disk, or our own encoding
    return std::get<Protocol::Results>(std::move(message->payload));
}

std::optional<Protocol::Results> Spool::readNextFromDisk(QString *error)
{
    for (;;) {
        if (!m_reader || m_cursorSegmentFirstSeq == 0) {
            const auto segment = std::find_if(
                m_segments.cbegin(), m_segments.cend(), [this](const Segment &s) { return s.lastSeq >= m_sendSeq; });
            if (segment == m_segments.cend())
                return std::nullopt;
            m_reader = std::make_unique<QFile>(segment->path);
            if (!m_reader->open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
                *error = tr("Cannot read the spool file %1: %2").arg(segment->path, m_reader->errorString());
                m_reader.reset();
                return std::nullopt;
            }
            m_cursorSegmentFirstSeq = segment->firstSeq;
            m_cursorOffset = 0;
        }
        const auto segment = std::find_if(m_segments.cbegin(), m_segments.cend(),
            [this](const Segment &s) { return s.firstSeq == m_cursorSegmentFirstSeq; });
        if (segment == m_segments.cend() || m_cursorOffset >= segment->bytes) {
            // This segment is read to its end; the next one, if any, continues.
            const bool last = segment == m_segments.cend() || std::next(segment) == m_segments.cend();
            if (last)
                return std::nullopt;
            m_reader.reset();
            m_cursorSegmentFirstSeq = 0;
            continue;
        }
        m_reader->seek(m_cursorOffset);
        RecordHeader header;
        bool damaged = false;
        const auto payload = readRecord(*m_reader, &header, &damaged);
        if (!payload) {
            *error = tr("The spool file %1 is damaged at byte %2; the damaged batch is skipped.")
                         .arg(segment->path)
                         .arg(m_cursorOffset);
            const auto resume = findRecord<RecordHeader>(*m_reader, m_cursorOffset + 1, segment->bytes, m_sendSeq - 1);
            if (resume) {
                m_cursorOffset = *resume;
            } else {
                m_cursorOffset = segment->bytes;
                m_sendSeq = std::max(m_sendSeq, segment->lastSeq + 1);
            }
            continue;
        }
        m_cursorOffset += HEADER_BYTES + header.payloadBytes;
        if (header.seq < m_sendSeq)
            continue;
        m_sendSeq = header.seq + 1;
        Protocol::DecodeError decodeError;
        const QByteArray encoded
            = SpoolCompression::decompress(*payload, header.format, Protocol::MAX_MESSAGE_BYTES).value_or(QByteArray());
        const auto message = Protocol::decode(encoded, &decodeError);
        if (!message || message->type() != Protocol::MessageType::Results) {
            *error = tr("Spooled batch %1 cannot be read back (%2); it is skipped.")
                         .arg(header.seq)
                         .arg(decodeError.reason);
            continue;
        }
        auto results = std::get<Protocol::Results>(message->payload);
        results.seq = header.seq;
        return results;
    }
}

void Spool::rewind()
{
    m_sendSeq = m_ackedSeq + 1;
    m_reader.reset();
    m_cursorSegmentFirstSeq = 0;
    m_cursorOffset = 0;
}

bool Spool::hasUnsent() const
{
    return !m_segments.empty() && m_segments.back().lastSeq >= m_sendSeq;
}

qint64 Spool::unackedBatches() const
{
    qint64 count = 0;
    for (const Segment &segment : m_segments) {
        if (segment.lastSeq > m_ackedSeq)
            count += segment.lastSeq - std::max(segment.firstSeq - 1, m_ackedSeq);
    }
    return count;
}

void Spool::acknowledge(qint64 seq)
{
    if (seq <= m_ackedSeq || seq >= m_nextSeq)
        return;
    m_ackedSeq = seq;
    m_sendSeq = std::max(m_sendSeq, m_ackedSeq + 1);
    forgetFresh(seq);
    removeAckedSegments();
    if (!m_unsettled.empty() && m_unsettled.front().seq <= seq) {
        // The console holds them after all: not a loss.
        m_unsettled.erase(m_unsettled.begin(),
            std::find_if(m_unsettled.begin(), m_unsettled.end(), [seq](const Unsettled &u) { return u.seq > seq; }));
        persistUnsettled();
    }
    const qint64 now = m_clock();
    if (now - m_lastAckPersistMs >= ACK_PERSIST_INTERVAL_MS)
        persistAcked();
}

void Spool::persistAcked()
{
    // QSaveFile syncs before it renames: the watermark on disk is never ahead of what is true.
    QSaveFile file(QDir(m_directory).filePath(u"acked"_s));
    if (file.open(QIODevice::WriteOnly) && file.write(QByteArray::number(m_ackedSeq) + '\n') > 0 && file.commit()) {
        m_durableAckedSeq = m_ackedSeq;
        m_lastAckPersistMs = m_clock();
    }
}

void Spool::persistLoss()
{
    QSaveFile file(QDir(m_directory).filePath(u"lost"_s));
    if (file.open(QIODevice::WriteOnly))
        file.write(QByteArray::number(m_lostRounds) + ' ' + QByteArray::number(m_lostUntilMs) + '\n');
    file.commit();
}

void Spool::persistUnsettled()
{
    const QString path = QDir(m_directory).filePath(u"unsettled"_s);
    if (m_unsettled.empty()) {
        QFile::remove(path);
        return;
    }
    QByteArray text;
    for (const Unsettled &dropped : m_unsettled) {
        text += QByteArray::number(dropped.seq) + ' ' + QByteArray::number(dropped.rounds) + ' '
            + QByteArray::number(dropped.fromMs) + ' ' + QByteArray::number(dropped.toMs) + '\n';
    }
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
    file.commit();
}

void Spool::loadUnsettled()
{
    QFile file(QDir(m_directory).filePath(u"unsettled"_s));
    if (!file.open(QIODevice::ReadOnly))
        return;
    while (!file.atEnd() && m_unsettled.size() < MAX_UNSETTLED) {
        const QList<QByteArray> fields = file.readLine(128).trimmed().split(' ');
        if (fields.size() != 4)
            continue;
        const Unsettled dropped{fields[0].toLongLong(), std::max<qint64>(0, fields[1].toLongLong()),
            fields[2].toLongLong(), fields[3].toLongLong()};
        if (dropped.seq > m_ackedSeq && (m_unsettled.empty() || dropped.seq > m_unsettled.back().seq))
            m_unsettled.push_back(dropped);
    }
}

void Spool::removeAckedSegments()
{
    // The newest segment stays even when acked: it is where appends continue.
    while (m_segments.size() > 1 && m_segments.front().lastSeq <= m_ackedSeq) {
        const Segment &oldest = m_segments.front();
        if (m_cursorSegmentFirstSeq == oldest.firstSeq) {
            m_reader.reset();
            m_cursorSegmentFirstSeq = 0;
        }
        QFile::remove(oldest.path);
        m_totalBytes -= oldest.bytes;
        m_segments.pop_front();
    }
}

bool Spool::syncDirectory()
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(m_directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
#else
    return true;
#endif
}

} // namespace StreamSwarm::Agent
