// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertmessage.h"

#include <cmath>

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MAX_SUBJECT = 250; // characters; a mail header line stays far below 998 bytes
constexpr int AGENTS_NAMED = 5; // in one-line texts; the rest are counted

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

QString withUnit(double value, const QString &unit)
{
    return unit.isEmpty() ? number(value) : number(value) + u' ' + unit;
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value && std::isfinite(*value) ? QJsonValue(*value) : QJsonValue();
}

QString oneLineOf(QString text)
{
    text.replace(u'\r', u' ');
    text.replace(u'\n', u' ');
    return text;
}

QString cut(const QString &text, int length)
{
    return text.size() <= length ? text : text.left(length - 1) + u'…';
}

} // namespace

QJsonObject AlertMessage::toJson() const
{
    return QJsonObject{{u"version"_s, PAYLOAD_VERSION}, {u"source"_s, u"streamswarm"_s}, {u"id"_s, id},
        {u"text"_s, oneLine()}, {u"alert"_s, alertName}, {u"state"_s, state}, {u"severity"_s, severity},
        {u"test"_s, testName}, {u"metric"_s, metric}, {u"comparison"_s, comparison}, {u"unit"_s, unit},
        {u"agents"_s, QJsonArray::fromStringList(agents)}, {u"value"_s, optionalNumber(value)},
        {u"threshold"_s, optionalNumber(threshold)}, {u"clearLevel"_s, optionalNumber(clearLevel)},
        {u"time"_s, QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {u"timeMs"_s, double(timeMs)}, {u"summary"_s, cut(summary, MAX_TEXT)},
        {u"diagnosis"_s, cut(diagnosis, MAX_TEXT)}, {u"console"_s, consoleHost}};
}

std::optional<AlertMessage> AlertMessage::fromJson(const QJsonObject &object)
{
    bool ok = object.value(u"version").isDouble() && object.value(u"alert").isString()
        && object.value(u"state").isString() && object.value(u"timeMs").isDouble();
    const auto text = [&](const char16_t *key) {
        const QJsonValue value = object.value(QStringView(key));
        ok = ok && (value.isString() || value.isUndefined());
        return value.toString();
    };
    const auto optionalDouble = [&](const char16_t *key) -> std::optional<double> {
        const QJsonValue value = object.value(QStringView(key));
        ok = ok && (value.isDouble() || value.isNull() || value.isUndefined());
        return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
    };
    AlertMessage message;
    message.id = text(u"id");
    message.alertName = text(u"alert");
    message.state = text(u"state");
    message.severity = text(u"severity");
    message.testName = text(u"test");
    message.metric = text(u"metric");
    message.comparison = text(u"comparison");
    message.unit = text(u"unit");
    message.value = optionalDouble(u"value");
    message.threshold = optionalDouble(u"threshold").value_or(0);
    message.clearLevel = optionalDouble(u"clearLevel");
    message.timeMs = qint64(object.value(u"timeMs").toDouble());
    message.summary = text(u"summary");
    message.diagnosis = text(u"diagnosis");
    message.consoleHost = text(u"console");
    const QJsonValue agents = object.value(u"agents");
    ok = ok && (agents.isArray() || agents.isUndefined());
    for (const auto &agent : agents.toArray()) {
        ok = ok && agent.isString();
        message.agents.append(agent.toString());
    }
    return ok ? std::optional<AlertMessage>(message) : std::nullopt;
}

QString AlertMessage::timeText() const
{
    return QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODate);
}

QString AlertMessage::subject() const
{
    QString word;
    if (state == u"firing")
        word = tr("FIRING");
    else if (state == u"cleared")
        word = tr("CLEARED");
    else if (state == u"test")
        word = tr("TEST");
    else
        word = state.toUpper();
    QString condition;
    if (comparison == u"above")
        condition = tr("%1 above %2").arg(metric, number(threshold));
    else if (comparison == u"below")
        condition = tr("%1 below %2").arg(metric, number(threshold));
    else
        condition = tr("%1, threshold %2").arg(metric, number(threshold));
    const QString text = severity.isEmpty() ? tr("[%1] %2 (%3)").arg(word, alertName, condition)
                                            : tr("[%1] %2: %3 (%4)").arg(word, severity, alertName, condition);
    return cut(oneLineOf(text), MAX_SUBJECT);
}

QString AlertMessage::oneLine() const
{
    QStringList named = agents.mid(0, AGENTS_NAMED);
    if (agents.size() > AGENTS_NAMED)
        named.append(tr("%n more", nullptr, int(agents.size() - AGENTS_NAMED)));
    QString text = subject();
    if (state == u"test")
        return tr("%1: a test notification from the StreamSwarm console on %2.").arg(text, consoleHost);
    if (value)
        text = tr("%1: %2").arg(text, withUnit(*value, unit));
    if (!named.isEmpty())
        text = tr("%1 on %2").arg(text, named.join(u", "));
    return oneLineOf(text);
}

QString AlertMessage::plainText() const
{
    const QString where
        = consoleHost.isEmpty() ? tr("the StreamSwarm console") : tr("the StreamSwarm console on %1").arg(consoleHost);
    QStringList lines;
    if (state == u"firing")
        lines << tr("The alert \"%1\" is firing (%2).").arg(alertName, severity);
    else if (state == u"cleared")
        lines << tr("The alert \"%1\" has cleared (%2).").arg(alertName, severity);
    else if (state == u"test")
        lines << tr("This is a test of the alert \"%1\" (%2): nothing is wrong.").arg(alertName, severity);
    else
        lines << tr("The alert \"%1\" is %2 (%3).").arg(alertName, state, severity);
    if (!summary.isEmpty())
        lines << QString() << cut(summary, MAX_TEXT);
    lines << QString();

    const QString threshold = withUnit(this->threshold, unit);
    QString what;
    if (!value)
        what = tr("%1 on the test \"%2\" has no value (the threshold is %3).").arg(metric, testName, threshold);
    else if (comparison == u"below")
        what = tr("%1 on the test \"%2\" is %3; the alert fires below %4.")
                   .arg(metric, testName, withUnit(*value, unit), threshold);
    else
        what = tr("%1 on the test \"%2\" is %3; the alert fires above %4.")
                   .arg(metric, testName, withUnit(*value, unit), threshold);
    if (clearLevel)
        what = tr("%1 It clears at %2.").arg(what, withUnit(*clearLevel, unit));
    lines << tr("What:  %1").arg(what);
    lines << tr("Where: %1, seen by %2.")
                 .arg(agents.isEmpty() ? tr("no agent named") : tr("agents %1").arg(agents.join(u", ")), where);
    lines << tr("When:  %1 (UTC)").arg(timeText());
    if (!diagnosis.isEmpty())
        lines << QString() << tr("Diagnosis:") << cut(diagnosis, MAX_TEXT);
    lines << QString();
    if (state == u"firing")
        lines << tr("What to do next: open the test \"%1\" in %2 to see its charts and paths for these agents, then "
                    "acknowledge the alert with: streamswarm-console alert ack \"%3\" --comment \"what you found\"")
                     .arg(testName, where, alertName);
    else if (state == u"cleared")
        lines << tr("What to do next: nothing is needed; the test's history in %1 shows what happened.").arg(where);
    else
        lines << tr("What to do next: nothing; this message shows that alert notifications reach you.");
    lines << QString() << u"-- "_s << tr("Sent by %1.").arg(where);
    return lines.join(u'\n') + u'\n';
}

} // namespace StreamSwarm::Console
