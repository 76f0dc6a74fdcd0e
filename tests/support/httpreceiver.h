// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

class QTcpSocket;

namespace StreamSwarm::Test {

// An in-process HTTP/1.1 server on 127.0.0.1 that plays a webhook's receiver: it records each request
// (method, path, fields, body) and answers with a programmed status (failNext(2, 500): two 500s, then
// the usual 200). Plain or, with useTls(), https. One request per connection (Connection: close);
// bounded: MAX_CONNECTIONS at a time, a head of MAX_HEAD bytes, a body of MAX_BODY, CONNECTION_DEADLINE_MS
// per connection. Test thread only: its event loop must run while a client talks to it.
class HttpReceiver final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpReceiver)
public:
    static constexpr int MAX_CONNECTIONS = 32;
    static constexpr qsizetype MAX_HEAD = 16 * 1024;
    static constexpr qsizetype MAX_BODY = 1024 * 1024;
    static constexpr int CONNECTION_DEADLINE_MS = 10000;

    struct Request
    {
        QByteArray method;
        QByteArray path; // the target as sent, query included
        QList<std::pair<QByteArray, QByteArray>> fields; // names in lower case
        QByteArray body;
        int answeredStatus = 0;
        bool overTls = false;
        qint64 receivedAtMs = 0; // QElapsedTimer's monotonic clock (msecsSinceReference)

        QByteArray field(const QByteArray &name) const; // the first with that name, case-insensitive
    };

    explicit HttpReceiver(QObject *parent = nullptr);
    ~HttpReceiver() override;

    // Serve https with this chain (leaf first) and key, both PEM; call before listen().
    bool useTls(const QString &certificateFile, const QString &keyFile, QString *error);
    bool listen(QString *error); // 127.0.0.1, a free port
    QString url(const QString &path = QStringLiteral("/hook")) const; // http(s)://127.0.0.1:PORT/hook

    void setStatus(int status) { m_status = status; } // what requests get when nothing else is programmed
    void failNext(int count, int status = 500);
    const QList<Request> &requests() const { return m_requests; }
    void clear() { m_requests.clear(); }

Q_SIGNALS:
    void requestReceived(const StreamSwarm::Test::HttpReceiver::Request &request);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void handleReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, int status);
    void forget(QTcpSocket *socket);

    QList<QSslCertificate> m_chain;
    QSslKey m_key;
    QHash<QTcpSocket *, QByteArray> m_received; // by open connection
    QList<Request> m_requests;
    int m_status = 200;
    int m_failures = 0;
    int m_failureStatus = 500;
};

} // namespace StreamSwarm::Test
