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

namespace {

// The context this file's messages are translated in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::CommandLine)
};

} // namespace

std::optional<int> finishParsing(QCommandLineParser &parser, const QStringList &arguments, QString *error)
{
    if (!parser.parse(arguments)) {
        *error = parser.errorText() + Tr::tr(" See --help.");
        return EXIT_USAGE;
    }
    // Before --help, so "bogus --help" says that bogus is wrong instead of printing help.
    if (!parser.positionalArguments().isEmpty()) {
        *error = Tr::tr("Unknown command or argument \"%1\". See --help.").arg(parser.positionalArguments().first());
        return EXIT_USAGE;
    }
    // --help-all too: Qt's help option offers it, and it must not start the program.
    const bool help = parser.isSet(u"help"_s) || parser.isSet(u"help-all"_s);
    if (help || parser.isSet(u"version"_s)) {
        QTextStream(stdout) << (help
                ? helpText(parser)
                : QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n');
        return 0;
    }
    return std::nullopt;
}

QString helpText(const QCommandLineParser &parser, const QString &usage)
{
    // Qt writes "Usage: <argv[0]> [options]" on the first line: the build or install path.
    const QString text = parser.helpText();
    const qsizetype lineEnd = text.indexOf(u'\n');
    const QString line = usage.isEmpty() ? QCoreApplication::applicationName() + u" [options]"_s : usage;
    return Tr::tr("Usage: %1").arg(line) + (lineEnd < 0 ? u"\n"_s : text.mid(lineEnd));
}

QString currentUserName()
{
#ifdef Q_OS_UNIX
    if (const passwd *entry = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(entry->pw_name);
#endif
    return qEnvironmentVariable("USERNAME", Tr::tr("an unknown user"));
}

} // namespace StreamSwarm
