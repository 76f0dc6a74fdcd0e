// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "agent/probes/ping/pingprobe.h"
#include "agent/probes/traceroute/tracerouteprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"
#include "tests/netlab/lab.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Test;
using StreamSwarm::NetLab::InNamespace;

namespace {

constexpr int ROUND_WAIT_MS = 15000;
const QString NOWHERE = u"no-such-host.invalid"_s;
// TEST-NET-1 (RFC 5737): in a namespace with nothing but loopback there is no route to it, so
// the kernel refuses every send and nothing leaves.
const QString UNROUTED = u"192.0.2.1"_s;

Protocol::TestSpec spec(const QString &type, const QString &target, const QMap<QString, QString> &params)
{
    Protocol::TestSpec test;
    test.id = 5;
    test.name = u"failing"_s;
    test.type = type;
    test.target = target;
    test.intervalMs = 5000;
    test.params = params;
    return test;
}

std::unique_ptr<Agent::Probe> makeProbe(const Protocol::TestSpec &test)
{
    QString error;
    if (test.type == u"ping") {
        Validation::PingParams params;
        if (!Validation::parsePingParams(test, &params, &error))
            qFatal("%s", qPrintable(error));
        return std::make_unique<Agent::PingProbe>(test, params);
    }
    Validation::TracerouteParams params;
    if (!Validation::parseTracerouteParams(test, &params, &error))
        qFatal("%s", qPrintable(error));
    return std::make_unique<Agent::TracerouteProbe>(test, params);
}

std::optional<Protocol::Round> runRound(Agent::Probe &probe)
{
    QSignalSpy finished(&probe, &Agent::Probe::roundFinished);
    probe.startRound(1000);
    if (!finished.wait(ROUND_WAIT_MS) || finished.size() != 1)
        return std::nullopt;
    return finished.takeFirst().at(0).value<Protocol::Round>();
}

std::optional<double> valueOf(const Protocol::Round &round, const char16_t *metric)
{
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == QString::fromUtf16(metric))
            return value.value;
    }
    return std::nullopt;
}

} // namespace

// A round that ran and failed is a failure in the history, with its reason, never a silent gap:
// the probes report what failing means for their figures, and the console keeps every reason.
class TestFailedRounds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void unresolvableNameIsTotalLoss_data();
    void unresolvableNameIsTotalLoss();
    void noRouteIsTotalLoss_data();
    void noRouteIsTotalLoss();
    void consoleKeepsEveryFailedRound();

private:
    QString m_namespace;
};

void TestFailedRounds::initTestCase()
{
    qRegisterMetaType<Protocol::Round>();
    if (::geteuid() != 0)
        return;
    m_namespace = u"ssfail%1"_s.arg(QCoreApplication::applicationPid());
    QCOMPARE(QProcess::execute(u"ip"_s, {u"netns"_s, u"add"_s, m_namespace}), 0);
    QCOMPARE(QProcess::execute(u"ip"_s, {u"-n"_s, m_namespace, u"link"_s, u"set"_s, u"lo"_s, u"up"_s}), 0);
}

void TestFailedRounds::cleanupTestCase()
{
    if (!m_namespace.isEmpty())
        QProcess::execute(u"ip"_s, {u"netns"_s, u"delete"_s, m_namespace});
}

void TestFailedRounds::unresolvableNameIsTotalLoss_data()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("ping") << u"ping"_s;
    QTest::newRow("traceroute") << u"traceroute"_s;
}

void TestFailedRounds::unresolvableNameIsTotalLoss()
{
    QFETCH(QString, type);
    const auto probe = makeProbe(spec(type, NOWHERE, {{u"timeout"_s, u"1s"_s}}));
    const auto round = runRound(*probe);
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(round->error.contains(NOWHERE), qPrintable(round->error));
    if (type == u"ping") {
        QCOMPARE(valueOf(*round, Metric::PingLoss), 100.0);
        QCOMPARE(valueOf(*round, Metric::PingSent), 0.0);
        QVERIFY(!valueOf(*round, Metric::PingRttAvg));
    } else {
        QCOMPARE(valueOf(*round, Metric::TracerouteReached), 0.0);
        QCOMPARE(valueOf(*round, Metric::TracerouteDestLoss), 100.0);
        QVERIFY(!valueOf(*round, Metric::TracerouteDestRtt));
    }
}

void TestFailedRounds::noRouteIsTotalLoss_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("protocol");
    QTest::newRow("ping") << u"ping"_s << QString();
    QTest::newRow("traceroute icmp") << u"traceroute"_s << u"icmp"_s;
    QTest::newRow("traceroute udp") << u"traceroute"_s << u"udp"_s;
}

void TestFailedRounds::noRouteIsTotalLoss()
{
    if (m_namespace.isEmpty())
        QSKIP("needs root for a network namespace of its own (CI runs as root)");
    QFETCH(QString, type);
    QFETCH(QString, protocol);
    QMap<QString, QString> params{{u"timeout"_s, u"500ms"_s}};
    if (!protocol.isEmpty()) {
        params.insert(u"protocol"_s, protocol);
        params.insert(u"max-hops"_s, u"4"_s);
    }
    const auto probe = makeProbe(spec(type, UNROUTED, params));
    InNamespace inside(m_namespace);
    QVERIFY(inside.entered());
    const auto round = runRound(*probe);
    QVERIFY2(round, "the round did not finish");
    QVERIFY2(!round->error.isEmpty(), "a round with no route must say why it failed");
    QVERIFY2(round->error.contains(UNROUTED), qPrintable(round->error));
    if (type == u"ping") {
        QCOMPARE(valueOf(*round, Metric::PingLoss), 100.0);
    } else {
        QCOMPARE(valueOf(*round, Metric::TracerouteReached), 0.0);
        QCOMPARE(valueOf(*round, Metric::TracerouteDestLoss), 100.0);
    }
}

void TestFailedRounds::consoleKeepsEveryFailedRound()
{
    QTemporaryDir dir;
    ConsoleHarness console(dir.filePath(u"console"_s));
    QVERIFY2(console.start(), qPrintable(console.process().output()));
    const QString token = console.cli({u"token"_s, u"create"_s, u"t"_s}).out.trimmed();
    ManagedProcess agent(agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--insecure"_s, u"--name"_s, u"edge-1"_s, u"--state-dir"_s,
            dir.filePath(u"agent"_s), u"--token"_s, token});
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"online as edge-1"_s, 10000), qPrintable(agent.output()));
    const CommandResult added = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"gone"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, NOWHERE, u"--interval"_s, u"500ms"_s, u"--continuous"_s, u"--agents"_s, u"edge-1"_s});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));

    // Every round: 100 % loss as a sample, and the reason beside it.
    const auto exported = [&] {
        return QJsonDocument::fromJson(
            console.cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, u"gone"_s}).out.toUtf8())
            .object();
    };
    QJsonObject json;
    const auto lossRows = [&] {
        json = exported();
        const QJsonArray samples = json[u"samples"_s].toArray();
        return std::count_if(samples.cbegin(), samples.cend(), [](const QJsonValue &sample) {
            return sample[u"metric"_s].toString() == u"ping.loss_pct"_s && sample[u"value"_s].toDouble() == 100.0;
        });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(lossRows() >= 4, qPrintable(QString::fromUtf8(QJsonDocument(json).toJson())), 20000);
    const QJsonArray samples = json[u"samples"_s].toArray();
    const QJsonArray details = json[u"details"_s].toArray();
    QSet<QString> roundTimes;
    for (const QJsonValue &sample : samples) {
        if (sample[u"metric"_s].toString() == u"ping.loss_pct"_s)
            roundTimes.insert(sample[u"time"_s].toString());
    }
    QSet<QString> explained;
    for (const QJsonValue &detail : details) {
        if (detail[u"body"_s][u"error"_s].toString().contains(NOWHERE))
            explained.insert(detail[u"time"_s].toString());
    }
    QVERIFY2(roundTimes.subtract(explained).isEmpty(), "a failed round was stored without its reason");
}

QTEST_GUILESS_MAIN(TestFailedRounds)
#include "tst_failedrounds.moc"
