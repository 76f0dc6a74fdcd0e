// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "validation.h"

#include <algorithm>

#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
#include <QUrl>

#include "shared/testtypes/paramreader.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

namespace {

using TestTypes::fail;

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

} // namespace

bool checkName(const QString &what, const QString &name, QString *error)
{
    if (name.isEmpty())
        return fail(error, Messages::tr("The %1 is empty.").arg(what));
    if (name.size() > MAX_NAME_LENGTH)
        return fail(error, Messages::tr("The %1 is longer than %2 characters.").arg(what).arg(MAX_NAME_LENGTH));
    const bool goodStart = name.front().isLetterOrNumber() && name.front().unicode() < 128;
    if (!goodStart || !std::all_of(name.cbegin(), name.cend(), isNameChar)) {
        return fail(error,
            Messages::tr("The %1 \"%2\" may use only letters, digits, '.', '_' and '-', "
                         "and must start with a letter or digit.")
                .arg(what, name.left(MAX_NAME_LENGTH)));
    }
    return true;
}

bool checkHostTarget(const QString &target, QString *error)
{
    if (target.isEmpty())
        return fail(error, Messages::tr("The target is empty; give a host name or an IP address."));
    const bool trailingDot = target.endsWith(u'.');
    if (target.size() > MAX_TARGET_LENGTH + (trailingDot ? 1 : 0))
        return fail(error, Messages::tr("The target is longer than %1 characters.").arg(MAX_TARGET_LENGTH));
    // IPv6 only as hex digits, colons and dots, with an optional short scope ("fe80::1%eth0"):
    // QHostAddress alone also takes surrounding blanks and any text after '%'.
    static const QRegularExpression ipv6Shape(u"\\A[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]{1,15})?\\z"_s);
    QHostAddress address;
    if (target.contains(u':') && ipv6Shape.match(target).hasMatch() && address.setAddress(target)
        && address.protocol() == QAbstractSocket::IPv6Protocol) {
        if (address == QHostAddress(QHostAddress::AnyIPv6))
            return fail(error, Messages::tr("The target \"::\" means any address, not a host; give one host."));
        return true;
    }
    // IPv4 only as four plain decimal numbers: inet_aton's shorthand ("1.2.3", "0x7f.1", "010.1.1.1")
    // means something other than what most people who type it expect.
    static const QRegularExpression dottedQuad(
        u"\\A(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\\z"_s);
    if (dottedQuad.match(target).hasMatch()) {
        // Never a single host: the limited broadcast and "this host, any address".
        if (target == u"255.255.255.255")
            return fail(error,
                Messages::tr("The target \"255.255.255.255\" is the broadcast address, not a host; give one host."));
        if (target == u"0.0.0.0")
            return fail(error, Messages::tr("The target \"0.0.0.0\" means any address, not a host; give one host."));
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
        return fail(
            error, Messages::tr("The target \"%1\" is neither a host name nor an IP address.").arg(target.left(80)));
    }
    return true;
}

bool splitHostPort(const QString &target, quint16 defaultPort, QString *host, quint16 *port, QString *error)
{
    QString hostPart = target;
    QString portPart;
    if (target.startsWith(u'[')) {
        const qsizetype close = target.indexOf(u']');
        if (close < 0 || (close + 1 < target.size() && target.at(close + 1) != u':')) {
            return fail(error,
                Messages::tr("The target \"%1\" is not valid; write an IPv6 address with a port as "
                             "[2001:db8::1]:443.")
                    .arg(target.left(80)));
        }
        hostPart = target.mid(1, close - 1);
        if (close + 1 < target.size())
            portPart = target.mid(close + 2);
        else if (!defaultPort)
            portPart = QString(); // "[::1]" without a port: said below
    } else if (target.count(u':') == 1) {
        hostPart = target.section(u':', 0, 0);
        portPart = target.section(u':', 1);
    }
    if (!checkHostTarget(hostPart, error))
        return false;
    if (portPart.isNull() && target.count(u':') != 1 && !target.endsWith(u':')) {
        if (!defaultPort) {
            return fail(error,
                Messages::tr("The target \"%1\" has no port; write it as host:port, e.g. www.example.com:443.")
                    .arg(target.left(80)));
        }
        *host = hostPart;
        *port = defaultPort;
        return true;
    }
    bool isNumber = false;
    const uint number = portPart.toUInt(&isNumber);
    if (!isNumber || number < 1 || number > 65535 || portPart.startsWith(u'+')) {
        return fail(error,
            Messages::tr("The port \"%1\" in the target is not valid; give a number from 1 to 65535.")
                .arg(portPart.left(20)));
    }
    *host = hostPart;
    *port = quint16(number);
    return true;
}

QStringList knownTestTypes()
{
    return TestTypes::names() + TestTypes::plannedNames();
}

QStringList runnableTestTypes()
{
    return TestTypes::names();
}

bool checkTestType(const QString &type, QString *error)
{
    if (TestTypes::find(type))
        return true;
    if (TestTypes::plannedNames().contains(type)) {
        return fail(error,
            Messages::tr("The test type \"%1\" is not available in this version yet; available: %2.")
                .arg(type, runnableTestTypes().join(u", ")));
    }
    return fail(error,
        Messages::tr("Unknown test type \"%1\"; available: %2.").arg(type.left(40), runnableTestTypes().join(u", ")));
}

bool checkInterval(qint64 ms, QString *error)
{
    if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
        return fail(error,
            Messages::tr("The interval %1 is out of range; use %2 to %3.")
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
            Messages::tr("The duration %1 is out of range; use %2 to %3, or --continuous.")
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

bool checkReflectorTarget(QStringView typeName, const QString &target, QString *error)
{
    if (const QString agent = agentTargetName(target); !agent.isEmpty())
        return checkName(Messages::tr("agent name after agent:"), agent, error);
    if (QHostAddress(target).isNull() || !checkHostTarget(target, nullptr)) {
        return fail(error,
            Messages::tr("The %1 target \"%2\" must be the IP address of a STAMP reflector, such as an agent started "
                         "with --stamp-port, or agent:NAME to measure to the agent of that name.")
                .arg(typeName, target.left(80)));
    }
    return true;
}

bool isInterfaceName(const QString &name)
{
    if (name.isEmpty() || name.size() > 15 || name == u"." || name == u"..")
        return false;
    return std::all_of(name.cbegin(), name.cend(),
        [](QChar c) { return c.unicode() > 32 && c.unicode() < 127 && c != u'/' && c != u':'; });
}

bool checkTestSpec(const Protocol::TestSpec &spec, QString *error)
{
    if (!checkName(Messages::tr("test name"), spec.name, error) || !checkTestType(spec.type, error)
        || !checkInterval(spec.intervalMs, error) || !checkDuration(spec.durationMs, error)) {
        return false;
    }
    if (spec.params.size() > MAX_PARAMS)
        return fail(error, Messages::tr("A test takes at most %1 parameters.").arg(MAX_PARAMS));
    const TestTypes::TestType *type = TestTypes::find(spec.type);
    // A reflector-or-agent target is the type's own to check: its message names what it may be.
    if (type->target == TestTypes::TargetKind::Host && !checkHostTarget(spec.target, error))
        return false;
    if (type->target == TestTypes::TargetKind::ThisHost && spec.target != QStringView(LOCAL_TARGET)) {
        return fail(error,
            Messages::tr("A %1 test measures the agent's own host, so it takes no target; leave it out or write "
                         "\"%2\".")
                .arg(spec.type, QString::fromUtf16(LOCAL_TARGET)));
    }
    return type->checkParams(spec, error);
}

bool checkHttpUrl(const QString &url, QString *error)
{
    if (url.isEmpty())
        return TestTypes::fail(
            error, Messages::tr("The target is empty; give a URL such as https://www.example.com/."));
    if (url.size() > MAX_URL_LENGTH)
        return TestTypes::fail(error, Messages::tr("The URL is longer than %1 characters.").arg(MAX_URL_LENGTH));
    if (std::any_of(
            url.cbegin(), url.cend(), [](QChar c) { return c.isSpace() || c.category() == QChar::Other_Control; }))
        return TestTypes::fail(
            error, Messages::tr("The URL must not contain blanks or control characters; write a blank as %20."));
    static const QRegularExpression schemePrefix(u"\\A([A-Za-z][A-Za-z0-9+.-]*):"_s);
    const auto scheme = schemePrefix.match(url);
    if (!scheme.hasMatch() || !url.mid(scheme.capturedLength()).startsWith(u"//")) {
        // "www.example.com/x" or "localhost:8080": no scheme, so nothing says which protocol to speak.
        return TestTypes::fail(error,
            Messages::tr("The target \"%1\" is not a URL; give one that starts with http:// or https://.")
                .arg(url.left(80)));
    }
    static const QStringList webSchemes{u"http"_s, u"https"_s};
    if (!webSchemes.contains(scheme.captured(1).toLower())) {
        return TestTypes::fail(error,
            Messages::tr("The scheme \"%1\" is not supported; the target takes http:// and https:// URLs.")
                .arg(scheme.captured(1).left(20)));
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid()) {
        return TestTypes::fail(error,
            Messages::tr("The URL \"%1\" is malformed: %2.")
                .arg(url.left(80), parsed.errorString().section(u';', 0, 0).left(120)));
    }
    if (!parsed.userInfo().isEmpty()) {
        // It would be stored, exported and shown with every result.
        return TestTypes::fail(error, Messages::tr("The URL must not carry a user name or password."));
    }
    const QString host = parsed.host(QUrl::FullyEncoded);
    if (host.isEmpty())
        return TestTypes::fail(error, Messages::tr("The URL \"%1\" names no host.").arg(url.left(80)));
    QString why;
    if (!checkHostTarget(host, &why)) {
        return TestTypes::fail(
            error, Messages::tr("The URL's host \"%1\" is neither a host name nor an IP address.").arg(host.left(80)));
    }
    if (parsed.port() == 0)
        return TestTypes::fail(error, Messages::tr("The URL's port must be from 1 to 65535."));
    return true;
}

} // namespace StreamSwarm::Validation
