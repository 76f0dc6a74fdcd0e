// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <chrono>
#include <memory>

#include <QObject>
#include <QSocketNotifier>
#include <QStringList>

#include <openssl/ssl.h>

// One TLS client handshake on an open TCP socket, driven by the event loop: SSL_do_handshake() is
// called again whenever OpenSSL's wish (read or write) can be met, so nothing blocks. Timed with the
// steady clock from the first ClientHello to the handshake's end. Main thread.
namespace StreamSwarm::Agent {

class TlsHandshake final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsHandshake)
public:
    explicit TlsHandshake(QObject *parent = nullptr);
    ~TlsHandshake() override; // ends a session still held and closes its socket

    struct Settings
    {
        QString serverName; // SNI and the certificate's expected name; empty: none (an address)
        QString address; // the expected address when there is no server name
        QStringList alpn;
    };

    // Takes over socket (closed with this session) and starts: finished() follows from the event
    // loop. False and a sentence when the session cannot be set up (the socket is closed then).
    bool start(int socket, SSL_CTX *context, const Settings &settings, QString *error);
    // Ends the session (a close_notify when the handshake was done) and closes the socket; no
    // finished() follows.
    void close();

    bool isRunning() const { return m_read != nullptr; }
    double handshakeMs() const { return m_handshakeMs; }
    // After finished(true): the session, to read what was agreed; valid until close().
    SSL *session() const { return m_ssl; }
    // After finished(false): why, in plain words ("the server closed the connection during the handshake").
    QString failure() const { return m_failure; }

Q_SIGNALS:
    void finished(bool done);

private:
    void step();
    void fail(const QString &reason);

    SSL *m_ssl = nullptr;
    int m_socket = -1;
    std::unique_ptr<QSocketNotifier> m_read;
    std::unique_ptr<QSocketNotifier> m_write;
    std::chrono::steady_clock::time_point m_started;
    double m_handshakeMs = 0;
    QString m_failure;
};

} // namespace StreamSwarm::Agent
