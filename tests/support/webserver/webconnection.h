// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>

// One client connection of the suite's web server: reads HTTP/1.1 requests one after the other and
// answers each by its route. Deletes itself when the client goes. Main thread of the server.
namespace StreamSwarm::Test {

class WebConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebConnection)
public:
    // Takes the socket (a QSslSocket that is starting its handshake, for https).
    explicit WebConnection(QTcpSocket *socket, QObject *parent = nullptr);

private:
    struct Request
    {
        QByteArray method;
        QString path;
        QUrlQuery query;
        QHash<QByteArray, QByteArray> headers; // names in lower case
    };

    void handleReadable();
    void dispatch(const Request &request);
    void answer(const Request &request);
    void send(const Request &request, int status, const QByteArray &reason, const QByteArray &body,
        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void sendHead(const Request &request, int status, const QByteArray &reason, qint64 contentLength,
        const QList<QPair<QByteArray, QByteArray>> &headers,
        const QByteArray &contentType = "text/plain; charset=utf-8");
    void streamMore();
    void finishAnswer();
    bool keepAlive(const Request &request) const;

    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_busy = false; // a request is being answered (thinking, streaming or stalled)
    bool m_closeAfter = false;
    qint64 m_bodyLeft = 0; // bytes of the request's body (an upload) still to read and drop
    Request m_pending; // the request whose body is being read
    qint64 m_streamLeft = 0; // body bytes of a /big answer still to write
    qint64 m_streamOffset = 0;
};

} // namespace StreamSwarm::Test
