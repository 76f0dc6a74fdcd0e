// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// streamswarm-test-web run by a test: started, waited for (bounded) until it listens, stopped with
// the test. Test thread.
namespace StreamSwarm::Test {

class WebServerProcess
{
public:
    WebServerProcess() = default;
    ~WebServerProcess();
    Q_DISABLE_COPY_MOVE(WebServerProcess)

    // Plain http unless certificateFile and keyFile are given.
    bool start(
        const QString &certificateFile = QString(), const QString &keyFile = QString(), QString *error = nullptr);
    void stop();
    quint16 port() const { return m_port; }
    // "http://127.0.0.1:PORT" or "https://localhost:PORT" (host: what the URL names).
    QString baseUrl(const QString &host = QStringLiteral("127.0.0.1")) const;
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    quint16 m_port = 0;
    bool m_tls = false;
};

} // namespace StreamSwarm::Test
