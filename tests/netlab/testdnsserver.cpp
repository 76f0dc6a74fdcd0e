// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testdnsserver.h"

#include <csignal>

#include <sys/prctl.h>

#include <QDeadlineTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int READY_TIMEOUT_MS = 10000;
constexpr int STOP_TIMEOUT_MS = 5000;

} // namespace

TestDnsServer::TestDnsServer() = default;

TestDnsServer::~TestDnsServer()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(STOP_TIMEOUT_MS)) {
            m_process->kill();
            m_process->waitForFinished(STOP_TIMEOUT_MS);
        }
    }
}

QString TestDnsServer::program()
{
    return QStringLiteral(STREAMSWARM_TEST_DNS_PROGRAM);
}

bool TestDnsServer::start(const QStringList &records, const QStringList &options, QString *error)
{
    QStringList arguments = options;
    for (const QString &record : records)
        arguments << u"--record"_s << record;
    const auto listen = options.indexOf(u"--listen"_s);
    if (listen >= 0 && listen + 1 < options.size())
        m_address = QHostAddress(options.at(listen + 1));
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(program());
    m_process->setArguments(arguments);
    // The server dies with the test that started it, even when the test crashes.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start();
    const QDeadlineTimer deadline(READY_TIMEOUT_MS);
    QStringList lines;
    while (lines.size() < 2) {
        if (m_process->canReadLine()) {
            lines.append(QString::fromUtf8(m_process->readLine()).trimmed());
            continue;
        }
        if (deadline.hasExpired() || m_process->state() == QProcess::NotRunning) {
            m_process->waitForFinished(1000);
            *error = u"The test DNS server did not get ready: %1"_s.arg(
                QString::fromUtf8(m_process->readAllStandardError()).trimmed());
            return false;
        }
        m_process->waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    if (lines.at(0) != u"ready" || !lines.at(1).startsWith(u"port ")) {
        *error = u"The test DNS server said '%1' instead of ready."_s.arg(lines.join(u" / "_s));
        return false;
    }
    m_port = quint16(lines.at(1).mid(5).toUInt());
    return m_port != 0;
}

QString TestDnsServer::server() const
{
    return m_address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]:%2"_s.arg(m_address.toString()).arg(m_port)
                                                                 : u"%1:%2"_s.arg(m_address.toString()).arg(m_port);
}

QStringList TestDnsServer::answers()
{
    if (m_process) {
        while (m_process->canReadLine() || m_process->waitForReadyRead(0)) {
            if (!m_process->canReadLine())
                break;
            m_answers.append(QString::fromUtf8(m_process->readLine()).trimmed());
        }
    }
    return m_answers;
}

} // namespace StreamSwarm::NetLab
