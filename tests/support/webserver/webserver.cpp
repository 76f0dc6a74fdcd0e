// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "webserver.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslSocket>

#include "tests/support/webserver/webconnection.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

WebServer::WebServer(QObject *parent)
    : QTcpServer(parent)
{ }

bool WebServer::useTls(const QString &certificateFile, const QString &keyFile, QString *error)
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

void WebServer::incomingConnection(qintptr descriptor)
{
    if (m_chain.isEmpty()) {
        auto *socket = new QTcpSocket;
        socket->setSocketDescriptor(descriptor);
        new WebConnection(socket, this);
        return;
    }
    auto *socket = new QSslSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    QSslConfiguration configuration = socket->sslConfiguration();
    configuration.setLocalCertificateChain(m_chain);
    configuration.setPrivateKey(m_key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    socket->setSslConfiguration(configuration);
    new WebConnection(socket, this);
    socket->startServerEncryption();
}

} // namespace StreamSwarm::Test
