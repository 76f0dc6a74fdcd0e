// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QStringList>

#include "shared/protocol/messages.h"

// Every rule for names, targets, test types, intervals and test parameters, in one place, used by
// the protocol decoder, the CLI, the GUI and the agent. Each check returns false and writes a
// sentence that says what is wrong and what would be right.
namespace StreamSwarm::Validation {

inline constexpr int MAX_NAME_LENGTH = 64;
inline constexpr int MAX_TARGET_LENGTH = 253;
inline constexpr qint64 MIN_INTERVAL_MS = 100;
inline constexpr qint64 MAX_INTERVAL_MS = 24LL * 3600 * 1000;
inline constexpr qint64 MIN_DURATION_MS = 1000;
inline constexpr qint64 MAX_DURATION_MS = 366LL * 24 * 3600 * 1000;
inline constexpr int MAX_PARAMS = 32;

// Agent, test and token names: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.
bool checkName(const QString &what, const QString &name, QString *error);

// A host name (RFC 1123) or an IPv4/IPv6 address.
bool checkHostTarget(const QString &target, QString *error);

// Every test type DESIGN.md names, and the ones this build can run.
QStringList knownTestTypes();
QStringList runnableTestTypes();
bool checkTestType(const QString &type, QString *error);

bool checkInterval(qint64 ms, QString *error);
bool checkDuration(qint64 ms, QString *error); // 0 = continuous is allowed

// The whole definition, including the parameters of its type.
bool checkTestSpec(const Protocol::TestSpec &spec, QString *error);

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

// A DSCP given as a name (EF, AF11 ... AF43, CS0 ... CS7, BE, case-insensitive) or a number 0-63;
// the code point, or -1 when the text is neither.
int parseDscp(const QString &text);
bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error);

// Traceroute parameters after defaults. A round probes TTLs in waves of TRACEROUTE_WAVE_TTLS, each
// waiting up to timeoutMs, so the longest round is ceil(maxHops / TRACEROUTE_WAVE_TTLS) * timeoutMs.
inline constexpr int TRACEROUTE_WAVE_TTLS = 16;
struct TracerouteParams
{
    enum class Protocol { Icmp, Udp, Tcp };
    Protocol protocol = Protocol::Icmp;
    int maxHops = 30;
    int probes = 3; // per hop per round
    qint64 timeoutMs = 1000; // per wave
    // UDP: the first destination port, one more for each probe of a round (default 33434);
    // TCP: the destination port of every SYN, 1-65535 (default 80).
    int port = 33434;
    bool resolve = true; // reverse DNS of the hops, asynchronous; never delays a round
};
bool parseTracerouteParams(const Protocol::TestSpec &spec, TracerouteParams *params, QString *error);

// qos: STAMP to a reflector with packets in each of the chosen DSCP classes.
inline constexpr int MAX_QOS_CLASSES = 8;
struct QosParams
{
    QList<QPair<QString, int>> classes; // metric-name form ("ef", "af41", "dscp5") and code point
    // Defaults fit the default 1 s interval with four classes: 4 x 5 x 10 ms + 500 ms.
    int count = 5; // packets per class per round
    qint64 spacingMs = 10;
    qint64 timeoutMs = 500;
    int port = 862;
};
// The target is the reflector's IP address, or "agent:NAME" for another agent's reflector: the console
// puts in the address that agent's connection comes from when it sends the assignment.
bool parseQosParams(const Protocol::TestSpec &spec, QosParams *params, QString *error);
inline constexpr char16_t AGENT_TARGET_PREFIX[] = u"agent:";
// The NAME of an "agent:NAME" target; empty for any other target.
QString agentTargetName(const QString &target);
// "ef", "af41", "cs1", "be", else "dscp<N>": how a class is named in metric names.
QString dscpClassName(int dscp);

} // namespace StreamSwarm::Validation
