// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// Ping parameters after defaults, for the probe and for checks.
struct PingParams
{
    int count = 1; // echoes per round
    qint64 spacingMs = 100; // between echoes of one round
    qint64 timeoutMs = 1000;
    int payloadSize = 56; // bytes after the ICMP header, as iputils ping -s
    int ttl = 0; // IPv4 TTL / IPv6 hop limit, 1-255; 0 = the system's default
    int tos = -1; // IPv4 TOS / IPv6 traffic class byte (DSCP << 2), 0-255; -1 = the system's default
    QString source; // local address to send from (an IP address); empty = chosen by routing
    QString interface; // network interface to send through (SO_BINDTODEVICE); empty = any
};

bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &pingType();

} // namespace StreamSwarm::TestTypes
