// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QStringList>

#include "agent/scheduler/deadline.h"

struct ares_channeldata;
class QSocketNotifier;

namespace StreamSwarm::Agent {

// How one query went: c-ares' status, the answer, and what our socket functions saw on the way.
struct AresOutcome
{
    int status = -1; // ARES_SUCCESS when answer holds the whole answer message (of any RCODE)
    QString statusText; // c-ares' own words for a failure
    QByteArray answer;
    QString server; // "127.0.0.1:53": the server that answered, or the last one asked
    QStringList serversAsked; // in the order first asked
    bool tcp = false; // the answer (or the last query sent) went over TCP
    int udpSends = 0;
    int tcpSends = 0;
    bool refused = false; // a server's port refused us (ICMP port unreachable, or a TCP reset)
    qint64 firstSendNs = 0; // monotonic clock, right before the first send that went out; 0 when none did
    qint64 answerNs = 0; // monotonic clock, right after reading the answer's last bytes
};

// One c-ares channel driven by this thread's event loop: its sockets watched by QSocketNotifiers,
// its retry timeouts by one Deadline, so a query never blocks the thread. Its socket functions
// (ares_set_socket_functions) note which server each socket talks to, over which transport, and
// when the query left and the answer came, so the outcome names the answering server and times
// the lookup. c-ares does the rest: the query message, UDP with retries, TCP after a truncated
// answer, /etc/resolv.conf. One query at a time. Main thread.
class AresChannel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AresChannel)
public:
    struct Options
    {
        QHostAddress server; // null: the system's resolvers (/etc/resolv.conf)
        quint16 port = 53;
        bool tcp = false; // TCP from the start
        int tries = 3; // per server
        qint64 tryTimeoutMs = 1000; // the first try's; c-ares doubles it at each round over the servers
    };

    explicit AresChannel(QObject *parent = nullptr);
    ~AresChannel() override;

    bool open(const Options &options, QString *error);
    // Asks for name's records of this type (class IN); queryFinished() follows once, from the event
    // loop or at once when c-ares fails it straight away.
    void sendQuery(const QString &name, int type, bool recurse);
    // Ends the query (queryFinished() with ARES_ECANCELLED) and closes its sockets.
    void cancel();
    // What has happened so far: for a query given up before c-ares ended it.
    AresOutcome progress() const { return m_outcome; }
    // The servers the channel asks, "127.0.0.1:53" each.
    QStringList servers() const;

Q_SIGNALS:
    // Emitted from inside c-ares: a receiver must not delete the channel before returning.
    void queryFinished(const StreamSwarm::Agent::AresOutcome &outcome);

private:
    struct SocketInfo
    {
        bool tcp = false;
        QString server;
        QSocketNotifier *reader = nullptr;
        QSocketNotifier *writer = nullptr;
    };

    friend struct AresHooks; // c-ares' callbacks and socket functions, in areschannel.cpp

    void noteSocket(int fd, bool tcp);
    void noteConnect(int fd, const QString &server);
    void noteSend(int fd, bool sent, int error, qint64 beforeNs);
    void noteReceive(int fd, bool received, int error);
    void noteClose(int fd);
    void finishQuery(int status, const unsigned char *answer, int length);
    void watch(int fd, bool readable, bool writable);
    void process(int readFd, int writeFd);
    void rearmTimeout();
    void dropNotifier(QSocketNotifier *&notifier);

    ares_channeldata *m_channel = nullptr;
    Deadline m_timeout; // c-ares' next retry or give-up time
    QHash<int, SocketInfo> m_sockets;
    AresOutcome m_outcome;
    bool m_queryRunning = false;
    bool m_closing = false;
};

} // namespace StreamSwarm::Agent
