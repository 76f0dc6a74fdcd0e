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
        return true;
    }
    // IPv4 only as four plain decimal numbers: inet_aton's shorthand ("1.2.3", "0x7f.1", "010.1.1.1")
    // means something other than what most people who type it expect.
    static const QRegularExpression dottedQuad(
        u"\\A(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\\z"_s);
    if (dottedQuad.match(target).hasMatch())
        return true;
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
    return {u"ping"_s};
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

bool parsePingParams(const Protocol::TestSpec &spec, PingParams *params, QString *error)
{
    static const QStringList known{u"count"_s, u"spacing"_s, u"timeout"_s, u"size"_s};
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
        || !parseDurationParam(spec, u"spacing"_s, 10, 60000, &result.spacingMs, error)) {
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
    return true;
}

} // namespace StreamSwarm::Validation
