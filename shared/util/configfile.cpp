// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "configfile.h"

#include <algorithm>

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace StreamSwarm {

namespace {

constexpr qint64 MAX_FILE_BYTES = 64 * 1024; // a settings file is a few hundred bytes
constexpr int MAX_LINE_LENGTH = 4096;

int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

QString nearest(const QString &name, const QStringList &names)
{
    QString best;
    int bestDistance = 3; // more than two edits away is not a typing error
    for (const QString &candidate : names) {
        const int distance = editDistance(name, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

std::optional<bool> parseSwitch(const QString &text)
{
    const QString word = text.toLower();
    if (word == u"yes" || word == u"true" || word == u"on" || word == u"1")
        return true;
    if (word == u"no" || word == u"false" || word == u"off" || word == u"0")
        return false;
    return std::nullopt;
}

} // namespace

std::optional<ConfigFile> ConfigFile::read(const QString &path, const Rules &rules, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the settings file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > MAX_FILE_BYTES) {
        *error = tr("The settings file %1 is %2 bytes; a settings file holds at most %3, so this is not one.")
                     .arg(path)
                     .arg(file.size())
                     .arg(MAX_FILE_BYTES);
        return std::nullopt;
    }
    return parse(path, file.readAll(), rules, error);
}

std::optional<ConfigFile> ConfigFile::parse(
    const QString &path, const QByteArray &text, const Rules &rules, QString *error)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder(text);
    if (decoder.hasError()) {
        *error = tr("The settings file %1 is not UTF-8 text.").arg(path);
        return std::nullopt;
    }
    ConfigFile config;
    config.m_path = path;
    const QStringList lines = decoded.split(u'\n');
    bool sectionSeen = false;
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const int number = int(index) + 1;
        const auto fail = [&](const QString &why) -> std::optional<ConfigFile> {
            *error = tr("%1, line %2: %3").arg(path).arg(number).arg(why);
            return std::nullopt;
        };
        const QString line = lines.at(index).trimmed();
        if (lines.at(index).size() > MAX_LINE_LENGTH)
            return fail(tr("the line is longer than %1 characters.").arg(MAX_LINE_LENGTH));
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[')) {
            const QString section = line.endsWith(u']') ? line.mid(1, line.size() - 2).trimmed() : QString();
            if (section != rules.section || sectionSeen)
                return fail(tr("\"%1\" is not a section this file can have; it holds only [%2], or no section.")
                                .arg(line.left(80), rules.section));
            if (!config.m_values.isEmpty())
                return fail(tr("[%1] must come before the settings.").arg(rules.section));
            sectionSeen = true;
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0)
            return fail(tr("\"%1\" is not a setting; write it as name = value.").arg(line.left(80)));
        QString name = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        if (name.startsWith(u"--"))
            name = name.mid(2); // a setting copied from a command line
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
            value = value.mid(1, value.size() - 2);
        if (name.isEmpty())
            return fail(tr("a value without a name; write it as name = value."));
        if (!rules.names.contains(name)) {
            const QString guess = nearest(name, rules.names);
            return fail(guess.isEmpty()
                    ? tr("\"%1\" is not a setting. The settings are: %2.").arg(name.left(80), rules.names.join(u", "))
                    : tr("\"%1\" is not a setting; did you mean \"%2\"?").arg(name.left(80), guess));
        }
        if (const auto earlier = config.m_values.constFind(name); earlier != config.m_values.cend())
            return fail(tr("%1 is set twice (first on line %2); keep one.").arg(name).arg(earlier->line));
        if (rules.switches.contains(name) && !parseSwitch(value))
            return fail(tr("%1 = %2: say yes or no.").arg(name, value.left(80)));
        config.m_values.insert(name, {value, number});
    }
    return config;
}

QString systemSettingsFile(const QString &fileName)
{
    const QString folder = qEnvironmentVariable("STREAMSWARM_CONFIG_DIR", u"/etc/streamswarm"_s);
    return folder + u'/' + fileName;
}

bool ConfigFile::isOn(const QString &name) const
{
    return parseSwitch(value(name)).value_or(false);
}

QString ConfigFile::where(const QString &name) const
{
    return tr("%1, line %2").arg(m_path).arg(m_values.value(name).line);
}

std::optional<ConfiguredOptions> ConfiguredOptions::load(
    const QCommandLineParser &parser, const QString &defaultPath, const ConfigFile::Rules &rules, QString *error)
{
    ConfiguredOptions options;
    options.m_parser = &parser;
    const bool asked = parser.isSet(u"config"_s);
    const QString path = asked ? parser.value(u"config"_s) : defaultPath;
    // No settings file: the command line alone. Nor when the default one is the service's (root and
    // the service's group only) and another user runs the program by hand.
    if (!asked && (path.isEmpty() || !QFileInfo::exists(path) || !QFileInfo(path).isReadable()))
        return options;
    if (asked && !QFileInfo::exists(path)) {
        *error = ConfigFile::tr("The settings file %1 does not exist.").arg(path);
        return std::nullopt;
    }
    options.m_file = ConfigFile::read(path, rules, error);
    if (!options.m_file)
        return std::nullopt;
    return options;
}

bool ConfiguredOptions::isSet(const QString &name) const
{
    return m_parser->isSet(name) || (m_file && m_file->contains(name));
}

bool ConfiguredOptions::fromFile(const QString &name) const
{
    return !m_parser->isSet(name) && m_file && m_file->contains(name);
}

QString ConfiguredOptions::value(const QString &name) const
{
    if (!fromFile(name))
        return m_parser->value(name); // also the parser's default when neither gives it
    return m_file->value(name);
}

QString ConfiguredOptions::fileValue(const QString &name) const
{
    return m_file ? m_file->value(name) : QString();
}

bool ConfiguredOptions::isOn(const QString &name) const
{
    return m_parser->isSet(name) || (m_file && m_file->isOn(name));
}

QString ConfiguredOptions::blame(const QString &name, const QString &message) const
{
    if (!fromFile(name))
        return message;
    QString said = message;
    said.replace(u"--"_s + name, name);
    return ConfigFile::tr("%1: %2").arg(m_file->where(name), said);
}

} // namespace StreamSwarm
