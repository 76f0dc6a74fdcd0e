// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Bandwidth between agents (bandwidth method=agent) through a real console and real agents on
// loopback: the console gives turns, the target agent serves each one on a port it opens for that
// turn only, and a peer that is away, or a measuring agent that is killed, holds nothing.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

// UDP at a fixed, modest rate: a light load on loopback (the suite runs other tests beside it), and a
// rate to check what arrived against.
constexpr int RATE_MBPS = 10;

// What arrived of RATE_MBPS over loopback: all of it, give or take the datagrams a busy machine
// drops and iperf3's rounding of a one-second measurement.
bool arrivedAsSent(double mbps)
{
    return mbps > RATE_MBPS * 0.9 && mbps < RATE_MBPS * 1.05;
}

// The process and its children (the agent and its helpers), by /proc's parent links.
QSet<qint64> processTree(qint64 root)
{
    QSet<qint64> tree{root};
    bool grew = true;
    for (int pass = 0; grew && pass < 8; ++pass) {
        grew = false;
        const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &entry : entries) {
            bool isPid = false;
            const qint64 pid = entry.toLongLong(&isPid);
            if (!isPid || tree.contains(pid))
                continue;
            QFile stat(u"/proc/%1/stat"_s.arg(pid));
            if (!stat.open(QIODevice::ReadOnly))
                continue;
            const QByteArray text = stat.readAll();
            const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
            if (fields.size() > 1 && tree.contains(fields.at(1).toLongLong())) {
                tree.insert(pid);
                grew = true;
            }
        }
    }
    return tree;
}

// The TCP ports the process and its children listen on: their sockets' inodes found in the
// kernel's tables of listening sockets.
QSet<int> listeningPorts(qint64 root)
{
    QSet<QString> inodes;
    for (qint64 pid : processTree(root)) {
        const QDir fds(u"/proc/%1/fd"_s.arg(pid));
        for (const QFileInfo &fd : fds.entryInfoList(QDir::Files | QDir::System)) {
            const QString link = fd.symLinkTarget().section(u'/', -1);
            if (link.startsWith(u"socket:["_s))
                inodes.insert(link.mid(8).chopped(1));
        }
    }
    QSet<int> ports;
    for (const QString &table : {u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s}) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines.mid(1)) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() > 9 && fields.at(3) == "0A" && inodes.contains(QString::fromLatin1(fields.at(9))))
                ports.insert(fields.at(1).mid(fields.at(1).lastIndexOf(':') + 1).toInt(nullptr, 16));
        }
    }
    return ports;
}

bool runsHelper(qint64 agentPid)
{
    for (qint64 pid : processTree(agentPid)) {
        QFile comm(u"/proc/%1/comm"_s.arg(pid));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("streamswarm-age") && pid != agentPid)
            return true;
    }
    return false;
}

} // namespace

class TestBandwidthTurns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void measuresToAnotherAgentInItsTurn();
    void twoAgentsMeasuringToOneTakeTurns();
    void latencySamplesDuringATurnAreFlagged();
    void anAgentAwayIsAClearResult();
    void aKilledMeasurerHoldsNothing();
    void cleanupTestCase();

private:
    std::unique_ptr<ManagedProcess> startAgent(const QString &name);
    CommandResult addTest(const QString &name, const QString &agents, const QString &target = u"agent:beta"_s);
    QJsonArray details(const QString &test) const;
    QStringList eventLines() const;

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    QString m_token;
    std::unique_ptr<ManagedProcess> m_alpha;
    std::unique_ptr<ManagedProcess> m_beta;
    std::unique_ptr<ManagedProcess> m_gamma;
};

void TestBandwidthTurns::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"lab"_s, u"--uses"_s, u"10"_s});
    QVERIFY2(token.exitCode == 0, qPrintable(token.err));
    m_token = token.out.trimmed();
}

void TestBandwidthTurns::init()
{
    for (auto *agent : {&m_alpha, &m_beta, &m_gamma}) {
        const QString name = agent == &m_alpha ? u"alpha"_s : agent == &m_beta ? u"beta"_s : u"gamma"_s;
        if (!*agent || !(*agent)->isRunning())
            *agent = startAgent(name);
        QVERIFY(*agent);
    }
}

std::unique_ptr<ManagedProcess> TestBandwidthTurns::startAgent(const QString &name)
{
    auto agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--insecure"_s, u"--name"_s, name, u"--state-dir"_s,
            m_dir.filePath(name), u"--token"_s, m_token});
    if (!agent->start() || !agent->waitForOutput(u"online as "_s + name, 10000)) {
        qWarning().noquote() << agent->output();
        return nullptr;
    }
    return agent;
}

CommandResult TestBandwidthTurns::addTest(const QString &name, const QString &agents, const QString &target)
{
    // UDP at a fixed rate: a light load on loopback, and a rate to check the result against. A round
    // takes at most 6 s (1 s to connect, 1 s measuring, 4 s for the results), so it can wait 4 s for a turn.
    return m_console->cli({u"test"_s, u"add"_s, u"--name"_s, name, u"--type"_s, u"bandwidth"_s, u"--target"_s, target,
        u"--interval"_s, u"10s"_s, u"--continuous"_s, u"--agents"_s, agents, u"--param"_s, u"method=agent"_s,
        u"--param"_s, u"protocol=udp"_s, u"--param"_s, u"bitrate=%1M"_s.arg(RATE_MBPS), u"--param"_s, u"duration=1s"_s,
        u"--param"_s, u"connect-timeout=1s"_s});
}

QJsonArray TestBandwidthTurns::details(const QString &test) const
{
    const CommandResult exported = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, test});
    return QJsonDocument::fromJson(exported.out.toUtf8()).object().value(u"details"_s).toArray();
}

QStringList TestBandwidthTurns::eventLines() const
{
    return m_console->cli({u"event"_s, u"list"_s, u"--limit"_s, u"200"_s}).out.split(u'\n');
}

void TestBandwidthTurns::measuresToAnotherAgentInItsTurn()
{
    // Before any turn the target agent listens on no port at all.
    QVERIFY2(listeningPorts(m_beta->pid()).isEmpty(), qPrintable(m_beta->output()));
    const CommandResult added = addTest(u"alpha-to-beta"_s, u"alpha"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY2(m_alpha->waitForOutput(u"started test alpha-to-beta ( bandwidth agent:beta "_s, 10000),
        qPrintable(m_alpha->output()));

    // While a turn runs, beta serves on one port; we catch it at least once.
    QSet<int> seenPorts;
    QTRY_VERIFY_WITH_TIMEOUT((seenPorts += listeningPorts(m_beta->pid()), !seenPorts.isEmpty()), 10000);
    QCOMPARE(seenPorts.size(), 1);

    QJsonArray rounds;
    QTRY_VERIFY_WITH_TIMEOUT((rounds = details(u"alpha-to-beta"_s)).size() >= 2, 20000);
    for (const QJsonValue &value : std::as_const(rounds)) {
        const QJsonObject body = value.toObject().value(u"body"_s).toObject();
        QCOMPARE(body.value(u"method"_s).toString(), u"agent"_s);
        QCOMPARE(body.value(u"server"_s).toString(), u"agent:beta"_s);
        // Where beta's connection comes from; a round that never connected says why in the events.
        QVERIFY2(body.value(u"address"_s).toString() == u"127.0.0.1"_s,
            qPrintable(QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact)) + u'\n'
                + eventLines().filter(u"alpha-to-beta"_s).join(u'\n')));
        QVERIFY(body.value(u"port"_s).toInt() > 0);
        // What arrived is what was sent, over loopback.
        const double received = body.value(u"receivedMbps"_s).toDouble();
        QVERIFY2(arrivedAsSent(received), qPrintable(QString::number(received)));
    }
    const QString csv = m_console->cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"alpha-to-beta"_s}).out;
    QVERIFY2(csv.contains(u",alpha,alpha-to-beta,bandwidth.throughput_mbps,"_s), qPrintable(csv.left(1000)));
    QVERIFY2(csv.contains(u",alpha,alpha-to-beta,bandwidth.loss_pct,"_s), qPrintable(csv.left(1000)));
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"alpha-to-beta"_s}).exitCode, 0);
    QVERIFY(m_alpha->waitForOutput(u"stopped test alpha-to-beta"_s, 10000));
    // After the last turn beta listens on nothing again, and its server has ended.
    QTRY_VERIFY_WITH_TIMEOUT(listeningPorts(m_beta->pid()).isEmpty() && !runsHelper(m_beta->pid()), 10000);
}

void TestBandwidthTurns::twoAgentsMeasuringToOneTakeTurns()
{
    // One test on two agents, so both rounds fall due together: the console gives beta to one at a time.
    const CommandResult added = addTest(u"both-to-beta"_s, u"alpha,gamma"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    // A round that could not get its turn in time is skipped and says so (on a loaded machine a turn
    // can outlast what the other may wait); the rounds that measured are what the turns are checked on.
    const auto measured = [](const QJsonArray &rounds) {
        QJsonArray kept;
        for (const QJsonValue &round : rounds) {
            if (round[u"body"_s][u"error"_s].toString().isEmpty())
                kept.append(round);
        }
        return kept;
    };
    QJsonArray rounds;
    QTRY_VERIFY_WITH_TIMEOUT((rounds = details(u"both-to-beta"_s), measured(rounds).size() >= 4), 45000);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"both-to-beta"_s}).exitCode, 0);
    // Each measurement's span on the one clock both agents share: from its start (the round's time and
    // what it waited) for as long as it measured. No two spans overlap.
    QList<std::pair<qint64, qint64>> spans;
    for (const QJsonValue &value : std::as_const(rounds)) {
        const QJsonObject round = value.toObject();
        const QJsonObject body = round.value(u"body"_s).toObject();
        const QString why = QString::fromUtf8(QJsonDocument(round).toJson(QJsonDocument::Compact)) + u'\n'
            + eventLines().filter(u"both-to-beta"_s).join(u'\n');
        if (const QString error = body.value(u"error"_s).toString(); !error.isEmpty()) {
            // Only for want of a turn in time; anything else is a fault of the turns.
            QVERIFY2(error.contains(u"request for a turn"_s) || error.contains(u"could wait"_s), qPrintable(why));
            qInfo().noquote() << "skipped:" << error;
            continue;
        }
        QVERIFY2(arrivedAsSent(body.value(u"receivedMbps"_s).toDouble()), qPrintable(why));
        const qint64 start
            = QDateTime::fromString(round.value(u"time"_s).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch()
            + body.value(u"waitedMs"_s).toInteger();
        spans.append({start, start + qint64(body.value(u"measuredSeconds"_s).toDouble() * 1000)});
    }
    std::sort(spans.begin(), spans.end());
    int waited = 0;
    for (qsizetype i = 1; i < spans.size(); ++i) {
        QVERIFY2(spans.at(i).first >= spans.at(i - 1).second,
            qPrintable(u"measurement %1 started at %2, before the one before ended at %3"_s.arg(i)
                           .arg(spans.at(i).first)
                           .arg(spans.at(i - 1).second)));
        waited += spans.at(i).first - spans.at(i - 1).first < 3000 ? 1 : 0;
    }
    QVERIFY2(waited >= 1, "no round waited for another's turn: the test did not make them meet");
}

void TestBandwidthTurns::latencySamplesDuringATurnAreFlagged()
{
    // Beta times TCP connects to the console five times a second while it serves alpha's turns; the
    // JSON export flags the samples taken while a measurement loaded beta's link.
    const QString console = u"127.0.0.1:%1"_s.arg(QUrl(m_console->serverUrl()).port());
    const CommandResult latency = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"beta-connect"_s, u"--type"_s,
        u"tcp"_s, u"--target"_s, console, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"beta"_s});
    QVERIFY2(latency.exitCode == 0, qPrintable(latency.err));
    const CommandResult added = addTest(u"turns-under-watch"_s, u"alpha"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    // The truth: when beta's server process ran, as /proc shows it every 20 ms. It starts a moment
    // before alpha measures (alpha connects once it listens), hence the margins below.
    QList<std::pair<qint64, qint64>> served;
    QElapsedTimer clock;
    clock.start();
    // A turn of the tests before may have ended just before we looked; what it loaded ends 2 s later.
    const qint64 watchedFrom = QDateTime::currentMSecsSinceEpoch() + 2500;
    qint64 since = 0;
    while (clock.elapsed() < 40'000 && served.size() < 2) {
        const bool running = runsHelper(m_beta->pid());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (running && !since)
            since = now;
        else if (!running && since)
            served.append({std::exchange(since, 0), now});
        QTest::qWait(20);
    }
    QCOMPARE(served.size(), 2);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"turns-under-watch"_s}).exitCode, 0);
    const auto samples = [&] {
        const CommandResult exported
            = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, u"beta-connect"_s});
        return QJsonDocument::fromJson(exported.out.toUtf8()).object().value(u"samples"_s).toArray();
    };
    const auto timeOf = [](const QJsonValue &sample) {
        return QDateTime::fromString(sample[u"time"_s].toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
    };
    QJsonArray connects;
    // Delivered up to a while after the last turn.
    QTRY_VERIFY_WITH_TIMEOUT(
        (connects = samples(), !connects.isEmpty() && timeOf(connects.last()) > served.last().second + 2500), 15000);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"beta-connect"_s}).exitCode, 0);
    int flaggedInside = 0;
    int plainOutside = 0;
    for (const QJsonValue &sample : std::as_const(connects)) {
        const qint64 t = timeOf(sample);
        const bool flagged = sample[u"bulk"_s].toBool();
        const bool surelyInside = std::any_of(served.cbegin(), served.cend(),
            [t](const auto &run) { return t >= run.first + 400 && t <= run.second - 200; });
        const bool surelyOutside = std::all_of(served.cbegin(), served.cend(),
            [t](const auto &run) { return t < run.first - 1000 || t > run.second + 2000; });
        if (surelyInside) {
            QVERIFY2(flagged, qPrintable(u"a sample at %1, while beta served, is not flagged"_s.arg(t)));
            ++flaggedInside;
        }
        if (surelyOutside && t > watchedFrom) {
            QVERIFY2(!flagged, qPrintable(u"a sample at %1, away from any turn, is flagged"_s.arg(t)));
            ++plainOutside;
        }
    }
    QVERIFY2(flaggedInside >= 2 && plainOutside >= 4,
        qPrintable(u"%1 samples surely in a turn, %2 surely outside"_s.arg(flaggedInside).arg(plainOutside)));
}

void TestBandwidthTurns::anAgentAwayIsAClearResult()
{
    const CommandResult added = addTest(u"to-away"_s, u"alpha"_s, u"agent:gamma"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QTRY_VERIFY_WITH_TIMEOUT(details(u"to-away"_s).size() >= 1, 15000);
    m_gamma->terminate();
    QVERIFY(m_gamma->waitForExit(10000));
    // The rounds go on, each with the reason as its result (the event log keeps failed rounds).
    const QString sentence = u"The agent \"gamma\" is not connected to the console, so it cannot serve the "
                             "measurement. The next round tries again."_s;
    QTRY_VERIFY_WITH_TIMEOUT(eventLines().filter(sentence).size() >= 1, 15000);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"to-away"_s}).exitCode, 0);
}

void TestBandwidthTurns::aKilledMeasurerHoldsNothing()
{
    const CommandResult added = addTest(u"killed-measurer"_s, u"alpha"_s);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    // Kill alpha in the middle of a measurement: beta then serves it.
    QTRY_VERIFY_WITH_TIMEOUT(runsHelper(m_beta->pid()), 15000);
    m_alpha->kill();
    // Beta's server goes with the turn, and beta serves the next agent's turn as before.
    QTRY_VERIFY_WITH_TIMEOUT(!runsHelper(m_beta->pid()) && listeningPorts(m_beta->pid()).isEmpty(), 5000);
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"killed-measurer"_s}).exitCode, 0);
    const CommandResult next = addTest(u"after-the-kill"_s, u"gamma"_s);
    QVERIFY2(next.exitCode == 0, qPrintable(next.err));
    QTRY_VERIFY_WITH_TIMEOUT(details(u"after-the-kill"_s).size() >= 1, 15000);
    const QJsonObject body = details(u"after-the-kill"_s).at(0).toObject().value(u"body"_s).toObject();
    QVERIFY2(arrivedAsSent(body.value(u"receivedMbps"_s).toDouble()), QJsonDocument(body).toJson().constData());
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"after-the-kill"_s}).exitCode, 0);
}

void TestBandwidthTurns::cleanupTestCase()
{
    m_alpha.reset();
    m_beta.reset();
    m_gamma.reset();
    m_console.reset();
}

QTEST_GUILESS_MAIN(TestBandwidthTurns)
#include "tst_bandwidthturns.moc"
