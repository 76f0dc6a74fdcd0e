// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "shared/protocol/messages.h"

// Every rule for names, targets, test types, intervals and test parameters, in one place, used by
// the protocol decoder, the CLI, the GUI and the agent. Each check returns false and writes a
// sentence that says what is wrong and what would be right.
namespace StreamSwarm::Validation {

// The context every validation message is translated in, whichever file says it (this one and the
// test type descriptors): Messages::tr().
class Messages
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Validation)
};

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
// An http:// or https:// URL with a host, no credentials, at most MAX_URL_LENGTH characters (the http
// test's target, the bandwidth test's speed-test server).
inline constexpr int MAX_URL_LENGTH = 2048;
bool checkHttpUrl(const QString &url, QString *error);
// A host-and-port target: "host:port", "192.0.2.1:443", "[2001:db8::1]:443", or the host alone (a
// bare IPv6 address too) when defaultPort is not 0. The host is checked as checkHostTarget() does.
bool splitHostPort(const QString &target, quint16 defaultPort, QString *host, quint16 *port, QString *error);

// Every test type DESIGN.md names, and the ones this build can run (TestTypes::all()).
QStringList knownTestTypes();
QStringList runnableTestTypes();
bool checkTestType(const QString &type, QString *error);

bool checkInterval(qint64 ms, QString *error);
bool checkDuration(qint64 ms, QString *error); // 0 = continuous is allowed

// The whole definition, including the parameters of its type (its descriptor's typed parser).
bool checkTestSpec(const Protocol::TestSpec &spec, QString *error);

// A DSCP given as a name (EF, AF11 ... AF43, CS0 ... CS7, BE, case-insensitive) or a number 0-63;
// the code point, or -1 when the text is neither.
int parseDscp(const QString &text);
// qos targets: "agent:NAME" for another agent's STAMP reflector.
inline constexpr char16_t AGENT_TARGET_PREFIX[] = u"agent:";
// Linux's dev_valid_name(): 1-15 bytes, not "." or "..", no '/', ':' or blank.
bool isInterfaceName(const QString &name);

// The target of a test of the agent's own host (TargetKind::ThisHost), which has none to give.
inline constexpr char16_t LOCAL_TARGET[] = u"local";
// The NAME of an "agent:NAME" target; empty for any other target.
QString agentTargetName(const QString &target);
// A STAMP test's target (qos, voice): a reflector's IP address, or agent:NAME with a valid name.
bool checkReflectorTarget(QStringView typeName, const QString &target, QString *error);
// "ef", "af41", "cs1", "be", else "dscp<N>": how a class is named in metric names.
QString dscpClassName(int dscp);

} // namespace StreamSwarm::Validation
