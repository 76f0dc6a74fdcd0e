// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QDateTime>
#include <QString>

namespace StreamSwarm {

// Parses "500ms", "10s", "5m", "2h", "7d" (one number, one unit). On failure returns nullopt and,
// when error is given, a sentence that names the bad text and shows the accepted forms.
std::optional<qint64> parseDurationMs(QStringView text, QString *error = nullptr);

// The shortest exact spelling in the same units: 1500 -> "1500ms", 60000 -> "1m".
QString formatDurationMs(qint64 ms);

// A point in time for --from/--to: ISO 8601 (UTC when no offset is given), or a duration meaning
// "that long before now" ("2h" = two hours ago).
std::optional<QDateTime> parseTimePoint(QStringView text, const QDateTime &now, QString *error = nullptr);

// ISO 8601 UTC with milliseconds, as in CSV export: 2026-11-26T06:53:46.123Z
QString formatIsoUtcMs(qint64 msSinceEpoch);

} // namespace StreamSwarm
