// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "commandline.h"

#include <QCoreApplication>
#include <QTextStream>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace StreamSwarm {

std::optional<int> finishParsing(QCommandLineParser &parser, const QStringList &arguments, QString *error)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("StreamSwarm::CommandLine", text);
    };
    if (!parser.parse(arguments)) {
        *error = parser.errorText() + tr(" See --help.");
        return 1;
    }
    if (parser.isSet(u"help"_s) || parser.isSet(u"version"_s)) {
        QTextStream(stdout) << (parser.isSet(u"help"_s)
                ? parser.helpText()
                : QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n');
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *error = tr("Unknown command or argument \"%1\". See --help.").arg(parser.positionalArguments().first());
        return 1;
    }
    return std::nullopt;
}

QString currentUserName()
{
#ifdef Q_OS_UNIX
    if (const passwd *entry = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(entry->pw_name);
#endif
    return qEnvironmentVariable("USERNAME", QCoreApplication::translate("StreamSwarm::CommandLine", "an unknown user"));
}

} // namespace StreamSwarm
