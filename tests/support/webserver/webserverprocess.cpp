// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "webserverprocess.h"

#include <algorithm>

#include <QDeadlineTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

namespace {

constexpr int READY_TIMEOUT_MS = 10000;

bool setError(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

WebServerProcess::~WebServerProcess()
{
    stop();
}

bool WebServerProcess::start(const QString &certificateFile, const QString &keyFile, QString *error)
{
    QStringList arguments;
    m_tls = !certificateFile.isEmpty();
    if (m_tls)
        arguments << u"--cert"_s << certificateFile << u"--key"_s << keyFile;
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(QStringLiteral(STREAMSWARM_TEST_WEB), arguments);
    if (!m_process.waitForStarted(READY_TIMEOUT_MS))
        return setError(error, u"streamswarm-test-web did not start: "_s + m_process.errorString());
    const QDeadlineTimer deadline(READY_TIMEOUT_MS);
    while (!m_process.canReadLine()) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning) {
            return setError(error,
                u"streamswarm-test-web did not get ready: "_s + QString::fromUtf8(m_process.readAllStandardError()));
        }
        m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    const QByteArray line = m_process.readLine().trimmed();
    if (!line.startsWith("ready "))
        return setError(error, u"streamswarm-test-web said '%1' instead of ready"_s.arg(QString::fromUtf8(line)));
    m_port = quint16(line.mid(6).toUInt());
    return true;
}

void WebServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString WebServerProcess::baseUrl(const QString &host) const
{
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return u"%1://%2:%3"_s.arg(m_tls ? u"https"_s : u"http"_s, shownHost).arg(m_port);
}

} // namespace StreamSwarm::Test
