// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The system test on this machine, against truths it does not compute itself: a known number of
// datagrams of a known size sent over a lab link that nothing else uses (root-namespace subnet
// 10.224.1.0/30), what free, df and nproc say about the host, and the kernel's own TCP counters
// around a transfer over a lossy link between two lab namespaces (10.224.2.0/30).
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <unistd.h>

#include "agent/platform/linux/system/linuxsystemreader.h"
#include "agent/probes/system/systemprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "tests/netlab/lab.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;
using namespace StreamSwarm::NetLab;

namespace {

constexpr int DATAGRAMS = 1000;
constexpr int PAYLOAD = 1000;
// On a veth the counters count whole Ethernet frames: 14 header bytes, 20 IPv4, 8 UDP.
constexpr int FRAME_BYTES = PAYLOAD + 8 + 20 + 14;
// Besides our datagrams, ARP for the peer: a handful of small frames at most.
constexpr int NOISE_PACKETS = 6;
constexpr int NOISE_BYTES = NOISE_PACKETS * 100;

Protocol::TestSpec systemSpec(qint64 intervalMs, const QString &interfaces = {})
{
    Protocol::TestSpec spec;
    spec.id = 9;
    spec.name = u"host"_s;
    spec.type = u"system"_s;
    spec.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    spec.intervalMs = intervalMs;
    if (!interfaces.isEmpty())
        spec.params.insert(u"interfaces"_s, interfaces);
    return spec;
}

// Sends DATAGRAMS datagrams of PAYLOAD bytes to the peer; the peer need not listen, they cross the
// link all the same (its port-unreachable answers come back on the other counters).
bool sendDatagrams(const QHostAddress &peer)
{
    QUdpSocket socket;
    const QByteArray payload(PAYLOAD, 'x');
    for (int i = 0; i < DATAGRAMS; ++i) {
        if (socket.writeDatagram(payload, peer, 9) != PAYLOAD)
            return false;
        if (i % 50 == 49)
            QTest::qWait(1); // leave the veth's queue room
    }
    return true;
}

const InterfaceCounters *counters(const SystemSnapshot &snapshot, const QString &name)
{
    for (const InterfaceCounters &c : snapshot.interfaces) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QHash<QString, double> valuesOf(const Protocol::Round &round)
{
    QHash<QString, double> values;
    for (const Protocol::MetricValue &value : round.values)
        values.insert(value.metric, value.value);
    return values;
}

std::optional<Protocol::Round> runRound(SystemProbe &probe, qint64 *tookMs = nullptr)
{
    QSignalSpy finished(&probe, &Probe::roundFinished);
    QElapsedTimer timer;
    timer.start();
    probe.startRound(QDateTime::currentMSecsSinceEpoch());
    if (finished.isEmpty() && !finished.wait(5000))
        return std::nullopt;
    if (tookMs)
        *tookMs = timer.elapsed();
    return finished.first().first().value<Protocol::Round>();
}

// The TCP counters of the namespace this thread is in, as the test reads them itself: each table
// of /proc/net/snmp and /proc/net/netstat is a line of names above a line of numbers.
QHash<QString, qint64> tcpCounters()
{
    QHash<QString, qint64> counters;
    for (const QString &path : {u"/proc/net/snmp"_s, u"/proc/net/netstat"_s}) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); i += 2) {
            const QList<QByteArray> names = lines.at(i).simplified().split(' ');
            const QList<QByteArray> numbers = lines.at(i + 1).simplified().split(' ');
            if (names.size() != numbers.size() || names.isEmpty() || !names.first().startsWith("Tcp"))
                continue;
            const QString table = QString::fromLatin1(names.first().chopped(1)); // "Tcp:" -> "Tcp"
            for (qsizetype n = 1; n < names.size(); ++n)
                counters.insert(table + u'.' + QString::fromLatin1(names.at(n)), numbers.at(n).toLongLong());
        }
    }
    return counters;
}

QString commandOutput(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(10000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace

class TestSystemProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readerCountsWhatCrossedTheLink();
    void probeRatesMatchWhatWasSent();
    void hostFiguresMatchTheSystemTools();
    void firstRoundWaitsHalfTheIntervalAtMost();
    void tcpHealthOverALossyLink();
};

void TestSystemProbe::initTestCase()
{
    qRegisterMetaType<Protocol::Round>();
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
}

void TestSystemProbe::readerCountsWhatCrossedTheLink()
{
    Lab lab;
    QString error;
    QVERIFY2(lab.addNamespace(u"peer"_s, &error), qPrintable(error));
    const auto link = lab.connect({}, u"peer"_s, u"10.224.1.0/30"_s, {}, &error);
    QVERIFY2(link, qPrintable(error));
    QVERIFY2(lab.settle(&error), qPrintable(error));

    LinuxSystemReader reader;
    const SystemSnapshot before = reader.read();
    QVERIFY(sendDatagrams(link->b.ipv4));
    const SystemSnapshot after = reader.read();
    const InterfaceCounters *a = counters(before, link->a.interface);
    const InterfaceCounters *b = counters(after, link->a.interface);
    QVERIFY(a && b);
    const quint64 packets = b->txPackets - a->txPackets;
    const quint64 bytes = b->txBytes - a->txBytes;
    qInfo("sent %d datagrams of %d bytes: the counters saw %llu packets, %llu bytes (truth %d, %d)", DATAGRAMS, PAYLOAD,
        packets, bytes, DATAGRAMS, DATAGRAMS * FRAME_BYTES);
    QVERIFY(packets >= DATAGRAMS && packets <= DATAGRAMS + NOISE_PACKETS);
    QVERIFY(bytes >= quint64(DATAGRAMS) * FRAME_BYTES && bytes <= quint64(DATAGRAMS) * FRAME_BYTES + NOISE_BYTES);
    QCOMPARE(b->up, true);
    QCOMPARE(b->mtu, 1500);
}

void TestSystemProbe::probeRatesMatchWhatWasSent()
{
    Lab lab;
    QString error;
    QVERIFY2(lab.addNamespace(u"peer"_s, &error), qPrintable(error));
    const auto link = lab.connect({}, u"peer"_s, u"10.224.1.0/30"_s, {}, &error);
    QVERIFY2(link, qPrintable(error));
    QVERIFY2(lab.settle(&error), qPrintable(error));

    Validation::SystemParams params;
    QVERIFY2(Validation::parseSystemParams(systemSpec(2000, link->a.interface), &params, &error), qPrintable(error));
    SystemProbe probe(systemSpec(2000, link->a.interface), params);
    QVERIFY(runRound(probe)); // the first: the baseline for the next
    QElapsedTimer span;
    span.start();
    QVERIFY(sendDatagrams(link->b.ipv4));
    QTest::qWait(200);
    const auto round = runRound(probe);
    const double seconds = double(span.elapsed()) / 1000.0;
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const QHash<QString, double> values = valuesOf(*round);
    const QString name = link->a.interface;
    const double packetRate = values.value(sampleName(Metric::IfTxPackets, u"if", name), -1);
    const double byteRate = values.value(sampleName(Metric::IfTxBytes, u"if", name), -1);
    // The probe's span began before ours and ended after: its rate times our span is a little less.
    qInfo("over %.3f s: %.1f packets/s, %.0f bytes/s -> %.0f packets, %.0f bytes (truth %d, %d)", seconds, packetRate,
        byteRate, packetRate * seconds, byteRate * seconds, DATAGRAMS, DATAGRAMS * FRAME_BYTES);
    QVERIFY(packetRate > 0 && byteRate > 0);
    QVERIFY(packetRate * seconds >= DATAGRAMS * 0.97 && packetRate * seconds <= (DATAGRAMS + NOISE_PACKETS) * 1.05);
    QVERIFY(byteRate * seconds >= DATAGRAMS * FRAME_BYTES * 0.97
        && byteRate * seconds <= (DATAGRAMS * FRAME_BYTES + NOISE_BYTES) * 1.05);
    QCOMPARE(values.value(sampleName(Metric::IfUp, u"if", name)), 1.0);
    QCOMPARE(values.value(sampleName(Metric::IfMtu, u"if", name)), 1500.0);
    // Only the interface asked for.
    for (const QString &metric : values.keys()) {
        if (metric.startsWith(u"if."))
            QVERIFY2(metric.endsWith(u"{if="_s + name + u'}'), qPrintable(metric));
    }
}

void TestSystemProbe::hostFiguresMatchTheSystemTools()
{
    Validation::SystemParams params;
    SystemProbe probe(systemSpec(1000), params);
    QVERIFY(runRound(probe));
    QTest::qWait(300); // the kernel counts CPU time in ticks of 10 ms: let some pass
    const auto round = runRound(probe);
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const QHash<QString, double> values = valuesOf(*round);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        QVERIFY2(MetricCatalog::findSample(it.key()), qPrintable(it.key()));
        QVERIFY2(it.value() >= 0, qPrintable(it.key()));
    }
    // nproc counts the CPUs online, as /proc/stat lists them.
    QCOMPARE(values.value(QString::fromUtf16(Metric::CpuCores)), double(sysconf(_SC_NPROCESSORS_ONLN)));
    for (int core = 0; core < sysconf(_SC_NPROCESSORS_ONLN); ++core)
        QVERIFY(values.contains(sampleName(Metric::CoreBusy, u"cpu", QString::number(core))));
    const double busy = values.value(QString::fromUtf16(Metric::CpuBusy), -1);
    QVERIFY(busy >= 0 && busy <= 100);
    // free -b: "Mem:" total used free shared buff/cache available.
    const QStringList mem
        = commandOutput(u"free"_s, {u"-b"_s}).split(u'\n').filter(u"Mem:"_s).value(0).simplified().split(u' ');
    QVERIFY2(mem.size() >= 7, "free -b gave no Mem: line");
    QCOMPARE(values.value(QString::fromUtf16(Metric::MemTotal)), mem.at(1).toDouble());
    // df -B1 /: the size of the root filesystem, as df sees it.
    const QStringList df = commandOutput(u"df"_s, {u"-B1"_s, u"--output=size,used,avail"_s, u"/"_s})
                               .split(u'\n')
                               .value(1)
                               .simplified()
                               .split(u' ');
    QVERIFY2(df.size() == 3, "df gave no figures for /");
    QCOMPARE(values.value(sampleName(Metric::FsSize, u"mount", u"/")), df.at(0).toDouble());
    // Used space moves as the suite writes files: within 1 % of the size.
    QVERIFY(std::abs(values.value(sampleName(Metric::FsUsed, u"mount", u"/")) - df.at(1).toDouble())
        <= df.at(0).toDouble() / 100);
    QVERIFY(values.contains(QString::fromUtf16(Metric::Uptime)));
    QVERIFY(values.contains(QString::fromUtf16(Metric::TcpEstablished)));
    QVERIFY(round->detail.get<Protocol::SystemDetail>());
    QVERIFY(round->detail.get<Protocol::SystemDetail>()->kernel.startsWith(u"Linux "_s));
}

void TestSystemProbe::firstRoundWaitsHalfTheIntervalAtMost()
{
    Validation::SystemParams params;
    SystemProbe probe(systemSpec(400), params);
    qint64 tookMs = 0;
    const auto round = runRound(probe, &tookMs);
    QVERIFY(round);
    QVERIFY2(tookMs >= 190 && tookMs < 1000, qPrintable(QString::number(tookMs)));
    // It already has rates.
    QVERIFY(valuesOf(*round).contains(QString::fromUtf16(Metric::CpuBusy)));
    qint64 secondMs = 0;
    QVERIFY(runRound(probe, &secondMs));
    QVERIFY2(secondMs < 100, qPrintable(QString::number(secondMs))); // later rounds read once, at once
}

// 8 MB from a sender to a sink whose namespace drops 3 % of the segments that reach it (nftables,
// numgen random): the sender resends, by fast retransmit and after timeouts, and the sink queues
// what came out of order. Each probe, reading its own namespace, must give what the difference of
// the kernel's counters, read by the test before and after, says.
void TestSystemProbe::tcpHealthOverALossyLink()
{
    QString error;
    if (!Lab::installed({u"nft"_s}, &error))
        QSKIP(qPrintable(error));
    Lab lab;
    QVERIFY2(lab.addNamespace(u"sender"_s, &error), qPrintable(error));
    QVERIFY2(lab.addNamespace(u"sink"_s, &error), qPrintable(error));
    const auto link = lab.connect(u"sender"_s, u"sink"_s, u"10.224.2.0/30"_s, {}, &error);
    QVERIFY2(link, qPrintable(error));
    QVERIFY2(lab.settle(&error), qPrintable(error));

    QTcpServer server;
    {
        InNamespace inSink(lab.namespaceName(u"sink"_s));
        QVERIFY(inSink.entered());
        QVERIFY2(server.listen(link->b.ipv4), qPrintable(server.errorString()));
    }
    QTemporaryDir rulesDir;
    const QString rules = rulesDir.filePath(u"lossy.nft"_s);
    {
        QFile file(rules);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral("table inet lossy {\n  chain in {\n    type filter hook input priority 0; policy accept;\n"
                           "    tcp dport %1 numgen random mod 1000 < 30 drop\n  }\n}\n")
                .arg(server.serverPort())
                .toUtf8());
    }
    const CommandResult dropping = lab.run(u"sink"_s, u"nft"_s, {u"-f"_s, rules});
    QVERIFY2(dropping.succeeded(), qPrintable(dropping.err));

    // TCP health on its own: the system test with only=network.
    Protocol::TestSpec spec = systemSpec(2000);
    spec.params.insert(u"only"_s, u"network"_s);
    Validation::SystemParams params;
    QVERIFY2(Validation::parseSystemParams(spec, &params, &error), qPrintable(error));
    SystemProbe senderProbe(spec, params);
    SystemProbe sinkProbe(spec, params);
    const auto inSender = [&](auto &&step) {
        InNamespace scope(lab.namespaceName(u"sender"_s));
        QVERIFY(scope.entered());
        step();
    };
    const auto inSink = [&](auto &&step) {
        InNamespace scope(lab.namespaceName(u"sink"_s));
        QVERIFY(scope.entered());
        step();
    };
    // Each probe's span runs from its first round's reading (that round's end) to its second's.
    QHash<QString, qint64> senderBefore, senderAfter, sinkBefore, sinkAfter;
    QElapsedTimer senderSpan, sinkSpan;
    inSender([&] {
        senderBefore = tcpCounters();
        QVERIFY(runRound(senderProbe));
        senderSpan.start();
    });
    inSink([&] {
        sinkBefore = tcpCounters();
        QVERIFY(runRound(sinkProbe));
        sinkSpan.start();
    });

    constexpr qint64 BYTES = 8 * 1024 * 1024;
    QTcpSocket sender;
    inSender([&] { sender.connectToHost(link->b.ipv4, server.serverPort()); });
    QVERIFY(server.waitForNewConnection(5000));
    QTcpSocket *sink = server.nextPendingConnection();
    QVERIFY(sink);
    qint64 received = 0;
    QObject::connect(sink, &QTcpSocket::readyRead, sink, [&] { received += sink->readAll().size(); });
    QVERIFY(sender.waitForConnected(5000));
    const QByteArray chunk(64 * 1024, 'x');
    for (qint64 queued = 0; queued < BYTES; queued += chunk.size())
        sender.write(chunk);
    QTRY_VERIFY_WITH_TIMEOUT(received == BYTES, 30000);
    // Every segment acknowledged, nothing more on its way: two readings alike, 200 ms apart.
    QHash<QString, qint64> quiet;
    bool settled = false;
    for (int attempt = 0; attempt < 50 && !settled; ++attempt) {
        QTest::qWait(200);
        inSender([&] {
            const QHash<QString, qint64> now = tcpCounters();
            settled = sender.bytesToWrite() == 0 && now == quiet;
            quiet = now;
        });
    }
    QVERIFY2(settled, "the sender kept sending after the sink had every byte");

    std::optional<Protocol::Round> senderRound, sinkRound;
    double senderSeconds = 0, sinkSeconds = 0;
    inSender([&] {
        senderRound = runRound(senderProbe);
        senderSeconds = double(senderSpan.elapsed()) / 1000.0;
        senderAfter = tcpCounters();
    });
    inSink([&] {
        sinkRound = runRound(sinkProbe);
        sinkSeconds = double(sinkSpan.elapsed()) / 1000.0;
        sinkAfter = tcpCounters();
    });
    QVERIFY(senderRound && sinkRound);
    const QHash<QString, double> sent = valuesOf(*senderRound);
    const QHash<QString, double> got = valuesOf(*sinkRound);
    for (const QString &metric : sent.keys() + got.keys())
        QVERIFY2(metric.startsWith(u"net."), qPrintable(metric));
    const auto delta
        = [](const QHash<QString, qint64> &before, const QHash<QString, qint64> &after, const QString &name) {
              return double(after.value(name) - before.value(name));
          };

    const double segments = delta(senderBefore, senderAfter, u"Tcp.OutSegs"_s);
    const double resent = delta(senderBefore, senderAfter, u"Tcp.RetransSegs"_s);
    const double share = 100.0 * resent / segments;
    const double ours = sent.value(QString::fromUtf16(Metric::TcpRetransmits), -1);
    qInfo("sender: %.0f segments, %.0f resent: %.3f %% (probe %.3f %%); fast retransmits %.0f, timeouts %.0f", segments,
        resent, share, ours, delta(senderBefore, senderAfter, u"TcpExt.TCPFastRetrans"_s),
        delta(senderBefore, senderAfter, u"TcpExt.TCPTimeouts"_s));
    QVERIFY2(share > 0.5 && share < 15, "the lossy link did not make the sender resend as it should");
    QVERIFY2(qAbs(ours - share) < 1e-6, qPrintable(u"probe %1 %, counters %2 %"_s.arg(ours).arg(share)));
    // Rates times the span the test saw, which is the probe's give or take the time a round takes.
    const auto checkRate
        = [&](const QHash<QString, double> &values, double seconds, const char16_t *metric, double counted) {
              const double rate = values.value(QString::fromUtf16(metric), -1);
              qInfo("%s: %.2f/s over %.3f s = %.1f; the counters: %.0f", qPrintable(QString::fromUtf16(metric)), rate,
                  seconds, rate * seconds, counted);
              QVERIFY2(rate >= 0, qPrintable(QString::fromUtf16(metric)));
              QVERIFY(rate * seconds >= counted * 0.95 - 0.5 && rate * seconds <= counted * 1.05 + 0.5);
          };
    checkRate(
        sent, senderSeconds, Metric::TcpFastRetransmits, delta(senderBefore, senderAfter, u"TcpExt.TCPFastRetrans"_s));
    checkRate(sent, senderSeconds, Metric::TcpTimeouts, delta(senderBefore, senderAfter, u"TcpExt.TCPTimeouts"_s));
    const double outOfOrder = delta(sinkBefore, sinkAfter, u"TcpExt.TCPOFOQueue"_s);
    QVERIFY2(outOfOrder > 0, "the sink queued nothing out of order");
    checkRate(got, sinkSeconds, Metric::TcpOutOfOrder, outOfOrder);
    checkRate(got, sinkSeconds, Metric::TcpDuplicateData,
        delta(sinkBefore, sinkAfter, u"TcpExt.TCPDSACKRecv"_s)
            + delta(sinkBefore, sinkAfter, u"TcpExt.TCPDSACKOfoRecv"_s));
}

QTEST_GUILESS_MAIN(TestSystemProbe)

#include "tst_systemprobe.moc"
