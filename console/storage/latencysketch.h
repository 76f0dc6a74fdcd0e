// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>

namespace StreamSwarm::Console {

// The distribution of a latency series in a rollup, small enough to keep per minute and mergeable,
// so an hour's percentiles come from its minutes without reading the raw samples again.
// Values go into logarithmic bins 2 % wide (as DDSketch does): any quantile read back is within
// 1 % of a value that was really measured at that rank. Zero and negative values share one bin.
class LatencySketch
{
public:
    static constexpr double RELATIVE_ACCURACY = 0.01;

    void add(double value, qint64 count = 1);
    void merge(const LatencySketch &other);
    qint64 count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }

    // The value at rank q (0..1), within 1 %; nullopt when empty.
    std::optional<double> quantile(double q) const;
    // How many values were at or below limit: exact except within limit's own bin, whose count
    // is split in proportion to where limit falls in it.
    double countAtOrBelow(double limit) const;
    // The same of a sketch's bytes, read in place (reports read thousands); nullopt when they are
    // not a sketch.
    static std::optional<double> countAtOrBelow(QByteArrayView bytes, double limit);

    // Compact bytes for the database (a version byte, then varint bin deltas and counts);
    // nullopt for bytes that are not a sketch.
    QByteArray toBytes() const;
    static std::optional<LatencySketch> fromBytes(QByteArrayView bytes);

private:
    // Each bin of a sketch's bytes in order, zero bin first; false (and no call) when they are not one.
    static bool forEachStoredBin(QByteArrayView bytes, const std::function<void(int bin, qint64 count)> &bin);
    // How much of a bin's count lies at or below limit (in limitBin).
    static double shareAtOrBelow(int bin, qint64 count, int limitBin, double limit);
    static int binOf(double value);
    static double lowerEdge(int bin);
    static double representative(int bin);

    QMap<int, qint64> m_bins; // bin -> count; bin ZERO_BIN holds values <= 0
    qint64 m_count = 0;
};

} // namespace StreamSwarm::Console
