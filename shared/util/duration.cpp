// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "duration.h"

#include <array>
#include <limits>

#include <QCoreApplication>

namespace StreamSwarm {

namespace {

struct Unit
{
    QStringView suffix;
    qint64 ms;
};

// Longest suffix first so "ms" is not read as "m".
constexpr std::array<Unit, 5> UNITS{{
    {u"ms", 1},
    {u"s", 1000},
    {u"m", 60 * 1000},
    {u"h", 60 * 60 * 1000},
    {u"d", 24 * 60 * 60 * 1000},
}};

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Duration)
};

} // namespace

std::optional<qint64> parseDurationMs(QStringView text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(Tr::tr("The duration is empty; write it like 500ms, 10s, 5m, 2h or 7d."));
    for (const Unit &unit : UNITS) {
        if (!trimmed.endsWith(unit.suffix))
            continue;
        const QStringView number = trimmed.chopped(unit.suffix.size());
        const bool digitsOnly = !number.isEmpty()
            && std::all_of(number.cbegin(), number.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
        bool ok = false;
        const qint64 value = number.toLongLong(&ok);
        if (!digitsOnly || !ok)
            break;
        if (value > std::numeric_limits<qint64>::max() / unit.ms / 1000)
            return fail(Tr::tr("The duration \"%1\" is too long.").arg(trimmed));
        return value * unit.ms;
    }
    return fail(Tr::tr("\"%1\" is not a duration; write a whole number and a unit, like 500ms, 10s, 5m, 2h or 7d.")
                    .arg(trimmed));
}

QString formatDurationMs(qint64 ms)
{
    for (auto it = UNITS.rbegin(); it != UNITS.rend(); ++it) {
        if (ms != 0 && ms % it->ms == 0)
            return QString::number(ms / it->ms) + it->suffix;
    }
    return QString::number(ms) + u"ms";
}

std::optional<QDateTime> parseTimePoint(QStringView text, const QDateTime &now, QString *error)
{
    const QStringView trimmed = text.trimmed();
    if (!trimmed.isEmpty() && trimmed.front().isDigit() && !trimmed.contains(u'-')) {
        constexpr qint64 HUNDRED_YEARS_MS = 100LL * 366 * 24 * 3600 * 1000;
        if (const auto ago = parseDurationMs(trimmed, nullptr)) {
            if (*ago <= HUNDRED_YEARS_MS)
                return now.addMSecs(-*ago);
            if (error)
                *error = Tr::tr("\"%1\" is more than a hundred years ago.").arg(trimmed);
            return std::nullopt;
        }
    }
    QDateTime parsed = QDateTime::fromString(trimmed.toString(), Qt::ISODateWithMs);
    if (parsed.isValid()) {
        if (parsed.timeSpec() == Qt::LocalTime)
            parsed.setTimeSpec(Qt::UTC);
        return parsed;
    }
    if (error) {
        *error = Tr::tr("\"%1\" is not a time; write it in ISO 8601 (2026-11-26T08:00:00Z) "
                        "or as a duration ago (2h).")
                     .arg(trimmed);
    }
    return std::nullopt;
}

QString formatIsoUtcMs(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace StreamSwarm
