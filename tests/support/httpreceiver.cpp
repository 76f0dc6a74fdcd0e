// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httpreceiver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

QByteArray HttpReceiver::Request::field(const QByteArray &name) const
{
    const QByteArray lower = name.toLower();
    for (const auto &[fieldName, value] : fields) {
        if (fieldName == lower)
            return value;
    }
    return {};
}

HttpReceiver::HttpReceiver(QObject *parent)
    : QTcpServer(parent)
{ }

HttpReceiver::~HttpReceiver()
{
    // A socket that dies emits disconnected(); this object's members are gone by the time its children
    // are deleted, so the sockets go first, unheard.
    const QList<QTcpSocket *> sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets) {
        disconnect(socket, nullptr, this, nullptr);
        delete socket;
    }
}

bool HttpReceiver::useTls(const QString &certificateFile, const QString &keyFile, QString *error)
{
    m_chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    QFile key(keyFile);
    if (key.open(QIODevice::ReadOnly))
        m_key = QSslKey(&key, QSsl::Ec, QSsl::Pem);
    if (m_key.isNull() && key.seek(0))
        m_key = QSslKey(&key, QSsl::Rsa, QSsl::Pem);
    if (m_chain.isEmpty() || m_key.isNull()) {
        *error = u"cannot read the certificate %1 or the key %2"_s.arg(certificateFile, keyFile);
        return false;
    }
    return true;
}

bool HttpReceiver::listen(QString *error)
{
    if (QTcpServer::listen(QHostAddress::LocalHost, 0))
        return true;
    *error = errorString();
    return false;
}

QString HttpReceiver::url(const QString &path) const
{
    return u"%1://127.0.0.1:%2%3"_s.arg(m_chain.isEmpty() ? u"http"_s : u"https"_s).arg(serverPort()).arg(path);
}

void HttpReceiver::failNext(int count, int status)
{
    m_failures = count;
    m_failureStatus = status;
}

void HttpReceiver::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = m_chain.isEmpty() ? new QTcpSocket(this) : new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor) || m_received.size() >= MAX_CONNECTIONS) {
        delete socket;
        return;
    }
    m_received.insert(socket, QByteArray());
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handleReadyRead(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { forget(socket); });
    QTimer::singleShot(CONNECTION_DEADLINE_MS, socket, [socket] { socket->abort(); });
    if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
        QSslConfiguration configuration = tls->sslConfiguration();
        configuration.setLocalCertificateChain(m_chain);
        configuration.setPrivateKey(m_key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        tls->setSslConfiguration(configuration);
        tls->startServerEncryption();
    }
}

void HttpReceiver::handleReadyRead(QTcpSocket *socket)
{
    const auto found = m_received.find(socket);
    if (found == m_received.end())
        return;
    QByteArray &received = *found;
    received += socket->readAll();
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (received.size() > MAX_HEAD)
            answer(socket, 431);
        return;
    }
    if (headEnd > MAX_HEAD) {
        answer(socket, 431);
        return;
    }
    Request request;
    const QList<QByteArray> lines = received.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        answer(socket, 400);
        return;
    }
    request.method = requestLine[0];
    request.path = requestLine[1];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            answer(socket, 400);
            return;
        }
        request.fields.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    if (!request.field("transfer-encoding").isEmpty()) {
        answer(socket, 501); // the senders under test give a Content-Length
        return;
    }
    bool ok = true;
    const QByteArray lengthField = request.field("content-length");
    const qsizetype length = lengthField.isEmpty() ? 0 : lengthField.toLongLong(&ok);
    if (!ok || length < 0 || length > MAX_BODY) {
        answer(socket, ok && length > MAX_BODY ? 413 : 400);
        return;
    }
    if (received.size() < headEnd + 4 + length)
        return; // the rest of the body is on its way
    request.body = received.mid(headEnd + 4, length);
    request.overTls = qobject_cast<QSslSocket *>(socket) != nullptr;
    QElapsedTimer clock;
    clock.start();
    request.receivedAtMs = clock.msecsSinceReference();
    if (m_failures > 0) {
        --m_failures;
        request.answeredStatus = m_failureStatus;
    } else {
        request.answeredStatus = m_status;
    }
    m_requests.append(request);
    answer(socket, request.answeredStatus);
    Q_EMIT requestReceived(request);
}

void HttpReceiver::answer(QTcpSocket *socket, int status)
{
    m_received.remove(socket); // one request per connection: what comes after is not read
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QByteArray body = reasonPhrase(status) + '\n';
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}

void HttpReceiver::forget(QTcpSocket *socket)
{
    m_received.remove(socket);
    socket->deleteLater();
}

} // namespace StreamSwarm::Test
