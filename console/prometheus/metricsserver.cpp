// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "metricsserver.h"

#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// One line for a person who opened the address in a browser or with curl.
QString explanation(int status)
{
    switch (status) {
    case 404:
        return MetricsServer::tr("Not found: this server answers only GET %1.").arg(QLatin1String(MetricsServer::PATH));
    case 405:
        return MetricsServer::tr("Only GET and HEAD are allowed on %1.").arg(QLatin1String(MetricsServer::PATH));
    case 431:
        return MetricsServer::tr("The request head is longer than %1 bytes.").arg(HttpRequestHead::MAX_BYTES);
    case 503:
        return MetricsServer::tr("Too many connections at once; try again shortly.");
    default:
        return MetricsServer::tr("The request is not one this server understands.");
    }
}

} // namespace

MetricsServer::MetricsServer(std::function<QByteArray()> body, QObject *parent)
    : QObject(parent)
    , m_body(std::move(body))
{
    connect(&m_server, &QTcpServer::newConnection, this, &MetricsServer::handleNewConnection);
}

MetricsServer::~MetricsServer()
{
    // A socket's destructor may emit disconnected(): nothing of ours may run then.
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        disconnect(it.key(), nullptr, this, nullptr);
}

bool MetricsServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    const QString where = address.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]:%2"_s.arg(address.toString()).arg(port)
        : u"%1:%2"_s.arg(address.toString()).arg(port);
    *error = tr("Cannot serve metrics on %1 (--metrics-listen): %2").arg(where, m_server.errorString());
    return false;
}

QString MetricsServer::url() const
{
    const QHostAddress address = m_server.serverAddress();
    const QString host
        = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']' : address.toString();
    return u"http://%1:%2%3"_s.arg(host).arg(m_server.serverPort()).arg(QLatin1String(PATH));
}

int MetricsServer::statusFor(const HttpRequestHead &head)
{
    switch (head.status) {
    case HttpRequestHead::Status::Complete:
        break;
    case HttpRequestHead::Status::TooLarge:
        return 431;
    case HttpRequestHead::Status::Incomplete:
    case HttpRequestHead::Status::Invalid:
        return 400;
    }
    if (head.path != PATH)
        return 404;
    return head.method == "GET" || head.method == "HEAD" ? 200 : 405;
}

void MetricsServer::handleNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this); // ours to delete (nextPendingConnection hands it over)
        const qsizetype served = m_connections.size() - m_refusing;
        if (served >= MAX_CONNECTIONS && m_refusing >= MAX_REFUSING) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_connections.insert(socket, {});
        socket->setReadBufferSize(HttpRequestHead::MAX_BYTES + 1); // Qt reads no further ahead than this
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { forget(socket); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] { forget(socket); });
        // The deadline covers the whole exchange: a peer that never finishes its request, or never
        // reads the answer, is cut off.
        auto *deadline = new QTimer(socket);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
        deadline->start(m_deadlineMs);
        if (served >= MAX_CONNECTIONS) {
            // Told 503 once its request is in: closing with the request unread would reset the
            // connection, and the peer might never see the answer.
            ++m_refusing;
            m_connections[socket].refused = true;
        }
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handleReadyRead(socket); });
        if (socket->bytesAvailable() > 0)
            handleReadyRead(socket);
    }
}

void MetricsServer::handleReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->answered) {
        socket->skip(socket->bytesAvailable()); // a body or a second request: not read
        return;
    }
    // Never hold more than one byte past the limit: enough to know the head is too long.
    it->received += socket->read(HttpRequestHead::MAX_BYTES + 1 - it->received.size());
    const HttpRequestHead head = HttpRequestHead::parse(it->received);
    if (head.status == HttpRequestHead::Status::Incomplete)
        return;
    answer(socket, it->refused ? 503 : statusFor(head), head.method != "HEAD");
}

void MetricsServer::answer(QTcpSocket *socket, int status, bool withBody)
{
    m_connections[socket].answered = true;
    const QByteArray body = status == 200 ? m_body() : (explanation(status) + u'\n').toUtf8();
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    response += "Content-Type: " + QByteArray(status == 200 ? CONTENT_TYPE : "text/plain; charset=utf-8") + "\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (status == 405)
        response += "Allow: GET, HEAD\r\n";
    response += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    if (withBody)
        response += body;
    socket->write(response);
    socket->disconnectFromHost(); // after the answer is written; the deadline still holds
}

void MetricsServer::forget(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    if (it->refused)
        --m_refusing;
    m_connections.erase(it);
    disconnect(socket, nullptr, this, nullptr);
    socket->deleteLater();
}

} // namespace StreamSwarm::Console
