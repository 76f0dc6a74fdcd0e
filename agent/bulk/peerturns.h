// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QList>
#include <QObject>
#include <QPointer>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// The measuring side of bandwidth turns between agents: a round that measures to another agent asks
// the console for a turn (bulk-request) and hands it back when it ends (bulk-release); the console
// answers with where the other agent serves it, or why there is no turn (bulk-grant). Rounds reach
// the console through here, so probes need no connection of their own. One per agent process; main
// thread.
class PeerTurns final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerTurns)
public:
    struct Answer
    {
        QString address; // where the peer agent serves; empty with an error
        quint16 port = 0;
        QString error; // why there is no turn: the round's result
    };
    using AnswerFunction = std::function<void(const Answer &)>;

    static PeerTurns &instance();

    // Asks for a turn for owner's round of testId, which measures for at most limitMs once it starts
    // and can wait waitMs for it. answer runs once, later (never inside ask()), unless owner
    // releases first. Asking again for the same owner withdraws the earlier request.
    void ask(QObject *owner, qint64 testId, qint64 limitMs, qint64 waitMs, AnswerFunction answer);
    // Owner's round has ended or gave up: its turn, or its request, goes back to the console.
    void release(QObject *owner);

    // Wiring (AgentService): the console connection's state, and the console's answers.
    void setOnline(bool online);
    void handleGrant(const Protocol::BulkGrant &grant);
    int pending() const { return int(m_requests.size()); }

Q_SIGNALS:
    void sendToConsole(const StreamSwarm::Protocol::Message &message);

private:
    PeerTurns() = default;
    void answerLater(const QPointer<QObject> &owner, AnswerFunction answer, const Answer &value);

    struct Request
    {
        QPointer<QObject> owner;
        qint64 lease = 0;
        AnswerFunction answer; // empty once answered
    };
    QList<Request> m_requests;
    qint64 m_lastLease = 0;
    bool m_online = false;
};

} // namespace StreamSwarm::Agent
