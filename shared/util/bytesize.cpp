// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bytesize.h"

#include <array>
#include <cmath>

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace StreamSwarm {

namespace {

struct Unit
{
    QStringView suffix; // lower case
    qint64 bytes;
};

constexpr qint64 KIB = 1024;
constexpr std::array<Unit, 19> UNITS{{
    {u"", 1},
    {u"b", 1},
    {u"bytes", 1},
    {u"k", 1000},
    {u"kb", 1000},
    {u"m", 1000 * 1000},
    {u"mb", 1000 * 1000},
    {u"g", 1000 * 1000 * 1000},
    {u"gb", 1000 * 1000 * 1000},
    {u"t", 1000LL * 1000 * 1000 * 1000},
    {u"tb", 1000LL * 1000 * 1000 * 1000},
    {u"ki", KIB},
    {u"kib", KIB},
    {u"mi", KIB *KIB},
    {u"mib", KIB *KIB},
    {u"gi", KIB *KIB *KIB},
    {u"gib", KIB *KIB *KIB},
    {u"ti", KIB *KIB *KIB *KIB},
    {u"tib", KIB *KIB *KIB *KIB},
}};

// Far beyond any body or buffer we would cap, and far from qint64's end.
constexpr double MAX_BYTES = 1e15;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::ByteSize)
};

} // namespace

std::optional<qint64> parseByteSize(QStringView text, QString *error)
{
    static const QRegularExpression shape(u"\\A\\s*([0-9]{1,15}(?:\\.[0-9]{1,6})?)\\s*([A-Za-z]{0,5})\\s*\\z"_s);
    const QRegularExpressionMatch match = shape.match(text.toString());
    if (match.hasMatch()) {
        const QString suffix = match.captured(2).toLower();
        qint64 unit = 0;
        for (const Unit &candidate : UNITS) {
            if (candidate.suffix == suffix)
                unit = candidate.bytes;
        }
        const double bytes = match.captured(1).toDouble() * double(unit);
        const bool partOfAByte = unit == 1 && match.captured(1).contains(u'.');
        if (unit > 0 && bytes <= MAX_BYTES && !partOfAByte)
            return qint64(std::llround(bytes));
    }
    if (error) {
        *error = Tr::tr(
            "\"%1\" is not a size; use bytes or a number with kB, MB, GB, TB, KiB, MiB, GiB or TiB (e.g. 10MB).")
                     .arg(text.left(40));
    }
    return std::nullopt;
}

QString formatByteSize(qint64 bytes)
{
    if (bytes == 1)
        return Tr::tr("1 byte");
    if (bytes < 1000 && bytes > -1000)
        return Tr::tr("%1 bytes").arg(bytes);
    const double magnitude = std::abs(double(bytes));
    const auto scaled = [&](double unit, const QString &name) {
        const double value = double(bytes) / unit;
        // One decimal, none when it is zero: "1.2 MB", "10 MB".
        const double rounded = std::round(value * 10) / 10;
        const QString number
            = rounded == std::trunc(rounded) ? QString::number(qint64(rounded)) : QString::number(rounded, 'f', 1);
        return Tr::tr("%1 %2").arg(number, name);
    };
    if (magnitude < 999'950)
        return scaled(1e3, u"kB"_s);
    if (magnitude < 999'950'000)
        return scaled(1e6, u"MB"_s);
    return scaled(1e9, u"GB"_s);
}

} // namespace StreamSwarm
