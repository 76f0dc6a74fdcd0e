// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The dns test through the real programs: a headless console, an agent, `test add --type dns` on
// the CLI against the suite's DNS server on loopback, and the stored samples and details as
// `export --format json` gives them, for a name that resolves and one that does not.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "tests/netlab/testdnsserver.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Test;
using StreamSwarm::NetLab::TestDnsServer;

class TestDnsEndToEnd final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lookupsAreStoredAndExported();

private:
    QJsonObject exportJson(const QString &test) const;

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    std::unique_ptr<ManagedProcess> m_agent;
    TestDnsServer m_dns;
};

void TestDnsEndToEnd::initTestCase()
{
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_dns.start({u"www.example.com A 300 192.0.2.1"_s, u"www.example.com A 60 192.0.2.2"_s},
                 {u"--delay"_s, u"2ms"_s}, &error),
        qPrintable(error));
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"lab"_s, u"--uses"_s, u"1"_s});
    QCOMPARE(token.exitCode, 0);
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s,
            u"edge-dns"_s, u"--state-dir"_s, m_dir.filePath(u"agent"_s), u"--insecure"_s});
    QVERIFY(m_agent->start());
    QVERIFY2(m_console->process().waitForOutput(u"agent edge-dns online"_s, 15000),
        qPrintable(m_console->process().output() + m_agent->output()));
}

QJsonObject TestDnsEndToEnd::exportJson(const QString &test) const
{
    const CommandResult result = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, test});
    return QJsonDocument::fromJson(result.out.toUtf8()).object();
}

void TestDnsEndToEnd::lookupsAreStoredAndExported()
{
    for (const auto &[name, target] :
        {std::pair{u"lookup"_s, u"www.example.com"_s}, std::pair{u"missing"_s, u"nothing.example.com"_s}}) {
        const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, name, u"--type"_s, u"dns"_s,
            u"--target"_s, target, u"--interval"_s, u"500ms"_s, u"--duration"_s, u"2s"_s, u"--agents"_s, u"edge-dns"_s,
            u"--param"_s, u"server="_s + m_dns.server(), u"--param"_s, u"timeout=400ms"_s});
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    }
    QVERIFY2(m_agent->waitForOutput(u"stopped test lookup"_s, 15000), qPrintable(m_agent->output()));
    QVERIFY2(m_agent->waitForOutput(u"stopped test missing"_s, 15000), qPrintable(m_agent->output()));

    // The name that resolves: lookup times, RCODE 0, two answers, and the answers in the details.
    QJsonObject exported;
    QTRY_VERIFY_WITH_TIMEOUT((exported = exportJson(u"lookup"_s))[u"samples"_s].toArray().size() >= 3 * 4, 5000);
    int lookups = 0;
    for (const QJsonValue &sample : exported[u"samples"_s].toArray()) {
        const QString metric = sample[u"metric"_s].toString();
        const double value = sample[u"value"_s].toDouble();
        if (metric == u"dns.lookup_ms") {
            ++lookups;
            QVERIFY2(value >= 2 && value < 400, qPrintable(QString::number(value)));
            QCOMPARE(sample[u"unit"_s].toString(), u"ms"_s);
        } else if (metric == u"dns.answers") {
            QCOMPARE(value, 2.0);
        } else if (metric == u"dns.rcode") {
            QCOMPARE(value, 0.0);
        } else if (metric == u"dns.ttl_min_s") {
            QCOMPARE(value, 60.0);
        }
    }
    qInfo("%d lookups stored", lookups);
    QVERIFY(lookups >= 3);
    const QJsonArray details = exported[u"details"_s].toArray();
    QCOMPARE(details.size(), lookups);
    const QJsonObject body = details.first()[u"body"_s].toObject();
    QCOMPARE(details.first()[u"kind"_s].toString(), u"dns"_s);
    QCOMPARE(body[u"server"_s].toString(), m_dns.server());
    QCOMPARE(body[u"rcode"_s].toString(), u"NOERROR"_s);
    QCOMPARE(body[u"answers"_s].toArray().size(), 2);
    QCOMPARE(body[u"answers"_s].toArray().first()[u"data"_s].toString(), u"192.0.2.1"_s);

    // The name that does not exist: the round failed, and its values are stored all the same.
    QTRY_VERIFY_WITH_TIMEOUT((exported = exportJson(u"missing"_s))[u"details"_s].toArray().size() >= 3, 5000);
    int rcodes = 0;
    for (const QJsonValue &sample : exported[u"samples"_s].toArray()) {
        if (sample[u"metric"_s].toString() == u"dns.rcode") {
            ++rcodes;
            QCOMPARE(sample[u"value"_s].toDouble(), 3.0);
        }
    }
    const QJsonArray failed = exported[u"details"_s].toArray();
    QCOMPARE(rcodes, failed.size());
    const QJsonObject failure = failed.first()[u"body"_s].toObject();
    QCOMPARE(failure[u"rcode"_s].toString(), u"NXDOMAIN"_s);
    QCOMPARE(failure[u"error"_s].toString(),
        u"The name nothing.example.com does not exist (NXDOMAIN), answered by %1."_s.arg(m_dns.server()));
}

QTEST_GUILESS_MAIN(TestDnsEndToEnd)
#include "tst_dnsendtoend.moc"
