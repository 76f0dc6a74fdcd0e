// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-swarm: many simulated agents in one process for the soak test. Each one is the real
// agent's delivery path (credential store, disk spool, console client with its ack window and
// replay) fed by a synthetic probe instead of real pings, so hundreds fit on one machine. It
// counts every sample it generates and, at the end, waits until the console has acked them all.
#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>

#include "agent/agentoptions.h"
#include "agent/connection/batchsealer.h"
#include "agent/connection/consoleclient.h"
#include "agent/connection/credentialstore.h"
#include "agent/connection/resultbuffer.h"
#include "agent/connection/spool.h"
#include "tests/soak/leanswarm.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

namespace {

// What a real ping round carries: its 13 metrics and the timestamp-quality detail.
const QStringList PING_METRICS{u"ping.rtt_min_ms"_s, u"ping.rtt_avg_ms"_s, u"ping.rtt_max_ms"_s, u"ping.rtt_mdev_ms"_s,
    u"ping.rtt_median_ms"_s, u"ping.rtt_stddev_ms"_s, u"ping.jitter_ms"_s, u"ping.loss_pct"_s, u"ping.sent"_s,
    u"ping.received"_s, u"ping.duplicates"_s, u"ping.reordered"_s, u"ping.icmp_errors"_s};

Protocol::PingDetail pingDetail()
{
    Protocol::PingDetail detail;
    detail.timestamps.add(Protocol::TimestampSource::Kernel);
    detail.clock = Protocol::ClockReading{true, QRandomGenerator::global()->bounded(80.0) - 40, 512.0, 16384.0};
    return detail;
}

class SimulatedAgent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatedAgent)
public:
    SimulatedAgent(const Agent::AgentOptions &options, QObject *parent)
        : QObject(parent)
        , m_credentials(options.stateDir)
        , m_spool(options.stateDir + u"/spool"_s, options.spoolMaxBytes)
        , m_client(options, &m_credentials, &m_spool, {u"ping"_s}, this)
    {
        connect(&m_client, &Agent::ConsoleClient::assignmentReceived, this,
            [this](const QList<Protocol::TestSpec> &tests) { m_tests = tests; });
        connect(&m_client, &Agent::ConsoleClient::fatalError, this, [this](const QString &message) {
            QTextStream(stderr) << "agent gave up: " << message << Qt::endl;
            m_failed = true;
        });
        m_roundTimer.setInterval(1000);
        connect(&m_roundTimer, &QTimer::timeout, this, &SimulatedAgent::measure);
        m_sealTimer.setInterval(250);
        connect(&m_sealTimer, &QTimer::timeout, this, &SimulatedAgent::seal);
    }

    bool start(QString *error)
    {
        Agent::Spool::OpenReport report;
        if (!m_credentials.prepare(error) || !m_spool.open(&report, error))
            return false;
        // Spread the agents over the second, as real ones are.
        QTimer::singleShot(int(QRandomGenerator::global()->bounded(1000)), this, [this] { m_roundTimer.start(); });
        m_sealTimer.start();
        m_client.start();
        return true;
    }

    void stopMeasuring()
    {
        m_roundTimer.stop();
        seal();
    }

    qint64 generatedSamples() const { return m_generated; }
    qint64 unackedBatches() const { return m_spool.unackedBatches() + (m_buffer.isEmpty() ? 0 : 1); }
    qint64 lostRounds() const { return m_spool.lostRounds(); }
    bool failed() const { return m_failed; }

private:
    void measure()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const Protocol::TestSpec &test : std::as_const(m_tests)) {
            Protocol::Round round;
            round.testId = test.id;
            round.timeMs = now;
            for (const QString &metric : PING_METRICS)
                round.values.append({metric, QRandomGenerator::global()->bounded(100.0)});
            round.detail = pingDetail();
            m_generated += round.values.size();
            m_buffer.addRound(round);
        }
    }

    void seal()
    {
        if (m_sealer.seal().wrote)
            m_client.pump();
    }

    Agent::CredentialStore m_credentials;
    Agent::Spool m_spool;
    Agent::ResultBuffer m_buffer;
    Agent::BatchSealer m_sealer{m_buffer, m_spool};
    Agent::ConsoleClient m_client;
    QList<Protocol::TestSpec> m_tests;
    QTimer m_roundTimer;
    QTimer m_sealTimer;
    qint64 m_generated = 0;
    bool m_failed = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"streamswarm-swarm"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(STREAMSWARM_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Simulated agents for the soak test."_s);
    parser.addHelpOption();
    parser.addOption({u"server"_s, u"Console address (ws:// or wss://)."_s, u"URL"_s});
    parser.addOption({u"token"_s, u"Enrollment token with enough uses for every agent."_s, u"TOKEN"_s});
    parser.addOption({u"agents"_s, u"How many agents."_s, u"N"_s, u"200"_s});
    parser.addOption({u"state-dir"_s, u"Folder for the agents' state (one subfolder each)."_s, u"DIR"_s});
    parser.addOption({u"seconds"_s, u"How long to measure."_s, u"S"_s, u"600"_s});
    parser.addOption({u"drain-seconds"_s, u"How long to wait for the last acks."_s, u"S"_s, u"120"_s});
    parser.addOption({u"insecure"_s, u"Plain ws://."_s});
    // The lean load generator for bench_ingest (leanswarm.h): no spool, pre-encoded batches, driven by
    // "go", "stop" and "quit" on stdin.
    parser.addOption({u"lean"_s, u"Lean mode: pre-encoded batches, no spool; commands on stdin."_s});
    parser.addOption({u"name-prefix"_s, u"Lean: agents are named PREFIX-n."_s, u"PREFIX"_s, u"lean"_s});
    parser.addOption({u"rounds"_s, u"Lean: ping rounds (13 samples each) per batch."_s, u"N"_s, u"10"_s});
    parser.addOption({u"batch-ms"_s, u"Lean: one batch per agent every MS."_s, u"MS"_s, u"250"_s});
    parser.addOption({u"connect-parallel"_s, u"Lean: handshakes at a time."_s, u"N"_s, u"2"_s});
    parser.addOption({u"latency-file"_s, u"Lean: where to write the ack latencies (int32 us)."_s, u"FILE"_s});
    parser.process(app);

    if (parser.isSet(u"lean"_s)) {
        Soak::LeanOptions lean;
        lean.server = QUrl(parser.value(u"server"_s));
        lean.token = parser.value(u"token"_s);
        lean.namePrefix = parser.value(u"name-prefix"_s);
        lean.agents = parser.value(u"agents"_s).toInt();
        lean.roundsPerBatch = parser.value(u"rounds"_s).toInt();
        lean.batchIntervalMs = parser.value(u"batch-ms"_s).toInt();
        lean.connectParallel = std::max(1, parser.value(u"connect-parallel"_s).toInt());
        lean.drainSeconds = parser.value(u"drain-seconds"_s).toInt();
        lean.latencyFile = parser.value(u"latency-file"_s);
        if (lean.agents < 1 || lean.roundsPerBatch < 1 || lean.batchIntervalMs < 1 || lean.server.isEmpty()) {
            QTextStream(stderr) << "streamswarm-swarm --lean: --server, --agents >= 1, --rounds >= 1 and "
                                   "--batch-ms >= 1 are needed"
                                << Qt::endl;
            return 2;
        }
        return Soak::runLean(lean);
    }

    const int count = parser.value(u"agents"_s).toInt();
    const int seconds = parser.value(u"seconds"_s).toInt();
    const int drainSeconds = parser.value(u"drain-seconds"_s).toInt();
    if (count < 1 || seconds < 1 || parser.value(u"server"_s).isEmpty() || parser.value(u"state-dir"_s).isEmpty()) {
        QTextStream(stderr) << "streamswarm-swarm: --server, --state-dir, --agents >= 1 and --seconds >= 1 are needed"
                            << Qt::endl;
        return 2;
    }
    std::vector<SimulatedAgent *> agents;
    for (int i = 0; i < count; ++i) {
        Agent::AgentOptions options;
        options.server = QUrl(parser.value(u"server"_s));
        options.token = parser.value(u"token"_s);
        options.name = u"sim-%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        options.stateDir = parser.value(u"state-dir"_s) + u'/' + options.name;
        options.insecure = parser.isSet(u"insecure"_s);
        auto *agent = new SimulatedAgent(options, &app);
        QString error;
        if (!agent->start(&error)) {
            QTextStream(stderr) << options.name << ": " << error << Qt::endl;
            return 1;
        }
        agents.push_back(agent);
    }

    QElapsedTimer draining;
    QTimer drainCheck;
    const auto report = [&](int exitCode) {
        qint64 generated = 0, unacked = 0, lost = 0, failed = 0;
        for (const SimulatedAgent *agent : agents) {
            generated += agent->generatedSamples();
            unacked += agent->unackedBatches();
            lost += agent->lostRounds();
            failed += agent->failed() ? 1 : 0;
        }
        QTextStream out(stdout);
        out << "agents=" << count << "\ngenerated_samples=" << generated << "\nunacked_batches=" << unacked
            << "\nspool_lost_rounds=" << lost << "\nagents_failed=" << failed << "\ndrain_ms=" << draining.elapsed()
            << Qt::endl;
        app.exit(unacked == 0 && failed == 0 ? exitCode : 1);
    };
    QTimer::singleShot(seconds * 1000, &app, [&] {
        for (SimulatedAgent *agent : agents)
            agent->stopMeasuring();
        draining.start();
        drainCheck.setInterval(200);
        QObject::connect(&drainCheck, &QTimer::timeout, &app, [&] {
            const bool done = std::all_of(agents.cbegin(), agents.cend(),
                [](const SimulatedAgent *agent) { return agent->unackedBatches() == 0; });
            if (done)
                report(0);
            else if (draining.elapsed() > qint64(drainSeconds) * 1000)
                report(1);
        });
        drainCheck.start();
    });
    return app.exec();
}

#include "swarm.moc"
