// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "latencysketch.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace StreamSwarm::Console {

namespace {

constexpr double GAMMA = (1.0 + LatencySketch::RELATIVE_ACCURACY) / (1.0 - LatencySketch::RELATIVE_ACCURACY);
const double LOG_GAMMA = std::log(GAMMA);
constexpr int ZERO_BIN = std::numeric_limits<int>::min();
// Bins cover 1e-9 .. 1e12 ms; outside that, values are clamped to the end bins.
constexpr int LOWEST_BIN = -1040;
constexpr int HIGHEST_BIN = 1390;
constexpr char FORMAT_VERSION = 1;
constexpr int MAX_BINS = HIGHEST_BIN - LOWEST_BIN + 2;

void putVarint(QByteArray &out, quint64 value)
{
    while (value >= 0x80) {
        out.append(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.append(char(value));
}

std::optional<quint64> takeVarint(QByteArrayView in, qsizetype *pos)
{
    quint64 value = 0;
    for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
        const auto byte = quint8(in.at((*pos)++));
        value |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
    return std::nullopt;
}

quint64 zigzag(qint64 value)
{
    return (quint64(value) << 1) ^ quint64(value >> 63);
}

qint64 unzigzag(quint64 value)
{
    return qint64(value >> 1) ^ -qint64(value & 1);
}

} // namespace

int LatencySketch::binOf(double value)
{
    if (!(value > 0)) // also NaN
        return ZERO_BIN;
    const double bin = std::ceil(std::log(value) / LOG_GAMMA);
    if (bin < LOWEST_BIN)
        return LOWEST_BIN;
    if (bin > HIGHEST_BIN)
        return HIGHEST_BIN;
    return int(bin);
}

double LatencySketch::lowerEdge(int bin)
{
    return bin == ZERO_BIN ? 0.0 : std::pow(GAMMA, bin - 1);
}

double LatencySketch::representative(int bin)
{
    // The point of the bin (γ^(i-1), γ^i] whose relative distance to both edges is the same.
    return bin == ZERO_BIN ? 0.0 : 2.0 * std::pow(GAMMA, bin) / (GAMMA + 1.0);
}

void LatencySketch::add(double value, qint64 count)
{
    if (count <= 0)
        return;
    m_bins[binOf(value)] += count;
    m_count += count;
}

void LatencySketch::merge(const LatencySketch &other)
{
    for (auto it = other.m_bins.cbegin(); it != other.m_bins.cend(); ++it)
        m_bins[it.key()] += it.value();
    m_count += other.m_count;
}

std::optional<double> LatencySketch::quantile(double q) const
{
    if (m_count == 0)
        return std::nullopt;
    q = std::clamp(q, 0.0, 1.0);
    // The rank of the wanted value among count values, counted from 0 (the "lower" definition).
    const auto rank = qint64(std::floor(q * double(m_count - 1)));
    qint64 seen = 0;
    for (auto it = m_bins.cbegin(); it != m_bins.cend(); ++it) {
        seen += it.value();
        if (seen > rank)
            return representative(it.key());
    }
    return representative(m_bins.lastKey());
}

double LatencySketch::shareAtOrBelow(int bin, qint64 count, int limitBin, double limit)
{
    if (bin < limitBin || bin == ZERO_BIN)
        return double(count);
    if (bin > limitBin)
        return 0;
    const double low = lowerEdge(limitBin);
    const double high = std::pow(GAMMA, limitBin);
    return double(count) * std::clamp((limit - low) / (high - low), 0.0, 1.0);
}

double LatencySketch::countAtOrBelow(double limit) const
{
    if (limit < 0)
        return 0; // the zero bin does not say how far below zero its values were
    const int limitBin = binOf(limit);
    double below = 0;
    for (auto it = m_bins.cbegin(); it != m_bins.cend() && (it.key() <= limitBin || it.key() == ZERO_BIN); ++it)
        below += shareAtOrBelow(it.key(), it.value(), limitBin, limit);
    return below;
}

std::optional<double> LatencySketch::countAtOrBelow(QByteArrayView bytes, double limit)
{
    const int limitBin = binOf(std::max(limit, 0.0));
    double below = 0;
    const bool valid = forEachStoredBin(bytes, [&](int bin, qint64 count) {
        if (limit >= 0)
            below += shareAtOrBelow(bin, count, limitBin, limit);
    });
    return valid ? std::optional(below) : std::nullopt;
}

QByteArray LatencySketch::toBytes() const
{
    QByteArray out;
    out.reserve(2 + m_bins.size() * 3);
    out.append(FORMAT_VERSION);
    putVarint(out, quint64(m_bins.size()));
    qint64 previous = 0;
    for (auto it = m_bins.cbegin(); it != m_bins.cend(); ++it) {
        // The zero bin is written as LOWEST_BIN - 1, so every delta stays small.
        const qint64 bin = it.key() == ZERO_BIN ? LOWEST_BIN - 1 : it.key();
        putVarint(out, zigzag(bin - previous));
        putVarint(out, quint64(it.value()));
        previous = bin;
    }
    return out;
}

bool LatencySketch::forEachStoredBin(QByteArrayView bytes, const std::function<void(int, qint64)> &bin)
{
    // Checked whole first, so bytes that are not a sketch yield no bin at all.
    for (const bool calling : {false, true}) {
        if (bytes.isEmpty() || bytes.front() != FORMAT_VERSION)
            return false;
        qsizetype pos = 1;
        const auto bins = takeVarint(bytes, &pos);
        if (!bins || *bins > quint64(MAX_BINS))
            return false;
        qint64 at = 0;
        qint64 total = 0;
        for (quint64 i = 0; i < *bins; ++i) {
            const auto delta = takeVarint(bytes, &pos);
            const auto count = takeVarint(bytes, &pos);
            if (!delta || !count || *count == 0 || *count > quint64(std::numeric_limits<qint64>::max() / 2))
                return false;
            at += unzigzag(*delta);
            total += qint64(*count);
            if (at < LOWEST_BIN - 1 || at > HIGHEST_BIN || (i > 0 && unzigzag(*delta) <= 0) || total < 0)
                return false;
            if (calling)
                bin(at == LOWEST_BIN - 1 ? ZERO_BIN : int(at), qint64(*count));
        }
        if (pos != bytes.size())
            return false;
    }
    return true;
}

std::optional<LatencySketch> LatencySketch::fromBytes(QByteArrayView bytes)
{
    LatencySketch sketch;
    const bool valid = forEachStoredBin(bytes, [&sketch](int bin, qint64 count) {
        sketch.m_bins.insert(bin, count);
        sketch.m_count += count;
    });
    return valid ? std::optional(sketch) : std::nullopt;
}

} // namespace StreamSwarm::Console
