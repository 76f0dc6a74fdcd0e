// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QHostAddress>
#include <QProcess>
#include <QStringList>

namespace StreamSwarm::NetLab {

// The suite's DNS server (streamswarm-test-dns) as a running process, for tests and benchmarks:
// started with programmed records and options on loopback (or wherever --listen says), ready to
// answer when start() returns, ended (SIGTERM, then SIGKILL) when destroyed. Test thread.
class TestDnsServer
{
public:
    TestDnsServer();
    ~TestDnsServer();
    TestDnsServer(const TestDnsServer &) = delete;
    TestDnsServer &operator=(const TestDnsServer &) = delete;

    // records: "NAME TYPE TTL DATA" each; options: "--delay", "20ms", "--truncate" ... Waits (bounded)
    // for the server to listen; false with a sentence when it does not.
    bool start(const QStringList &records, const QStringList &options, QString *error);
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }
    // "127.0.0.1:PORT", as the dns test's server parameter takes it.
    QString server() const;
    // The lines it printed about its answers so far ("udp www.example.com A NOERROR 1").
    QStringList answers();

    static QString program();

private:
    std::unique_ptr<QProcess> m_process;
    QHostAddress m_address = QHostAddress::LocalHost;
    quint16 m_port = 0;
    QStringList m_answers;
};

} // namespace StreamSwarm::NetLab
