// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "bitrate.h"

#include <cmath>

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace StreamSwarm {

namespace {

// Far beyond any link we would measure (1 Pbit/s), and far from qint64's end.
constexpr double MAX_BITS_PER_SECOND = 1e15;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Bitrate)
};

} // namespace

std::optional<qint64> parseBitrate(QStringView text, QString *error)
{
    // A number, an optional SI prefix, an optional "bit", "bps", "bit/s" or "b/s".
    static const QRegularExpression shape(
        u"\\A\\s*([0-9]{1,15}(?:\\.[0-9]{1,6})?)\\s*([kmg]?)(?:bits?(?:/s)?|bps|b/s)?\\s*\\z"_s,
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = shape.match(text.toString());
    if (match.hasMatch()) {
        const QString prefix = match.captured(2).toLower();
        const double unit = prefix == u"k" ? 1e3 : prefix == u"m" ? 1e6 : prefix == u"g" ? 1e9 : 1;
        const double bits = match.captured(1).toDouble() * unit;
        if (bits <= MAX_BITS_PER_SECOND)
            return qint64(std::llround(bits));
    }
    if (error) {
        *error = Tr::tr("\"%1\" is not a bit rate; use bits per second or a number with k, M or G (e.g. 100M for "
                        "100 Mbit/s).")
                     .arg(text.left(40));
    }
    return std::nullopt;
}

QString formatBitrate(qint64 bitsPerSecond)
{
    const double magnitude = std::abs(double(bitsPerSecond));
    const auto scaled = [&](double unit, const QString &name) -> QString {
        const double value = double(bitsPerSecond) / unit;
        // One decimal, none when it is zero: "1.5 Mbit/s", "10 Mbit/s".
        const bool whole = std::abs(value - std::round(value)) < 0.05;
        return QString::number(value, 'f', whole ? 0 : 1) + u' ' + name;
    };
    if (magnitude >= 1e9)
        return scaled(1e9, Tr::tr("Gbit/s"));
    if (magnitude >= 1e6)
        return scaled(1e6, Tr::tr("Mbit/s"));
    if (magnitude >= 1e3)
        return scaled(1e3, Tr::tr("kbit/s"));
    return Tr::tr("%1 bit/s").arg(bitsPerSecond);
}

} // namespace StreamSwarm
