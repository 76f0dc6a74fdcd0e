// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "spoolcompression.h"

#include <QCborArray>
#include <QStringList>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::SpoolCompression {

namespace {

// Level 6, zlib's default: with 1,000 ping tests a batch is a few hundred kilobytes four times a
// second, and level 9 made the spool only 0.3 % smaller (tst_spool capacity) for more CPU.
constexpr int LEVEL = 6;
constexpr qsizetype LENGTH_BYTES = 4;

// Frozen (see dictionary()): strings as the protocol encodes them, the most frequent last, since
// zlib reaches the end of its window most cheaply.
QByteArray buildDictionary()
{
    const QStringList strings{// qos, per class (a few common classes; others still find the figure names)
        u"qos"_s, u"classes"_s, u"class"_s, u"dscp"_s, u"markingKeptThere"_s, u"markingKeptBack"_s,
        u"clocksSynchronised"_s, u"qos.be.rtt_median_ms"_s, u"qos.af41.rtt_median_ms"_s, u"qos.cs1.rtt_median_ms"_s,
        u"qos.ef.sent"_s, u"qos.ef.loss_pct"_s, u"qos.ef.fwd_loss_pct"_s, u"qos.ef.bwd_loss_pct"_s,
        u"qos.ef.rtt_min_ms"_s, u"qos.ef.rtt_median_ms"_s, u"qos.ef.rtt_max_ms"_s, u"qos.ef.jitter_ms"_s,
        u"qos.ef.dscp_kept"_s, u"qos.ef.fwd_owd_ms"_s, u"qos.ef.bwd_owd_ms"_s,
        // traceroute
        u"traceroute"_s, u"hops"_s, u"hop"_s, u"address"_s, u"addresses"_s, u"name"_s, u"received"_s, u"loss"_s,
        u"last"_s, u"avg"_s, u"best"_s, u"worst"_s, u"stddev"_s, u"reached"_s, u"route_changed"_s, u"loss_hop"_s,
        u"latency_hop"_s, u"rate_limited"_s, u"traceroute.hops"_s, u"traceroute.reached"_s, u"traceroute.dest_rtt_ms"_s,
        u"traceroute.dest_loss_pct"_s, u"traceroute.route_changed"_s,
        // events and batch keys
        u"events"_s, u"level"_s, u"message"_s, u"floor"_s, u"lost"_s, u"until"_s, u"error"_s,
        // the timestamp-quality detail every path round carries
        u"hardware"_s, u"user"_s, u"maxErrorUs"_s, u"errorUs"_s, u"offsetUs"_s, u"synchronised"_s, u"clock"_s,
        u"kernel"_s, u"source"_s, u"timestamps"_s, u"ping"_s, u"kind"_s, u"detail"_s,
        // ping, in every round of the most common test
        u"ping.icmp_errors"_s, u"ping.reordered"_s, u"ping.duplicates"_s, u"ping.received"_s, u"ping.sent"_s,
        u"ping.loss_pct"_s, u"ping.jitter_ms"_s, u"ping.rtt_stddev_ms"_s, u"ping.rtt_median_ms"_s,
        u"ping.rtt_mdev_ms"_s, u"ping.rtt_max_ms"_s, u"ping.rtt_avg_ms"_s, u"ping.rtt_min_ms"_s, u"values"_s, u"t"_s,
        u"test"_s, u"rounds"_s, u"seq"_s, u"type"_s, u"results"_s};
    return QCborArray::fromStringList(strings).toCborValue().toCbor();
}

// deflateInit() allocates and clears about 270 kB of state: once per thread, then reset per batch.
class Deflater
{
    Q_DISABLE_COPY_MOVE(Deflater)
public:
    Deflater() { m_ready = deflateInit(&m_stream, LEVEL) == Z_OK; }
    ~Deflater()
    {
        if (m_ready)
            deflateEnd(&m_stream);
    }
    z_stream *start()
    {
        if (!m_ready || deflateReset(&m_stream) != Z_OK)
            return nullptr;
        const QByteArray &words = dictionary();
        if (deflateSetDictionary(&m_stream, reinterpret_cast<const Bytef *>(words.constData()), uInt(words.size()))
            != Z_OK)
            return nullptr;
        return &m_stream;
    }

private:
    z_stream m_stream{};
    bool m_ready = false;
};

} // namespace

const QByteArray &dictionary()
{
    static const QByteArray bytes = buildDictionary();
    return bytes;
}

QByteArray compress(const QByteArray &data, Format format)
{
    if (format == Format::Zlib)
        return qCompress(data, LEVEL);
    thread_local Deflater deflater;
    z_stream *stream = deflater.start();
    if (!stream)
        return {};
    QByteArray out(LENGTH_BYTES + qsizetype(deflateBound(stream, uLong(data.size()))), Qt::Uninitialized);
    qToLittleEndian(quint32(data.size()), out.data());
    stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream->avail_in = uInt(data.size());
    stream->next_out = reinterpret_cast<Bytef *>(out.data() + LENGTH_BYTES);
    stream->avail_out = uInt(out.size() - LENGTH_BYTES);
    const int result = deflate(stream, Z_FINISH);
    out.truncate(LENGTH_BYTES + qsizetype(stream->total_out));
    return result == Z_STREAM_END ? out : QByteArray();
}

std::optional<QByteArray> decompress(const QByteArray &data, Format format, qsizetype maxBytes)
{
    if (data.size() < LENGTH_BYTES)
        return std::nullopt;
    if (format == Format::Zlib) {
        if (qFromBigEndian<quint32>(data.constData()) > quint64(maxBytes))
            return std::nullopt;
        QByteArray out = qUncompress(data);
        if (out.isEmpty())
            return std::nullopt;
        return out;
    }
    const quint32 length = qFromLittleEndian<quint32>(data.constData());
    if (length > quint64(maxBytes))
        return std::nullopt;
    QByteArray out(qsizetype(length), Qt::Uninitialized);
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK)
        return std::nullopt;
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData() + LENGTH_BYTES));
    stream.avail_in = uInt(data.size() - LENGTH_BYTES);
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    int result = inflate(&stream, Z_FINISH);
    if (result == Z_NEED_DICT) {
        const QByteArray &words = dictionary();
        if (inflateSetDictionary(&stream, reinterpret_cast<const Bytef *>(words.constData()), uInt(words.size()))
            == Z_OK)
            result = inflate(&stream, Z_FINISH);
    }
    const bool whole = result == Z_STREAM_END && stream.total_out == length && stream.avail_in == 0;
    inflateEnd(&stream);
    if (!whole)
        return std::nullopt;
    return out;
}

} // namespace StreamSwarm::Agent::SpoolCompression
