// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "exposition.h"

#include <cmath>

#include <QLocale>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
}

QString sanitized(QStringView name)
{
    QString result;
    result.reserve(name.size());
    for (const QChar c : name)
        result.append(isNameCharacter(c) ? c : u'_');
    return result;
}

} // namespace

void Exposition::add(const QString &family, const QString &help, Type type, const Labels &labels, double value)
{
    auto it = m_families.find(family);
    if (it == m_families.end())
        it = m_families.insert(family, Family{help, type, {}});
    QString line = family;
    if (!labels.isEmpty()) {
        line += u'{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                line += u',';
            line += labels[i].first + u"=\""_s + escapeLabelValue(labels[i].second) + u'"';
        }
        line += u'}';
    }
    line += u' ' + formatValue(value);
    it->samples.append(line);
}

QByteArray Exposition::text() const
{
    QString text;
    for (auto it = m_families.cbegin(); it != m_families.cend(); ++it) {
        text += u"# HELP "_s + it.key() + u' ' + escapeHelp(it->help) + u'\n';
        text += u"# TYPE "_s + it.key() + (it->type == Type::Counter ? u" counter\n"_s : u" gauge\n"_s);
        QStringList samples = it->samples;
        samples.sort(); // the same order in every scrape
        for (const QString &sample : std::as_const(samples))
            text += sample + u'\n';
    }
    return text.toUtf8();
}

QString Exposition::metricName(QStringView catalogName)
{
    return u"streamswarm_"_s + sanitized(catalogName);
}

QString Exposition::labelName(QStringView name)
{
    QString result = sanitized(name);
    if (result.isEmpty() || result.front().isDigit())
        result.prepend(u'_');
    if (result.startsWith(u"__"_s))
        result.prepend(u"label"_s);
    return result;
}

QString Exposition::escapeLabelValue(QStringView value)
{
    return escaped(value, true);
}

QString Exposition::escapeHelp(QStringView help)
{
    return escaped(help, false);
}

QString Exposition::escaped(QStringView text, bool quotes)
{
    // Backslash and newline are escaped in both; a double quote only in label values.
    QString result;
    result.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\')
            result += u"\\\\"_s;
        else if (quotes && c == u'"')
            result += u"\\\""_s;
        else if (c == u'\n')
            result += u"\\n"_s;
        else
            result += c;
    }
    return result;
}

QString Exposition::formatValue(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    // The same digits as the CSV export, so the two can be compared as text.
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace StreamSwarm::Console
