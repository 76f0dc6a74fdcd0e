// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

// The suite's own HTTP/1.1 server (streamswarm-test-web): keep-alive, optional TLS, and routes that
// misbehave on purpose (think time, compression, redirects, stalls, huge bodies; see README.md beside
// it). Only ever listens on loopback or inside a lab namespace. Main thread of its program.
namespace StreamSwarm::Test {

class WebServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebServer)
public:
    explicit WebServer(QObject *parent = nullptr);

    // Serve https: the chain (leaf first) and its key, both PEM. False and a sentence when unreadable.
    bool useTls(const QString &certificateFile, const QString &keyFile, QString *error);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
};

} // namespace StreamSwarm::Test
