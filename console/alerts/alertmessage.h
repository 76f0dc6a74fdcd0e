// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace StreamSwarm::Console {

// One alert notification, as every target gets it: the JSON payload of webhooks and commands
// (docs/alerts-payload.md, version PAYLOAD_VERSION), and an e-mail's subject and body. A value; any
// thread.
struct AlertMessage
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::AlertMessage)
public:
    static constexpr int PAYLOAD_VERSION = 1;
    static constexpr int MAX_TEXT = 16384; // summary and diagnosis each, in characters; longer is cut

    QString id; // the same on every attempt of one notification, so a receiver can drop repeats
    QString alertName;
    QString state; // "firing", "cleared" or "test"
    QString severity; // "info", "warning" or "critical"
    QString testName;
    QString metric; // "ping.loss_pct"
    QString comparison; // "above" or "below": how the value is beyond the threshold
    QString unit; // "%", "ms"; empty: none
    QStringList agents;
    std::optional<double> value; // none: no value (a test message, or every agent went silent)
    double threshold = 0;
    std::optional<double> clearLevel; // none: the threshold
    qint64 timeMs = 0; // when it fired or cleared, ms since the epoch
    QString summary; // one sentence
    QString diagnosis; // optional, may span lines
    QString consoleHost;

    QJsonObject toJson() const;
    // Reads toJson()'s object back (the outbox keeps messages so); nullopt when a field has the wrong
    // type or a required one is missing.
    static std::optional<AlertMessage> fromJson(const QJsonObject &object);

    QString subject() const; // "[FIRING] critical: Loss to web (ping.loss_pct above 20)"
    QString oneLine() const; // the subject, then the value and the agents: the payload's "text"
    QString plainText() const; // an e-mail's body, lines ended by \n
    QString timeText() const; // "2026-03-01T12:00:00Z"
};

} // namespace StreamSwarm::Console
