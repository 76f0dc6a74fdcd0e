// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "failureevents.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

QHash<FailureEvents::Key, QString> FailureEvents::walk(
    qint64 agentId, const QList<Protocol::Round> &rounds, QList<Protocol::Event> *events) const
{
    // Only the tests in this batch are looked at; the remembered errors of the others stay as they are.
    QHash<Key, QString> touched;
    for (const Protocol::Round &round : rounds) {
        const Key key(agentId, round.testId);
        const auto it = touched.constFind(key);
        const QString last = it != touched.constEnd() ? *it : m_lastErrors.value(key);
        if (last == round.error)
            continue;
        touched.insert(key, round.error);
        if (!round.error.isEmpty() && events)
            events->append(Protocol::Event{round.timeMs, u"warning"_s, u"probe-error"_s, round.error, round.testId});
    }
    return touched;
}

QList<Protocol::Event> FailureEvents::eventsFor(qint64 agentId, const QList<Protocol::Round> &rounds) const
{
    QList<Protocol::Event> events;
    walk(agentId, rounds, &events);
    return events;
}

void FailureEvents::accept(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    const QHash<Key, QString> touched = walk(agentId, rounds, nullptr);
    for (auto it = touched.cbegin(); it != touched.cend(); ++it) {
        if (it->isEmpty())
            m_lastErrors.remove(it.key());
        else
            m_lastErrors.insert(it.key(), *it);
    }
}

void FailureEvents::forget(qint64 agentId)
{
    m_lastErrors.removeIf([agentId](const auto &entry) { return entry.key().first == agentId; });
}

} // namespace StreamSwarm::Console
