// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#include "shared/protocol/messages.h"

namespace StreamSwarm::Agent {

// The serving side of bandwidth turns between agents: when the console says serve, takes this
// agent's bulk slot (waiting for its own bandwidth round to end, as long as the order allows), starts
// a one-off iperf3 server on a free port (streamswarm-agent-throughput server 0) and tells the console
// the port (serving). The server answers one measurement and exits; it is stopped at the console's
// serve-stop, at the order's limit, or when the connection to the console goes. So the agent listens
// for bandwidth measurements only during a turn. One turn at a time; main thread.
class TurnServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TurnServer)
public:
    explicit TurnServer(QObject *parent = nullptr);
    ~TurnServer() override;

    void serve(const Protocol::Serve &order);
    void stop(qint64 lease);
    void stopAll(); // the console connection went: it took the turn back
    bool isServing() const { return m_lease != 0; }

Q_SIGNALS:
    void sendToConsole(const StreamSwarm::Protocol::Message &message);

private:
    void launch();
    void readHelperOutput();
    void answer(quint16 port, const QString &error);
    void finish();

    qint64 m_lease = 0; // the turn served, 0 = none
    qint64 m_limitMs = 0;
    bool m_answered = false;
    QPointer<QProcess> m_helper;
    QByteArray m_said; // the helper's stderr, for its port or its complaint
    QTimer m_waitLimit; // for this agent's own bandwidth round to end
    QTimer m_limit; // serving
};

} // namespace StreamSwarm::Agent
