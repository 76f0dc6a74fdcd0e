// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include "console/prometheus/httprequesthead.h"

class QTcpSocket;

namespace StreamSwarm::Console {

// A small plain-HTTP/1.1 server with one job: answer GET (and HEAD) /metrics with the text that
// body() makes, for Prometheus to scrape. Every connection is bounded: a request head of at most
// HttpRequestHead::MAX_BYTES, CONNECTION_DEADLINE_MS to send it and read the answer, at most
// MAX_CONNECTIONS at a time (the next few get 503, any beyond are cut), one request each (Connection:
// close). Lives on the thread that made it; body() is called there.
class MetricsServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsServer)
public:
    static constexpr int MAX_CONNECTIONS = 16;
    static constexpr int MAX_REFUSING = 16; // told 503 while the served ones are full
    static constexpr int CONNECTION_DEADLINE_MS = 10000;
    static constexpr char PATH[] = "/metrics";
    static constexpr char CONTENT_TYPE[] = "text/plain; version=0.0.4; charset=utf-8";

    explicit MetricsServer(std::function<QByteArray()> body, QObject *parent = nullptr);
    ~MetricsServer() override;

    // On failure returns false and one line in error (the address taken, not ours to use ...).
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QString url() const; // http://127.0.0.1:9464/metrics
    int connectionCount() const { return int(m_connections.size()); }
    void setConnectionDeadline(int ms) { m_deadlineMs = ms; } // tests; for connections made from now on

    // The status a complete or failed head gets: 200 for GET or HEAD /metrics, 404 for another path,
    // 405 for another method on /metrics, 400 for junk, 431 for a head too long.
    static int statusFor(const HttpRequestHead &head);

private:
    struct Connection
    {
        QByteArray received;
        bool answered = false;
        bool refused = false; // over MAX_CONNECTIONS: told 503
    };

    void handleNewConnection();
    void handleReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int status, bool withBody);
    void forget(QTcpSocket *socket);

    QTcpServer m_server;
    std::function<QByteArray()> m_body;
    QHash<QTcpSocket *, Connection> m_connections; // parented to this; refused ones too
    int m_refusing = 0;
    int m_deadlineMs = CONNECTION_DEADLINE_MS;
};

} // namespace StreamSwarm::Console
