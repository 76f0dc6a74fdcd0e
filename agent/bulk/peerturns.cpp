// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "peerturns.h"

#include <QTimer>

#include "shared/util/logging.h"

namespace StreamSwarm::Agent {

PeerTurns &PeerTurns::instance()
{
    static PeerTurns turns;
    return turns;
}

void PeerTurns::ask(QObject *owner, qint64 testId, qint64 limitMs, qint64 waitMs, AnswerFunction answer)
{
    release(owner);
    if (!m_online) {
        answerLater(owner, std::move(answer),
            {{}, 0,
                tr("This agent is not connected to the console, which arranges the turns of bandwidth tests "
                   "between agents, so the round was skipped.")});
        return;
    }
    const qint64 lease = ++m_lastLease;
    m_requests.append({owner, lease, std::move(answer)});
    Q_EMIT sendToConsole({Protocol::BulkRequest{lease, testId, limitMs, waitMs}});
}

void PeerTurns::release(QObject *owner)
{
    for (qsizetype i = m_requests.size() - 1; i >= 0; --i) {
        const Request &request = m_requests.at(i);
        if (request.owner && request.owner != owner)
            continue;
        if (m_online)
            Q_EMIT sendToConsole({Protocol::BulkRelease{request.lease}});
        m_requests.removeAt(i);
    }
}

void PeerTurns::setOnline(bool online)
{
    m_online = online;
    if (online)
        return;
    // The console took back every turn when the connection went; a round still waiting hears why.
    const QList<Request> requests = std::exchange(m_requests, {});
    for (const Request &request : requests) {
        if (request.answer) {
            answerLater(request.owner, request.answer,
                {{}, 0,
                    tr("The connection to the console was lost while the round waited for its turn, so it was "
                       "skipped.")});
        }
    }
}

void PeerTurns::handleGrant(const Protocol::BulkGrant &grant)
{
    qCDebug(lcAgent).noquote() << "bandwidth turn" << grant.lease << ":" << grant.address << grant.port << grant.error;
    for (qsizetype i = 0; i < m_requests.size(); ++i) {
        Request &request = m_requests[i];
        if (request.lease != grant.lease || !request.answer)
            continue;
        const AnswerFunction answer = std::exchange(request.answer, {});
        const QPointer<QObject> owner = request.owner;
        if (!grant.error.isEmpty())
            m_requests.removeAt(i); // no turn: nothing to hand back
        if (owner)
            answer({grant.address, grant.port, grant.error});
        else if (grant.error.isEmpty())
            release(nullptr); // its round is gone: hand the turn straight back
        return;
    }
    // Not ours (any more): the round gave up and released it already.
}

void PeerTurns::answerLater(const QPointer<QObject> &owner, AnswerFunction answer, const Answer &value)
{
    if (!owner)
        return;
    QTimer::singleShot(0, owner, [answer = std::move(answer), value] { answer(value); });
}

} // namespace StreamSwarm::Agent
