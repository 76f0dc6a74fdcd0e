// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <chrono>
#include <memory>

#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>

// Opens one TCP connection without blocking the event loop, for the probes that time it (tcp, tls):
// connect() on a non-blocking socket, then the event loop says when it is open or why not. The
// three-way handshake is timed with the steady clock from just before connect() to the moment the
// socket became writable, as curl times its connect phase. Main thread.
namespace StreamSwarm::Agent {

class TcpConnector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TcpConnector)
public:
    explicit TcpConnector(QObject *parent = nullptr);
    ~TcpConnector() override; // closes a socket still held

    // Starts connecting: finished() follows from the event loop. False and a sentence when no
    // socket could even be made (nothing follows then).
    bool start(const QHostAddress &address, quint16 port, QString *error);
    // Closes the socket; no finished() follows.
    void abort();

    bool isConnecting() const { return m_notifier != nullptr; }
    // After finished(true): the open socket, handed over (the caller closes it); -1 otherwise.
    int takeSocket();
    double connectMs() const { return m_connectMs; }
    // After finished(false): the errno that ended it.
    int failure() const { return m_failure; }

Q_SIGNALS:
    void finished(bool connected);

private:
    void handleWritable();
    void finish(int error);
    void closeSocket();

    int m_socket = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::chrono::steady_clock::time_point m_started;
    double m_connectMs = 0;
    int m_failure = 0;
};

// "127.0.0.1 port 9 refused the connection", from connect()'s errno; where is "ADDRESS port N".
QString describeConnectFailure(int error, const QString &where);

} // namespace StreamSwarm::Agent
