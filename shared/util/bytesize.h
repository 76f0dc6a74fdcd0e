// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QString>

namespace StreamSwarm {

// Parses a byte count: plain bytes ("1500"), SI units ("500kB", "10MB", "1GB", "1TB", also "10M"), or
// binary ones ("64KiB", "1MiB", "1Gi", "1TiB"); case does not matter, a blank before the unit is
// allowed, a fraction only with a unit. On failure returns nullopt and, when error is given, a sentence
// that names the bad text and shows the accepted forms.
std::optional<qint64> parseByteSize(QStringView text, QString *error = nullptr);

// "850 bytes", "12.5 kB", "1.2 MB", "10 MB": SI units, at most one decimal, for messages.
QString formatByteSize(qint64 bytes);

} // namespace StreamSwarm
