// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QString>

namespace StreamSwarm {

// Parses a rate in bits per second as iperf3 and link speeds are written: plain bits ("500000"), or a
// number with k, M or G ("100M", "1.5G", also "100Mbit", "100mbps", "100 Mbit/s"); SI units, case does
// not matter. On failure returns nullopt and, when error is given, a sentence that names the bad text
// and shows the accepted forms.
std::optional<qint64> parseBitrate(QStringView text, QString *error = nullptr);

// "800 bit/s", "64 kbit/s", "1.5 Mbit/s", "10 Gbit/s": SI units, at most one decimal, for messages.
QString formatBitrate(qint64 bitsPerSecond);

} // namespace StreamSwarm
