// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QStringList>

namespace StreamSwarm {

// A program's settings file: INI lines "name = value", named as the program's long options
// (server = wss://console:8765), "#" or ";" comments, and at most one section, the program's own
// ([agent]). Every problem is refused with the file, the line and what is wrong, so a typing error
// never passes unnoticed: an unknown name (with the nearest known one), a name given twice, a line
// that is not "name = value", a yes/no setting with another value.
class ConfigFile
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::ConfigFile)

public:
    struct Rules
    {
        QString section; // the one section allowed, e.g. "agent"
        QStringList names; // every setting the file may hold
        QStringList switches; // those of them that are yes/no (true/false, on/off, 1/0)
    };

    static std::optional<ConfigFile> read(const QString &path, const Rules &rules, QString *error);
    // Parses text as if read from path (for tests and for read()).
    static std::optional<ConfigFile> parse(
        const QString &path, const QByteArray &text, const Rules &rules, QString *error);

    QString path() const { return m_path; }
    bool contains(const QString &name) const { return m_values.contains(name); }
    QString value(const QString &name) const { return m_values.value(name).text; }
    bool isOn(const QString &name) const; // a switch set to yes
    // "/etc/streamswarm/agent.conf, line 4"
    QString where(const QString &name) const;

private:
    struct Entry
    {
        QString text;
        int line = 0;
    };
    QString m_path;
    QHash<QString, Entry> m_values;
};

// Where a program's default settings file is: $STREAMSWARM_CONFIG_DIR (a test run, or a second
// installation), else /etc/streamswarm; systemSettingsFile("agent.conf") -> "/etc/streamswarm/agent.conf".
QString systemSettingsFile(const QString &fileName);

// A program's options: the command line, else its settings file. Errors about a value name where it
// came from, so a wrong line in the file is found without guessing.
class ConfiguredOptions
{
public:
    // The file from --config, else defaultPath when it exists and this user may read it. Returns nullopt
    // with error set when --config names no readable file or the file has a mistake.
    static std::optional<ConfiguredOptions> load(
        const QCommandLineParser &parser, const QString &defaultPath, const ConfigFile::Rules &rules, QString *error);

    bool isSet(const QString &name) const;
    QString value(const QString &name) const;
    bool isOn(const QString &name) const; // a switch on the command line, or yes in the file
    const std::optional<ConfigFile> &file() const { return m_file; }
    // message about name's value, prefixed with the file and line when the value came from the file
    // (and "--name" said as "name" there, as the file spells it).
    QString blame(const QString &name, const QString &message) const;
    // What the file alone says (empty when it says nothing), for a setting whose command-line
    // option means something else in this command.
    QString fileValue(const QString &name) const;

private:
    bool fromFile(const QString &name) const; // the file gives it and the command line does not

    const QCommandLineParser *m_parser = nullptr;
    std::optional<ConfigFile> m_file;
};

} // namespace StreamSwarm
