// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "validation.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QRegularExpression>

#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StreamSwarm::Validation", text);
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

bool isNameChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_'
        || c == u'-';
}

bool isHostLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > 63 || label.front() == u'-' || label.back() == u'-')
        return false;
    for (QChar c : label) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'))
            return false;
    }
    return true;
}

bool parseIntParam(const Protocol::TestSpec &spec, const QString &key, int min, int max, int *value, QString *error)
{
    const auto it = spec.params.constFind(key);
    if (it == spec.params.constEnd())
        return true;
    bool ok = !it->isEmpty() && std::all_of(it->cbegin(), it->cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    const int parsed = ok ? it->toInt(&ok) : 0;
    if (!ok || parsed < min || parsed > max) {
        return fail(error,
            tr("The parameter %1=%2 is not valid; use a whole number from %3 to %4.").arg(key, *it).arg(min).arg(max));
    }
    *value = parsed;
    return true;
}

bool parseDurationParam(
    const Protocol::TestSpec &spec, const QString &key, qint64 min, qint64 max, qint64 *value, QString *error)
{
    const auto it = spec.params.constFind(key);
    if (it == spec.params.constEnd())
        return true;
    QString why;
    const auto parsed = parseDurationMs(*it, &why);
    if (!parsed)
        return fail(error, tr("The parameter %1: %2").arg(key, why));
    if (*parsed < min || *parsed > max) {
        return fail(error,
            tr("The parameter %1=%2 is out of range; use %3 to %4.")
                .arg(key, *it, formatDurationMs(min), formatDurationMs(max)));
    }
    *value = *parsed;
    return true;
}

} // namespace

bool checkName(const QString &what, const QString &name, QString *error)
{
    if (name.isEmpty())
        return fail(error, tr("The %1 is empty.").arg(what));
    if (name.size() > MAX_NAME_LENGTH)
        return fail(error, tr("The %1 is longer than %2 characters.").arg(what).arg(MAX_NAME_LENGTH));
    const bool goodStart = name.front().isLetterOrNumber() && name.front().unicode() < 128;
    if (!goodStart || !std::all_of(name.cbegin(), name.cend(), isNameChar)) {
        return fail(error,
            tr("The %1 \"%2\" may use only letters, digits, '.', '_' and '-', "
               "and must start with a letter or digit.")
                .arg(what, name.left(MAX_NAME_LENGTH)));
    }
    return true;
}

bool checkHostTarget(const QString &target, QString *error)
{
    if (target.isEmpty())
        return fail(error, tr("The target is empty; give a host name or an IP address."));
    const bool trailingDot = target.endsWith(u'.');
    if (target.size() > MAX_TARGET_LENGTH + (trailingDot ? 1 : 0))
        return fail(error, tr("The target is longer than %1 characters.").arg(MAX_TARGET_LENGTH));
    // IPv6 only as hex digits, colons and dots, with an optional short scope ("fe80::1%eth0"):
    // QHostAddress alone also takes surrounding blanks and any text after '%'.
    static const QRegularExpression ipv6Shape(u"\\A[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]{1,15})?\\z"_s);
    QHostAddress address;
    if (target.contains(u':') && ipv6Shape.match(target).hasMatch() && address.setAddress(target)
        && address.protocol() == QAbstractSocket::IPv6Protocol) {
        if (address == QHostAddress(QHostAddress::AnyIPv6))
            return fail(error, tr("The target \"::\" means any address, not a host; give one host."));
        return true;
    }
    // IPv4 only as four plain decimal numbers: inet_aton's shorthand ("1.2.3", "0x7f.1", "010.1.1.1")
    // means something other than what most people who type it expect.
    static const QRegularExpression dottedQuad(
        u"\\A(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\\z"_s);
    if (dottedQuad.match(target).hasMatch()) {
        // Never a single host: the limited broadcast and "this host, any address".
        if (target == u"255.255.255.255")
            return fail(
                error, tr("The target \"255.255.255.255\" is the broadcast address, not a host; give one host."));
        if (target == u"0.0.0.0")
            return fail(error, tr("The target \"0.0.0.0\" means any address, not a host; give one host."));
        return true;
    }
    QStringView host(target);
    if (host.endsWith(u'.'))
        host.chop(1);
    const auto labels = host.split(u'.');
    // A name's last label is never all digits (RFC 1123 2.1), which also keeps out "1.2.3" and "12345".
    const QStringView lastLabel = host.mid(host.lastIndexOf(u'.') + 1);
    const bool allDigits = std::all_of(lastLabel.cbegin(), lastLabel.cend(), [](QChar c) { return c.isDigit(); });
    if (allDigits || !std::all_of(labels.cbegin(), labels.cend(), isHostLabel)) {
        return fail(error, tr("The target \"%1\" is neither a host name nor an IP address.").arg(target.left(80)));
    }
    return true;
}

QStringList knownTestTypes()
{
    return {u"ping"_s, u"traceroute"_s, u"dns"_s, u"tcp"_s, u"tls"_s, u"http"_s, u"bandwidth"_s, u"qos"_s, u"system"_s};
}

QStringList runnableTestTypes()
{
    return {u"ping"_s, u"traceroute"_s, u"qos"_s};
}

bool checkTestType(const QString &type, QString *error)
{
    if (runnableTestTypes().contains(type))
        return true;
    if (knownTestTypes().contains(type)) {
        return fail(error,
            tr("The test type \"%1\" is not available in this version yet; available: %2.")
                .arg(type, runnableTestTypes().join(u", ")));
    }
    return fail(
        error, tr("Unknown test type \"%1\"; available: %2.").arg(type.left(40), runnableTestTypes().join(u", ")));
}

bool checkInterval(qint64 ms, QString *error)
{
    if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
        return fail(error,
            tr("The interval %1 is out of range; use %2 to %3.")
                .arg(formatDurationMs(ms), formatDurationMs(MIN_INTERVAL_MS), formatDurationMs(MAX_INTERVAL_MS)));
    }
    return true;
}

bool checkDuration(qint64 ms, QString *error)
{
    if (ms == 0)
        return true;
    if (ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
        return fail(error,
            tr("The duration %1 is out of range; use %2 to %3, or --continuous.")
                .arg(formatDurationMs(ms), formatDurationMs(MIN_DURATION_MS), formatDurationMs(MAX_DURATION_MS)));
    }
    return true;
}

int parseDscp(const QString &text)
{
    const QString name = text.toUpper();
    if (name == u"EF")
        return 46;
    if (name == u"BE" || name == u"DF")
        return 0;
    static const QRegularExpression af(u"\\AAF([1-4])([1-3])\\z"_s);
    if (const auto match = af.match(name); match.hasMatch())
        return match.captured(1).toInt() * 8 + match.captured(2).toInt() * 2;
    static const QRegularExpression cs(u"\\ACS([0-7])\\z"_s);
    if (const auto match = cs.match(name); match.hasMatch())
        return match.captured(1).toInt() * 8;
    static const QRegularExpression number(u"\\A[0-9]{1,2}\\z"_s);
    if (number.match(text).hasMatch() && text.toInt() <= 63)
        return text.toInt();
    return -1;
}

namespace {

// Linux's dev_valid_name(): 1-15 bytes, not "." or "..", no '/', ':' or blank.
bool isInterfaceName(const QString &name)
{
    if (name.isEmpty() || name.size() > 15 || name == u"." || name == u"..")
        return false;
    return std::all_of(name.cbegin(), name.cend(),
        [](QChar c) { return c.unicode() > 32 && c.unicode() < 127 && c != u'/' && c != u':'; });
}

bool parsePingMarking(const Protocol::TestSpec &spec, PingParams *result, QString *error)
{
    if (!parseIntParam(spec, u"ttl"_s, 1, 255, &result->ttl, error)
        || !parseIntParam(spec, u"tos"_s, 0, 255, &result->tos, error)) {
        return false;
    }
    const auto dscp = spec.params.constFind(u"dscp"_s);
    if (dscp != spec.params.constEnd()) {
        if (spec.params.contains(u"tos"_s))
            return fail(error, tr("Give either dscp or tos, not both."));
        const int codePoint = parseDscp(*dscp);
        if (codePoint < 0) {
            return fail(error,
                tr("The parameter dscp=%1 is not valid; use EF, AF11 to AF43, CS0 to CS7, BE or a number from 0 to "
                   "63.")
                    .arg(dscp->left(40)));
        }
        result->tos = codePoint << 2;
    }
    const auto source = spec.params.constFind(u"source"_s);
    if (source != spec.params.constEnd()) {
        const QHostAddress address(*source);
        QString why;
        if (address.isNull() || !checkHostTarget(*source, &why)) {
            return fail(error,
                tr("The parameter source=%1 is not an IP address; give one of this host's addresses.")
                    .arg(source->left(60)));
        }
        const QHostAddress target(spec.target);
        if (!target.isNull() && target.protocol() != address.protocol()) {
            return fail(error,
                tr("The source address %1 and the target %2 are of different IP versions.").arg(*source, spec.target));
        }
        result->source = *source;
    }
    const auto interface = spec.params.constFind(u"interface"_s);
    if (interface != spec.params.constEnd()) {
        if (!isInterfaceName(*interface)) {
            return fail(error,
                tr("The parameter interface=%1 is not a network interface name (1 to 15 characters, no '/', ':' "
                   "or blank).")
                    .arg(interface->left(40)));
        }
        result->interface = *interface;
    }
    return true;
}

} // namespace

bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error)
{
    static const QStringList known{
        u"count"_s, u"spacing"_s, u"timeout"_s, u"size"_s, u"ttl"_s, u"dscp"_s, u"tos"_s, u"source"_s, u"interface"_s};
    for (auto it = spec.params.cbegin(); it != spec.params.cend(); ++it) {
        if (!known.contains(it.key())) {
            return fail(error,
                tr("A ping test has no parameter \"%1\"; it takes: %2.").arg(it.key().left(40), known.join(u", ")));
        }
    }
    if (!checkInterval(spec.intervalMs, error)) // also keeps the round arithmetic below from overflowing
        return false;
    PingParams result;
    if (!parseIntParam(spec, u"count"_s, 1, 100, &result.count, error)
        || !parseIntParam(spec, u"size"_s, 0, 65507 - 8, &result.payloadSize, error)
        || !parseDurationParam(spec, u"spacing"_s, 10, 60000, &result.spacingMs, error)
        || !parsePingMarking(spec, &result, error)) {
        return false;
    }
    // By default wait for replies as long as the round leaves room for, up to a second.
    result.timeoutMs = std::clamp<qint64>(spec.intervalMs - (result.count - 1) * result.spacingMs, 10, 1000);
    if (!parseDurationParam(spec, u"timeout"_s, 10, 60000, &result.timeoutMs, error))
        return false;
    const qint64 roundMs = (result.count - 1) * result.spacingMs + result.timeoutMs;
    if (roundMs > spec.intervalMs) {
        return fail(error,
            tr("A ping round (%1 echoes %2 apart, then %3 to wait) takes %4, longer than the "
               "interval %5; lower count, spacing or timeout, or raise the interval.")
                .arg(result.count)
                .arg(formatDurationMs(result.spacingMs), formatDurationMs(result.timeoutMs), formatDurationMs(roundMs),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

namespace {

// UDP probes count up from the port, one per probe of a round (1024 at most); a TCP SYN may go to any port.
int maxTraceroutePort(TracerouteParams::Protocol protocol)
{
    return protocol == TracerouteParams::Protocol::Tcp ? 65535 : 65535 - 1023;
}

} // namespace

bool parseTracerouteParams(const Protocol::TestSpec &spec, TracerouteParams *params, QString *error)
{
    static const QStringList known{u"protocol"_s, u"max-hops"_s, u"probes"_s, u"timeout"_s, u"port"_s, u"resolve"_s};
    for (auto it = spec.params.cbegin(); it != spec.params.cend(); ++it) {
        if (!known.contains(it.key())) {
            return fail(error,
                tr("A traceroute test has no parameter \"%1\"; it takes: %2.")
                    .arg(it.key().left(40), known.join(u", ")));
        }
    }
    if (!checkInterval(spec.intervalMs, error))
        return false;
    TracerouteParams result;
    const QString protocol = spec.params.value(u"protocol"_s, u"icmp"_s);
    if (protocol == u"udp") {
        result.protocol = TracerouteParams::Protocol::Udp;
    } else if (protocol == u"tcp") {
        result.protocol = TracerouteParams::Protocol::Tcp;
        result.port = 80;
    } else if (protocol != u"icmp") {
        return fail(error, tr("The parameter protocol=%1 is not valid; use icmp, udp or tcp.").arg(protocol.left(40)));
    }
    const QString resolve = spec.params.value(u"resolve"_s, u"on"_s);
    if (resolve == u"off" || resolve == u"false" || resolve == u"no" || resolve == u"0") {
        result.resolve = false;
    } else if (resolve != u"on" && resolve != u"true" && resolve != u"yes" && resolve != u"1") {
        return fail(error, tr("The parameter resolve=%1 is not valid; use on or off.").arg(resolve.left(40)));
    }
    if (!parseIntParam(spec, u"max-hops"_s, 1, 64, &result.maxHops, error)
        || !parseIntParam(spec, u"probes"_s, 1, 10, &result.probes, error)
        || !parseIntParam(spec, u"port"_s, 1, maxTraceroutePort(result.protocol), &result.port, error)) {
        return false;
    }
    const qint64 waves = (result.maxHops + TRACEROUTE_WAVE_TTLS - 1) / TRACEROUTE_WAVE_TTLS;
    // By default wait as long as the round leaves room for, up to a second per wave.
    result.timeoutMs = std::clamp<qint64>(spec.intervalMs / waves, 10, 1000);
    if (!parseDurationParam(spec, u"timeout"_s, 10, 60000, &result.timeoutMs, error))
        return false;
    if (waves * result.timeoutMs > spec.intervalMs) {
        return fail(error,
            tr("A traceroute round (up to %1 waves of %2 hops, each waiting %3) can take %4, longer than the "
               "interval %5; lower max-hops or timeout, or raise the interval.")
                .arg(waves)
                .arg(TRACEROUTE_WAVE_TTLS)
                .arg(formatDurationMs(result.timeoutMs), formatDurationMs(waves * result.timeoutMs),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

QString dscpClassName(int dscp)
{
    if (dscp == 0)
        return u"be"_s;
    if (dscp == 46)
        return u"ef"_s;
    if (dscp % 8 == 0)
        return u"cs%1"_s.arg(dscp / 8);
    if (dscp % 2 == 0 && dscp / 8 >= 1 && dscp / 8 <= 4 && (dscp % 8) / 2 >= 1 && (dscp % 8) / 2 <= 3)
        return u"af%1%2"_s.arg(dscp / 8).arg((dscp % 8) / 2);
    return u"dscp%1"_s.arg(dscp);
}

QString agentTargetName(const QString &target)
{
    const QStringView prefix(AGENT_TARGET_PREFIX);
    return target.startsWith(prefix) ? target.mid(prefix.size()) : QString();
}

bool parseQosParams(const Protocol::TestSpec &spec, QosParams *params, QString *error)
{
    static const QStringList known{u"classes"_s, u"count"_s, u"spacing"_s, u"timeout"_s, u"port"_s};
    for (auto it = spec.params.cbegin(); it != spec.params.cend(); ++it) {
        if (!known.contains(it.key())) {
            return fail(error,
                tr("A qos test has no parameter \"%1\"; it takes: %2.").arg(it.key().left(40), known.join(u", ")));
        }
    }
    QHostAddress address;
    if (const QString agent = agentTargetName(spec.target); !agent.isEmpty()) {
        if (!checkName(tr("agent name after agent:"), agent, error))
            return false;
    } else if (!address.setAddress(spec.target) || !checkHostTarget(spec.target, nullptr)) {
        return fail(error,
            tr("The qos target \"%1\" must be the IP address of a STAMP reflector, such as an agent started with "
               "--stamp-port, or agent:NAME to measure to the agent of that name.")
                .arg(spec.target.left(80)));
    }
    QosParams result;
    const QStringList classes = spec.params.value(u"classes"_s, u"ef,af41,cs1,be"_s).split(u',', Qt::SkipEmptyParts);
    for (const QString &text : classes) {
        const int dscp = parseDscp(text.trimmed());
        if (dscp < 0) {
            return fail(error,
                tr("\"%1\" in classes= is not a DSCP class; use names like EF, AF41, CS1, BE or numbers 0-63.")
                    .arg(text.trimmed().left(20)));
        }
        if (std::any_of(
                result.classes.cbegin(), result.classes.cend(), [&](const auto &c) { return c.second == dscp; }))
            return fail(error, tr("The class %1 is listed twice in classes=.").arg(dscpClassName(dscp)));
        result.classes.append({dscpClassName(dscp), dscp});
    }
    if (result.classes.isEmpty() || result.classes.size() > MAX_QOS_CLASSES)
        return fail(error, tr("Give 1 to %1 DSCP classes in classes=, e.g. classes=ef,af41,be.").arg(MAX_QOS_CLASSES));
    if (!parseIntParam(spec, u"count"_s, 1, 1000, &result.count, error)
        || !parseDurationParam(spec, u"spacing"_s, 1, 1000, &result.spacingMs, error)
        || !parseDurationParam(spec, u"timeout"_s, 10, 10000, &result.timeoutMs, error)
        || !parseIntParam(spec, u"port"_s, 1, 65535, &result.port, error)) {
        return false;
    }
    const qint64 roundMs = qint64(result.classes.size()) * result.count * result.spacingMs + result.timeoutMs;
    if (roundMs > spec.intervalMs) {
        return fail(error,
            tr("A qos round (%1 classes x %2 packets %3 apart, then %4 to wait) takes %5, longer than the interval "
               "%6; lower count, spacing or timeout, or raise the interval.")
                .arg(result.classes.size())
                .arg(result.count)
                .arg(formatDurationMs(result.spacingMs), formatDurationMs(result.timeoutMs), formatDurationMs(roundMs),
                    formatDurationMs(spec.intervalMs)));
    }
    if (params)
        *params = result;
    return true;
}

bool checkTestSpec(const Protocol::TestSpec &spec, QString *error)
{
    if (!checkName(tr("test name"), spec.name, error) || !checkTestType(spec.type, error)
        || !checkInterval(spec.intervalMs, error) || !checkDuration(spec.durationMs, error)) {
        return false;
    }
    if (spec.params.size() > MAX_PARAMS)
        return fail(error, tr("A test takes at most %1 parameters.").arg(MAX_PARAMS));
    if (spec.type == u"ping")
        return checkHostTarget(spec.target, error) && parsePingParams(spec, nullptr, error);
    if (spec.type == u"traceroute")
        return checkHostTarget(spec.target, error) && parseTracerouteParams(spec, nullptr, error);
    if (spec.type == u"qos")
        return parseQosParams(spec, nullptr, error);
    return true;
}

} // namespace StreamSwarm::Validation
