// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// tcp parameters after defaults, for the probe and for checks.
struct TcpParams
{
    QString host; // from the target "host:port"
    quint16 port = 0;
    qint64 timeoutMs = 5000; // the connect is given up after this
};

bool parseTcpParams(const Protocol::TestSpec &spec, TcpParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &tcpType();

} // namespace StreamSwarm::TestTypes

namespace StreamSwarm::Metric {
inline constexpr char16_t TcpConnect[] = u"tcp.connect_ms";
} // namespace StreamSwarm::Metric
