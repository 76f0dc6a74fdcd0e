// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deploytargets.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>

#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::DeployTargets {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::DeployTargets)
};

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const int number = text.toInt(&ok);
    if (!ok || number < 1 || number > 65535)
        return false;
    *port = quint16(number);
    return true;
}

// A host name or an IP address: no spaces, no shell or option characters.
bool validHost(const QString &host)
{
    static const QRegularExpression name(u"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$"_s);
    return name.match(host).hasMatch() || !QHostAddress(host).isNull();
}

bool validUser(const QString &user)
{
    static const QRegularExpression name(u"^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$"_s);
    return name.match(user).hasMatch();
}

} // namespace

std::optional<DeployTarget> parse(const QString &text, const DeployTarget &defaults, QString *error)
{
    DeployTarget target = defaults;
    QString rest = text.trimmed();
    if (const qsizetype at = rest.lastIndexOf(u'@'); at >= 0) {
        target.user = rest.left(at);
        rest = rest.mid(at + 1);
    }
    QString portText;
    if (rest.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = rest.indexOf(u']');
        if (close < 0) {
            *error = Tr::tr("\"%1\" opens a [ for an IPv6 address but does not close it.").arg(text);
            return std::nullopt;
        }
        portText = rest.mid(close + 1);
        rest = rest.mid(1, close - 1);
        if (!portText.isEmpty() && !portText.startsWith(u':')) {
            *error = Tr::tr("\"%1\": after [address] comes :port or nothing.").arg(text);
            return std::nullopt;
        }
        portText = portText.mid(1);
    } else if (rest.count(u':') == 1) {
        portText = rest.section(u':', 1);
        rest = rest.section(u':', 0, 0);
    }
    target.host = rest;
    if (!portText.isEmpty() && !parsePort(portText, &target.port)) {
        *error = Tr::tr("\"%1\": the port must be a number from 1 to 65535.").arg(text);
        return std::nullopt;
    }
    if (!validHost(target.host)) {
        *error = Tr::tr("\"%1\" is not a host name or IP address.").arg(text);
        return std::nullopt;
    }
    if (!validUser(target.user)) {
        *error = target.user.isEmpty() ? Tr::tr("No user for %1: give --user or write user@host.").arg(target.host)
                                       : Tr::tr("\"%1\" is not a user name.").arg(target.user);
        return std::nullopt;
    }
    if (!target.agentName.isEmpty() && !Validation::checkName(Tr::tr("agent name"), target.agentName, error))
        return std::nullopt;
    return target;
}

std::optional<QList<DeployTarget>> readFile(const QString &path, const DeployTarget &defaults, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Tr::tr("Could not read the hosts file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > MAX_FILE_BYTES) {
        *error = Tr::tr("The hosts file %1 is larger than 1 MB; split it.").arg(path);
        return std::nullopt;
    }
    const QList<QByteArray> lines = file.readAll().split('\n');
    QList<DeployTarget> targets;
    for (qsizetype number = 1; number <= lines.size(); ++number) {
        const QString line = QString::fromUtf8(lines[number - 1]).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || (number == 1 && line.startsWith(u"host,"_s)))
            continue;
        const auto blame = [&](const QString &why) {
            *error = Tr::tr("%1, line %2: %3").arg(path).arg(number).arg(why);
            return std::nullopt;
        };
        const QStringList fields = line.split(u',');
        if (fields.size() > 4)
            return blame(Tr::tr("expected host,port,user,name but found %1 fields.").arg(fields.size()));
        DeployTarget lineDefaults = defaults;
        if (const QString port = fields.value(1).trimmed(); !port.isEmpty() && !parsePort(port, &lineDefaults.port))
            return blame(Tr::tr("the port \"%1\" must be a number from 1 to 65535.").arg(port));
        if (const QString user = fields.value(2).trimmed(); !user.isEmpty())
            lineDefaults.user = user;
        lineDefaults.agentName = fields.value(3).trimmed();
        const auto target = parse(fields.value(0), lineDefaults, error);
        if (!target)
            return blame(*error);
        if (targets.size() >= MAX_HOSTS)
            return blame(Tr::tr("more than %1 hosts; split the file.").arg(MAX_HOSTS));
        targets.append(*target);
    }
    if (targets.isEmpty()) {
        *error = Tr::tr("The hosts file %1 names no host.").arg(path);
        return std::nullopt;
    }
    return targets;
}

} // namespace StreamSwarm::Console::DeployTargets
