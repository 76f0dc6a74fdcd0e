// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tlshandshake.h"

#include <QMetaObject>

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// OpenSSL's reason for the last failure on this thread, e.g. "tlsv1 alert protocol version".
QString openSslReason()
{
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (!code)
        return QString();
    const char *reason = ERR_reason_error_string(code);
    return reason ? QString::fromLatin1(reason) : u"error %1"_s.arg(code, 0, 16);
}

} // namespace

TlsHandshake::TlsHandshake(QObject *parent)
    : QObject(parent)
{ }

TlsHandshake::~TlsHandshake()
{
    close();
}

bool TlsHandshake::start(int socket, SSL_CTX *context, const Settings &settings, QString *error)
{
    close();
    m_socket = socket;
    m_handshakeMs = 0;
    m_failure.clear();
    ERR_clear_error();
    m_ssl = SSL_new(context);
    bool ready = m_ssl && SSL_set_fd(m_ssl, socket) == 1;
    if (ready && !settings.serverName.isEmpty()) {
        const QByteArray name = settings.serverName.toUtf8();
        ready = SSL_set_tlsext_host_name(m_ssl, name.constData()) == 1 && SSL_set1_host(m_ssl, name.constData()) == 1;
    } else if (ready && !settings.address.isEmpty()) {
        ready = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(m_ssl), settings.address.toLatin1().constData()) == 1;
    }
    if (ready && !settings.alpn.isEmpty()) {
        QByteArray wire; // RFC 7301: each protocol id after its length byte
        for (const QString &protocol : settings.alpn)
            wire += char(protocol.size()) + protocol.toLatin1();
        // SSL_set_alpn_protos() returns 0 on success.
        ready = SSL_set_alpn_protos(
                    m_ssl, reinterpret_cast<const unsigned char *>(wire.constData()), unsigned(wire.size()))
            == 0;
    }
    if (!ready) {
        *error = tr("Cannot set up a TLS session (OpenSSL: %1).").arg(openSslReason());
        close();
        return false;
    }
    SSL_set_connect_state(m_ssl);
    m_read = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Read);
    m_write = std::make_unique<QSocketNotifier>(socket, QSocketNotifier::Write);
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read.get(), &QSocketNotifier::activated, this, &TlsHandshake::step);
    connect(m_write.get(), &QSocketNotifier::activated, this, &TlsHandshake::step);
    m_started = std::chrono::steady_clock::now();
    // The ClientHello goes out now; what follows comes from the event loop.
    QMetaObject::invokeMethod(this, &TlsHandshake::step, Qt::QueuedConnection);
    return true;
}

void TlsHandshake::step()
{
    if (!m_ssl || !m_read)
        return;
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - m_started;
        m_handshakeMs = took.count();
        m_read.reset();
        m_write.reset();
        Q_EMIT finished(true);
        return;
    }
    switch (SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        m_write->setEnabled(false);
        m_read->setEnabled(true);
        return;
    case SSL_ERROR_WANT_WRITE:
        m_read->setEnabled(false);
        m_write->setEnabled(true);
        return;
    case SSL_ERROR_ZERO_RETURN:
        fail(tr("the server closed the connection during the TLS handshake"));
        return;
    case SSL_ERROR_SYSCALL: {
        const QString reason = openSslReason();
        fail(reason.isEmpty() ? tr("the server closed the connection during the TLS handshake (is it a TLS port?)")
                              : tr("the TLS handshake failed: %1").arg(reason));
        return;
    }
    default:
        break;
    }
    const QString reason = openSslReason();
    if (reason.contains(u"wrong version number"_s))
        fail(tr("the server did not answer in TLS (is it a TLS port?)"));
    else
        fail(tr("the TLS handshake failed: %1").arg(reason.isEmpty() ? tr("unknown reason") : reason));
}

void TlsHandshake::fail(const QString &reason)
{
    m_failure = reason;
    m_read.reset();
    m_write.reset();
    Q_EMIT finished(false);
}

void TlsHandshake::close()
{
    m_read.reset();
    m_write.reset();
    if (m_ssl) {
        if (SSL_is_init_finished(m_ssl))
            SSL_shutdown(m_ssl); // one close_notify, not waiting for the server's
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    if (m_socket >= 0)
        ::close(m_socket);
    m_socket = -1;
    ERR_clear_error();
}

} // namespace StreamSwarm::Agent
