// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "eventtext.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

struct Template
{
    const char *code;
    const char *source;
};

// The one table of event sentences. Append freely; never change what a shipped code says beyond
// its wording, and never reuse a code: stored events and agents keep sending the old ones.
constexpr Template TEMPLATES[] = {
    // Made by the console.
    {"agent-enrolled",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent enrolled from %1 (%2) with token \"%3\".")},
    {"agent-replaced",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Agent \"%1\" moved from host %2 to %3 (%4) with token \"%5\"; the old host's credential no longer "
            "works.")},
    {"agent-online", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent connected from %1.")},
    {"agent-offline", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent disconnected.")},
    {"agent-refused", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Refused agent \"%1\" from %2: %3")},
    {"agent-rekeyed",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Agent \"%1\" now uses a new credential; the old one no longer works.")},
    {"agent-clock-ahead",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The clock of agent \"%1\" is %2 ms ahead of the console's (give or take %3 ms). Its measurement times "
            "are off by as much; set up time synchronisation (NTP, chrony) on that host.")},
    {"agent-clock-behind",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The clock of agent \"%1\" is %2 ms behind the console's (give or take %3 ms). Its measurement times "
            "are off by as much; set up time synchronisation (NTP, chrony) on that host.")},
    {"auth-lockout",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Too many failed sign-in attempts from %1; connections from it are refused for %2 s.")},
    {"tests-over-limit",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Agent \"%1\" should run %2 tests, but one agent runs at most %3: the newest %4 wait. Stop some of its "
            "tests or give them to another agent.")},
    {"test-waiting",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Test \"%1\" is waiting: its target agent \"%2\" is not connected. It starts by itself when that agent "
            "connects; check that the agent is running.")},
    {"test-resumed",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Test \"%1\" runs again: its target agent \"%2\" is connected from %3.")},
    {"spool-overflow",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Agent \"%1\" could not reach the console for so long that its spool filled up: it dropped its oldest %2 "
            "round(s) of results, the newest of them measured at %3. Give it a larger --spool-size if outages this "
            "long are expected.")},
    {"disk-full",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The disk that holds the console's database %1 is full: from now on the console stores no results and "
            "tells each agent so; the agents keep what they measure. Free space on that disk; storing starts again "
            "by itself. (%2)")},
    {"disk-space-back",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "There is space again on the disk that holds the console's database %1: results are stored again. "
            "For %2 s none were; the agents kept them and are sending them now.")},
    {"data-folder-readable",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The console's data folder %1 can be read by other users of this computer (mode %2): they could read "
            "the measurements, the event log and the agents' credential hashes. Make it private with: chmod 700 %1")},
    {"database-readable",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The console's database %1 can be read by other users of this computer (mode %2). Make it private with: "
            "chmod 600 %1*")},
    // Why an agent was refused: the third value of agent-refused.
    {"token-not-valid", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "The enrollment token is not valid.")},
    {"token-was-revoked", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "The enrollment token was revoked.")},
    {"token-expired", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "The enrollment token has expired.")},
    {"token-used-up", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "The enrollment token has been used up.")},
    {"replaced-agent-gone",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The agent this token was made to replace no longer exists; make a new token.")},
    {"name-taken",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The name \"%1\" belongs to an agent that is already enrolled (host %2). Start this agent with another "
            "--name, or, to move that agent to this host, make a token with 'streamswarm-console token create NAME "
            "--replace %1'.")},
    {"unknown-host", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "unknown")},
    {"credential-not-valid",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The agent credential is not valid; enroll the agent again with a new token.")},
    {"agent-was-revoked",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "This agent was revoked in the console.")},
    // The audit trail: what was done (the first value, a sentence below), and by whom.
    {"by-command-line", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "%1 (by %2 on the command line)")},
    {"by-console-window", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "%1 (by %2 in the console window)")},
    {"token-created",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Token \"%1\" created for %2 enrollment(s) until %3")},
    {"token-created-to-move",
        QT_TRANSLATE_NOOP(
            "StreamSwarm::Protocol::EventText", "Token \"%1\" created to move agent \"%2\" to a new host, until %3")},
    {"token-revoked", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Token \"%1\" revoked")},
    {"agent-revoked", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent \"%1\" revoked")},
    {"agent-rekey-requested",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "New credential asked for agent \"%1\"")},
    {"test-added", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" added")},
    {"retention-changed",
        QT_TRANSLATE_NOOP(
            "StreamSwarm::Protocol::EventText", "Data is now kept: raw %1, per minute %2, per hour %3 (0: for ever)")},
    {"report-scheduled", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Report \"%1\" scheduled %2, into %3")},
    {"report-unscheduled", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Scheduled report \"%1\" removed")},
    {"report-made", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Scheduled report \"%1\" written to %2")},
    {"report-failed",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Scheduled report \"%1\" could not be made: %2")},
    {"alert-added", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Alert \"%1\" added: %2")},
    {"alert-removed", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Alert \"%1\" removed")},
    {"alert-acknowledged",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Alert \"%1\" acknowledged, with the comment \"%2\"")},
    {"alert-fired", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Alert \"%1\" fired: %2, seen on %3 (%4)")},
    {"alert-silenced",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Alert \"%1\" fired during the maintenance window \"%2\"; no notification was sent")},
    {"alert-still-firing",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Alert \"%1\" still fires after the maintenance window \"%2\" closed; its notifications go out now")},
    {"alert-held",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Alert \"%1\" is held: alert \"%2\" explains it (their agents' paths share the hop %3)")},
    {"alert-held-dependency",
        QT_TRANSLATE_NOOP(
            "StreamSwarm::Protocol::EventText", "Alert \"%1\" is held while alert \"%2\", which it depends on, fires")},
    {"alert-cleared", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Alert \"%1\" cleared")},
    {"alert-notify-failed",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "An alert notification by %1 could not be sent: %2")},
    {"maintenance-added",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Maintenance window \"%1\" added, from %2 to %3")},
    {"maintenance-removed", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Maintenance window \"%1\" removed")},
    {"report-evidence",
        QT_TRANSLATE_NOOP(
            "StreamSwarm::Protocol::EventText", "Evidence report made for %1, from %2 to %3; SHA-256 of its data: %4")},
    {"test-stopped", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" stopped")},
    {"test-changed", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" changed: %2")},
    {"test-paused", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" paused")},
    {"test-unpaused", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" resumed")},
    {"test-deleted", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" deleted with its data")},
    {"test-deleted-kept",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Test \"%1\" deleted; its data is kept as \"%2\"")},
    {"agent-renamed", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent \"%1\" renamed to \"%2\"")},
    {"agent-tags-changed", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Agent \"%1\" now has the tags: %2")},
    // Made by agents, which send the code beside their plain message.
    {"certificate-expiring",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The certificate of %1 expires in %2 day(s), on %3 (%4); renew it before then.")},
    {"certificate-expired",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "The certificate of %1 expired on %2 (%3); renew it.")},
    {"wifi-roamed",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Wi-Fi %1 moved to another access point of network \"%2\": from %3 to %4.")},
    {"results-dropped",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The agent could not save results to its spool for a while and dropped %1 round(s) and %2 event(s).")},
    {"result-too-large",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "One round's result was too large to send (over 1 MiB) and was dropped.")},
    {"rounds-not-measured",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "Test \"%1\": %2 round(s) from %3 on were not measured: the agent was held up for %4 ms. The first %5 "
            "are stored as not measured.")},
    {"agent-unclean-stop",
        QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText",
            "The agent did not shut down cleanly last time (killed, crashed or power lost). Results measured after "
            "%1, at most the last %2 ms before it stopped, were not saved.")},
    {"last-saved-result", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "its last saved result")},
    {"test-refused", QT_TRANSLATE_NOOP("StreamSwarm::Protocol::EventText", "Cannot run test \"%1\": %2")},
};

const char *sourceFor(QStringView code)
{
    const auto it = std::find_if(std::cbegin(TEMPLATES), std::cend(TEMPLATES),
        [&](const Template &entry) { return QLatin1String(entry.code) == code; });
    return it == std::cend(TEMPLATES) ? nullptr : it->source;
}

} // namespace

EventText::EventText(QString code, QJsonArray args)
    : m_code(std::move(code))
    , m_args(std::move(args))
{ }

std::optional<QString> EventText::render(bool translated, int depth) const
{
    const char *source = sourceFor(m_code);
    if (!source || depth > MAX_DEPTH || m_args.size() > MAX_ARGS)
        return std::nullopt;
    const QString pattern = translated ? tr(source) : QString::fromUtf8(source);
    // One pass, %1 to %9: a value that itself holds "%2" is not filled in again (QString::arg chains would).
    QString result;
    result.reserve(pattern.size() + 64);
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const int index = pattern.at(i) == u'%' && i + 1 < pattern.size() ? pattern.at(i + 1).digitValue() : -1;
        if (index < 1) {
            result += pattern.at(i);
            continue;
        }
        if (index > m_args.size())
            return std::nullopt;
        const QJsonValue value = m_args.at(index - 1);
        if (value.isString()) {
            result += value.toString();
        } else if (value.isDouble()) {
            const double number = value.toDouble();
            result += number == std::trunc(number) && std::abs(number) < 9e15 ? QString::number(qint64(number))
                                                                              : QString::number(number);
        } else if (value.isObject()) {
            const auto inner = fromJson(value.toObject()).render(translated, depth + 1);
            if (!inner)
                return std::nullopt;
            result += *inner;
        } else {
            return std::nullopt;
        }
        ++i;
    }
    return result;
}

QString EventText::text(const QString &fallback) const
{
    if (const auto rendered = render(true, 0))
        return *rendered;
    if (!fallback.isEmpty() || m_code.isEmpty())
        return fallback;
    return m_code + u' ' + argsJson(); // nothing better to show than what was stored
}

QString EventText::sourceText() const
{
    return render(false, 0).value_or(QString());
}

QJsonObject EventText::toJson() const
{
    return QJsonObject{{u"code"_s, m_code}, {u"args"_s, m_args}};
}

EventText EventText::fromJson(const QJsonObject &object)
{
    return EventText(object.value(u"code"_s).toString(), object.value(u"args"_s).toArray());
}

QString EventText::argsJson() const
{
    return QString::fromUtf8(QJsonDocument(m_args).toJson(QJsonDocument::Compact));
}

EventText EventText::fromStored(const QString &code, const QString &argsJson)
{
    return EventText(code, QJsonDocument::fromJson(argsJson.toUtf8()).array());
}

bool EventText::isKnown(QStringView code)
{
    return sourceFor(code) != nullptr;
}

QStringList EventText::codes()
{
    QStringList codes;
    for (const Template &entry : TEMPLATES)
        codes.append(QString::fromLatin1(entry.code));
    return codes;
}

} // namespace StreamSwarm::Protocol
