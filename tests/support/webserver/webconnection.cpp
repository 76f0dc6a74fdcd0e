// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "webconnection.h"

#include <algorithm>
#include <chrono>

#include <QTimer>
#include <QUrl>

#include "tests/support/webserver/payload.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

namespace {

constexpr qsizetype MAX_HEAD_BYTES = 64 * 1024;
constexpr qint64 STREAM_CHUNK = 64 * 1024;
constexpr qint64 STREAM_BUFFERED = 512 * 1024; // what a /big answer keeps queued in the socket
constexpr qint64 MAX_THINK_MS = 600'000;
constexpr qint64 MAX_BODY_BYTES = qint64(2) * 1024 * 1024 * 1024; // an upload read and dropped

qint64 queryNumber(const QUrlQuery &query, const QString &key, qint64 fallback)
{
    bool ok = false;
    const qint64 value = query.queryItemValue(key).toLongLong(&ok);
    return ok && value >= 0 ? value : fallback;
}

const QByteArray &streamChunk()
{
    static const QByteArray chunk = knownPayload(STREAM_CHUNK);
    return chunk;
}

} // namespace

WebConnection::WebConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &WebConnection::handleReadable);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(socket, &QTcpSocket::bytesWritten, this, &WebConnection::streamMore);
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState)
            deleteLater();
    });
}

void WebConnection::handleReadable()
{
    if (!m_socket)
        return;
    if (m_bodyLeft > 0) { // a request's body (an upload): read and dropped, then it is answered
        const qint64 taken = std::min<qint64>(m_bodyLeft, m_buffer.size());
        m_buffer.remove(0, taken);
        m_bodyLeft -= taken;
        if (m_bodyLeft > 0)
            m_bodyLeft -= m_socket->skip(m_bodyLeft);
        if (m_bodyLeft == 0 && m_socket->bytesAvailable() > 0)
            m_buffer += m_socket->readAll(); // the next request's head
        if (m_bodyLeft == 0)
            dispatch(m_pending);
        return;
    }
    m_buffer += m_socket->readAll();
    if (m_busy)
        return; // the next request waits for this answer (no pipelining)
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > MAX_HEAD_BYTES)
            m_socket->abort();
        return;
    }
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    Request request;
    request.method = requestLine.value(0);
    const QUrl target(QString::fromLatin1(requestLine.value(1)));
    request.path = target.path();
    request.query = QUrlQuery(target);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            request.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    m_busy = true;
    const qint64 bodyBytes
        = std::clamp<qint64>(request.headers.value("content-length").toLongLong(), 0, MAX_BODY_BYTES);
    if (bodyBytes > 0) {
        m_bodyLeft = bodyBytes;
        m_pending = request;
        handleReadable(); // takes what of the body came with the head
        return;
    }
    dispatch(request);
}

void WebConnection::dispatch(const Request &request)
{
    // The think time comes before the answer's first byte: it is what a client's TTFB should show.
    const qint64 thinkMs = std::min(queryNumber(request.query, u"ms"_s, 0), MAX_THINK_MS);
    if (thinkMs > 0)
        QTimer::singleShot(
            std::chrono::milliseconds(thinkMs), Qt::PreciseTimer, this, [this, request] { answer(request); });
    else
        answer(request);
}

bool WebConnection::keepAlive(const Request &request) const
{
    return request.query.queryItemValue(u"close"_s) != u"1" && request.headers.value("connection").toLower() != "close";
}

void WebConnection::answer(const Request &request)
{
    if (!m_socket)
        return;
    const QString &path = request.path;
    if (path == u"/" || path == u"/think") {
        const qint64 size = queryNumber(request.query, u"size"_s, -1);
        send(request, 200, "OK", size >= 0 ? knownPayload(size) : QByteArray("ok\n"));
    } else if (path == u"/payload") {
        const QByteArray raw = knownPayload(queryNumber(request.query, u"size"_s, 100'000));
        const QByteArray accepted = request.headers.value("accept-encoding");
        QString coding = request.query.queryItemValue(u"encoding"_s);
        if (coding.isEmpty())
            coding = accepted.contains("gzip") ? u"gzip"_s
                : accepted.contains("deflate") ? u"deflate"_s
                                               : u"identity"_s;
        const ContentCoding chosen = coding == u"gzip" ? ContentCoding::Gzip
            : coding == u"deflate"                     ? ContentCoding::Deflate
                                                       : ContentCoding::Identity;
        QList<QPair<QByteArray, QByteArray>> headers{
            {"X-Raw-Size", QByteArray::number(raw.size())}, {"Vary", "Accept-Encoding"}};
        if (chosen != ContentCoding::Identity)
            headers.append({"Content-Encoding", coding.toLatin1()});
        send(request, 200, "OK", encodeContent(raw, chosen), headers);
    } else if (path == u"/redirect") {
        const qint64 left = queryNumber(request.query, u"n"_s, 1);
        if (left <= 0)
            send(request, 200, "OK", "arrived\n");
        else
            send(request, 302, "Found", "", {{"Location", QByteArray("/redirect?n=") + QByteArray::number(left - 1)}});
    } else if (path == u"/loop") {
        send(request, 302, "Found", "", {{"Location", "/loop"}});
    } else if (path == u"/status") {
        const int code = int(std::clamp<qint64>(queryNumber(request.query, u"code"_s, 200), 200, 599));
        send(request, code, "Programmed Status", QByteArray("status ") + QByteArray::number(code) + '\n');
    } else if (path == u"/stall") {
        // Promise twice what is sent, send the first part, then keep the connection open and silent.
        const qint64 after = queryNumber(request.query, u"after"_s, 1'200'000);
        sendHead(request, 200, "OK", after * 2, {});
        if (request.method != "HEAD")
            m_socket->write(knownPayload(after));
    } else if (path == u"/garbage.php") {
        // LibreSpeed's download: ckSize MiB of data (at most 1024), sent as the client reads it.
        const qint64 size = std::clamp<qint64>(queryNumber(request.query, u"ckSize"_s, 4), 1, 1024) * 1024 * 1024;
        sendHead(request, 200, "OK", size, {{"Content-Description", "File Transfer"}}, "application/octet-stream");
        m_streamLeft = request.method == "HEAD" ? 0 : size;
        m_streamOffset = 0;
        streamMore();
    } else if (path == u"/empty.php") {
        send(request, 200, "OK", ""); // LibreSpeed's upload: the body was read and dropped
    } else if (path == u"/big") {
        const qint64 size = queryNumber(request.query, u"size"_s, 100'000'000);
        sendHead(request, 200, "OK", size, {});
        m_streamLeft = request.method == "HEAD" ? 0 : size;
        m_streamOffset = 0;
        streamMore();
    } else {
        send(request, 404, "Not Found", "no such route\n");
    }
}

void WebConnection::sendHead(const Request &request, int status, const QByteArray &reason, qint64 contentLength,
    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &contentType)
{
    m_closeAfter = !keepAlive(request);
    QByteArray head = QByteArray("HTTP/1.1 ") + QByteArray::number(status) + ' ' + reason + "\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += QByteArray("Content-Length: ") + QByteArray::number(contentLength) + "\r\n";
    head += m_closeAfter ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    m_socket->write(head);
}

void WebConnection::send(const Request &request, int status, const QByteArray &reason, const QByteArray &body,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    sendHead(request, status, reason, body.size(), headers);
    if (request.method != "HEAD")
        m_socket->write(body);
    finishAnswer();
}

void WebConnection::streamMore()
{
    if (!m_socket || m_streamLeft <= 0)
        return;
    while (m_streamLeft > 0 && m_socket->bytesToWrite() < STREAM_BUFFERED) {
        const qint64 size = std::min(m_streamLeft, STREAM_CHUNK);
        m_socket->write(streamChunk().constData(), size);
        m_streamLeft -= size;
        m_streamOffset += size;
    }
    if (m_streamLeft == 0)
        finishAnswer();
}

void WebConnection::finishAnswer()
{
    m_busy = false;
    if (m_closeAfter) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_buffer.isEmpty())
        QTimer::singleShot(0, this, &WebConnection::handleReadable);
}

} // namespace StreamSwarm::Test
