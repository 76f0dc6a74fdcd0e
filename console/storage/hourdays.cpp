// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "hourdays.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <QtEndian>

namespace StreamSwarm::Console {

namespace {

constexpr char VERSION = 1;
constexpr qsizetype FIXED_BYTES = 1 + 8 + 6 * 8 + 4; // hour, count, six figures, sketch length

void appendInteger(QByteArray &out, quint64 value)
{
    const quint64 little = qToLittleEndian(value);
    out.append(reinterpret_cast<const char *>(&little), sizeof little);
}

void appendReal(QByteArray &out, double value)
{
    quint64 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    appendInteger(out, bits);
}

void appendOptional(QByteArray &out, const std::optional<double> &value)
{
    appendReal(out, value.value_or(std::numeric_limits<double>::quiet_NaN()));
}

quint64 integerAt(const char *at)
{
    quint64 value = 0;
    std::memcpy(&value, at, sizeof value);
    return qFromLittleEndian(value);
}

double realAt(const char *at)
{
    const quint64 bits = integerAt(at);
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

std::optional<double> optionalAt(const char *at)
{
    const double value = realAt(at);
    return std::isnan(value) ? std::nullopt : std::optional<double>(value);
}

} // namespace

qint64 HourDay::dayOf(qint64 timeMs)
{
    const qint64 quotient = timeMs / DAY_MS;
    return (timeMs % DAY_MS < 0 ? quotient - 1 : quotient) * DAY_MS;
}

QByteArray HourDay::encode(qint64 dayMs, const QList<RollupFigures> &hours)
{
    QByteArray out;
    qsizetype size = 1;
    for (const RollupFigures &hour : hours)
        size += FIXED_BYTES + hour.sketch.size();
    out.reserve(size);
    out.append(VERSION);
    for (const RollupFigures &hour : hours) {
        out.append(char((hour.timeMs - dayMs) / HOUR_MS));
        appendInteger(out, quint64(hour.count));
        appendReal(out, hour.total);
        appendReal(out, hour.lowest);
        appendReal(out, hour.highest);
        appendOptional(out, hour.p50);
        appendOptional(out, hour.p95);
        appendOptional(out, hour.p99);
        const quint32 length = qToLittleEndian(quint32(hour.sketch.size()));
        out.append(reinterpret_cast<const char *>(&length), sizeof length);
        out.append(hour.sketch);
    }
    return out;
}

bool HourDay::forEach(qint64 dayMs, QByteArrayView bytes, const std::function<void(const RollupFigures &)> &hour)
{
    // Checked whole before the first call, so a damaged row yields nothing rather than half a day.
    if (bytes.isEmpty() || bytes.front() != VERSION)
        return false;
    int previousHour = -1;
    for (qsizetype at = 1; at < bytes.size();) {
        if (bytes.size() - at < FIXED_BYTES)
            return false;
        const int hourOfDay = static_cast<unsigned char>(bytes.at(at));
        quint32 length = 0;
        std::memcpy(&length, bytes.data() + at + FIXED_BYTES - 4, sizeof length);
        length = qFromLittleEndian(length);
        if (hourOfDay >= 24 || hourOfDay <= previousHour || length > quint64(bytes.size() - at - FIXED_BYTES))
            return false;
        previousHour = hourOfDay;
        at += FIXED_BYTES + qsizetype(length);
    }
    RollupFigures figures;
    for (qsizetype at = 1; at < bytes.size();) {
        const char *entry = bytes.data() + at;
        figures.timeMs = dayMs + qint64(static_cast<unsigned char>(entry[0])) * HOUR_MS;
        figures.count = qint64(integerAt(entry + 1));
        figures.total = realAt(entry + 9);
        figures.lowest = realAt(entry + 17);
        figures.highest = realAt(entry + 25);
        figures.p50 = optionalAt(entry + 33);
        figures.p95 = optionalAt(entry + 41);
        figures.p99 = optionalAt(entry + 49);
        quint32 length = 0;
        std::memcpy(&length, entry + 57, sizeof length);
        length = qFromLittleEndian(length);
        figures.sketch = QByteArray::fromRawData(entry + FIXED_BYTES, qsizetype(length));
        hour(figures);
        at += FIXED_BYTES + qsizetype(length);
    }
    return true;
}

std::optional<QList<RollupFigures>> HourDay::decode(qint64 dayMs, QByteArrayView bytes)
{
    QList<RollupFigures> hours;
    const bool valid = forEach(dayMs, bytes, [&hours](const RollupFigures &hour) {
        hours.append(hour);
        hours.last().sketch = QByteArray(hour.sketch.constData(), hour.sketch.size()); // a copy of its own
    });
    return valid ? std::optional(hours) : std::nullopt;
}

void HourDay::put(QList<RollupFigures> &day, RollupFigures hour)
{
    const auto at = std::lower_bound(day.begin(), day.end(), hour.timeMs,
        [](const RollupFigures &entry, qint64 timeMs) { return entry.timeMs < timeMs; });
    if (at != day.end() && at->timeMs == hour.timeMs)
        *at = std::move(hour);
    else
        day.insert(at, std::move(hour));
}

} // namespace StreamSwarm::Console
