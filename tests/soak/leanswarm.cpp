// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "leanswarm.h"

#include <cstdio>
#include <functional>
#include <vector>

#include <sys/resource.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include <unistd.h>

#include "shared/protocol/codec.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Soak {

namespace {

const QStringList PING_METRICS{u"ping.rtt_min_ms"_s, u"ping.rtt_avg_ms"_s, u"ping.rtt_max_ms"_s, u"ping.rtt_mdev_ms"_s,
    u"ping.rtt_median_ms"_s, u"ping.rtt_stddev_ms"_s, u"ping.jitter_ms"_s, u"ping.loss_pct"_s, u"ping.sent"_s,
    u"ping.received"_s, u"ping.duplicates"_s, u"ping.reordered"_s, u"ping.icmp_errors"_s};

// Placeholders written into the template batch where each send puts its own figures. Each is above
// 2^32, so CBOR holds it in 8 bytes after the head 0x1b; a smaller figure patched in its place stays
// an 8-byte integer, which decoders accept (CBOR does not require the shortest form).
constexpr qint64 SEQ_MARK = 0x5EC5'EC5E'C5EC'5EC5;
constexpr qint64 FLOOR_MARK = 0x0F10'0F10'0F10'0F10;
constexpr qint64 TIME_MARK = 0x0123'4567'89AB'0000; // + round index

QByteArray cborInteger(qint64 value)
{
    QByteArray bytes(9, '\0');
    bytes[0] = char(0x1b);
    for (int i = 0; i < 8; ++i)
        bytes[8 - i] = char((quint64(value) >> (8 * i)) & 0xff);
    return bytes;
}

void patch(QByteArray &bytes, qsizetype at, qint64 value)
{
    char *data = bytes.data() + at + 1;
    for (int i = 0; i < 8; ++i)
        data[7 - i] = char((quint64(value) >> (8 * i)) & 0xff);
}

// One results message, encoded once by the real encoder, with where to patch it.
struct BatchTemplate
{
    QByteArray bytes;
    qsizetype seqAt = -1;
    qsizetype floorAt = -1;
    QList<qsizetype> timeAt;
    int samples = 0;

    bool build(const QList<qint64> &testIds, int rounds)
    {
        Protocol::Results results;
        results.seq = SEQ_MARK;
        results.floorSeq = FLOOR_MARK;
        for (int r = 0; r < rounds; ++r) {
            Protocol::Round round;
            round.testId = testIds.at(r % testIds.size());
            round.timeMs = TIME_MARK + r;
            for (const QString &metric : PING_METRICS)
                round.values.append({metric, QRandomGenerator::global()->bounded(100.0)});
            Protocol::PingDetail detail;
            detail.timestamps.add(Protocol::TimestampSource::Kernel);
            detail.clock = Protocol::ClockReading{true, 12.5, 512.0, 16384.0};
            round.detail = detail;
            samples += int(round.values.size());
            results.rounds.append(round);
        }
        bytes = Protocol::encode({results});
        seqAt = bytes.indexOf(cborInteger(SEQ_MARK));
        floorAt = bytes.indexOf(cborInteger(FLOOR_MARK));
        for (int r = 0; r < rounds; ++r)
            timeAt.append(bytes.indexOf(cborInteger(TIME_MARK + r)));
        return seqAt >= 0 && floorAt >= 0 && !timeAt.contains(-1);
    }
};

struct Totals
{
    qint64 offeredSamples = 0; // batches due by the schedule, sent or not
    qint64 sentSamples = 0;
    qint64 ackedInWindow = 0;
    qint64 ackedTotal = 0;
    qint64 droppedSamples = 0; // due but never sent: the window was full until the end
    int online = 0;
    int failed = 0;
    std::vector<qint32> latenciesUs;
};

qint64 nowNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.nsecsElapsed();
}

class LeanAgent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeanAgent)
public:
    LeanAgent(const LeanOptions &options, QString name, BatchTemplate *batch, Totals *totals, QObject *parent)
        : QObject(parent)
        , m_options(options)
        , m_name(std::move(name))
        , m_batch(batch)
        , m_totals(totals)
    {
        connect(&m_socket, &QWebSocket::connected, this, &LeanAgent::handleConnected);
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &LeanAgent::handleMessage);
        connect(&m_socket, &QWebSocket::disconnected, this, &LeanAgent::handleDisconnected);
        m_tick.setInterval(m_options.batchIntervalMs);
        connect(&m_tick, &QTimer::timeout, this, &LeanAgent::handleTick);
    }

    ~LeanAgent() override { m_socket.disconnect(this); }

    void open()
    {
        QNetworkRequest request(m_options.server);
        request.setRawHeader("Authorization", "Bearer " + m_options.token.toLatin1());
        m_socket.open(request);
    }

    void startSending()
    {
        m_measuring = true;
        // Spread over the interval, as real agents' sealing is.
        QTimer::singleShot(int(QRandomGenerator::global()->bounded(m_options.batchIntervalMs)), this, [this] {
            if (m_measuring)
                m_tick.start();
        });
    }

    void stopSending()
    {
        m_measuring = false;
        m_tick.stop();
        m_totals->droppedSamples += m_backlog * m_batch->samples;
        m_backlog = 0;
    }

    int inFlight() const { return int(m_sentAt.size()); }
    bool ready() const { return m_ready; }
    bool gone() const { return m_gone; }

Q_SIGNALS:
    void becameReady();
    void refusedForNow(); // turned away while others authenticate: try again later
    void failed();

private:
    void handleConnected()
    {
        Protocol::Hello hello;
        hello.agent.name = m_name;
        hello.agent.host = u"lean"_s;
        hello.agent.os = u"linux"_s;
        hello.agent.version = QStringLiteral(STREAMSWARM_VERSION);
        hello.agent.capabilities = {u"ping"_s};
        m_socket.sendBinaryMessage(Protocol::encode({hello}));
    }

    void handleMessage(const QByteArray &bytes)
    {
        Protocol::DecodeError error;
        const auto message = Protocol::decode(bytes, &error);
        if (!message)
            return;
        switch (message->type()) {
        case Protocol::MessageType::Welcome:
            m_ackedSeq = std::get<Protocol::Welcome>(message->payload).lastSeq;
            m_nextSeq = m_ackedSeq + 1;
            break;
        case Protocol::MessageType::Assign: {
            QList<qint64> ids;
            for (const Protocol::TestSpec &test : std::get<Protocol::Assign>(message->payload).tests)
                ids.append(test.id);
            if (!ids.isEmpty() && m_batch->bytes.isEmpty() && !m_batch->build(ids, m_options.roundsPerBatch)) {
                QTextStream(stderr) << "lean: cannot find the placeholders in the template batch" << Qt::endl;
                QCoreApplication::exit(1);
            }
            if (!ids.isEmpty() && !std::exchange(m_ready, true)) {
                ++m_totals->online;
                Q_EMIT becameReady();
            }
            break;
        }
        case Protocol::MessageType::Ack:
            handleAck(std::get<Protocol::Ack>(message->payload).seq);
            break;
        case Protocol::MessageType::Ping: {
            const qint64 pingT = std::get<Protocol::Ping>(message->payload).timeMs;
            m_socket.sendBinaryMessage(Protocol::encode({Protocol::Pong{pingT, QDateTime::currentMSecsSinceEpoch()}}));
            break;
        }
        default:
            break;
        }
    }

    void handleAck(qint64 seq)
    {
        const qint64 now = nowNs();
        while (m_ackedSeq < seq && !m_sentAt.empty()) {
            ++m_ackedSeq;
            const auto [sentNs, inWindow] = m_sentAt.front();
            m_sentAt.erase(m_sentAt.begin());
            m_totals->ackedTotal += m_batch->samples;
            if (inWindow) {
                m_totals->latenciesUs.push_back(qint32((now - sentNs) / 1000));
                if (m_measuring)
                    m_totals->ackedInWindow += m_batch->samples;
            }
        }
        flush();
    }

    void handleTick()
    {
        ++m_backlog;
        m_totals->offeredSamples += m_batch->samples;
        flush();
    }

    void flush()
    {
        while (m_measuring && m_backlog > 0 && int(m_sentAt.size()) < m_options.window) {
            --m_backlog;
            const qint64 seq = m_nextSeq++;
            QByteArray bytes = m_batch->bytes;
            bytes.detach();
            patch(bytes, m_batch->seqAt, seq);
            patch(bytes, m_batch->floorAt, m_ackedSeq + 1); // the oldest unacked: nothing below comes again
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (qsizetype r = 0; r < m_batch->timeAt.size(); ++r)
                patch(bytes, m_batch->timeAt.at(r), now - r);
            m_sentAt.push_back({nowNs(), true});
            m_totals->sentSamples += m_batch->samples;
            m_socket.sendBinaryMessage(bytes);
        }
    }

    void handleDisconnected()
    {
        const int code = int(m_socket.closeCode());
        if (!m_ready && code == Protocol::CloseRateLimited) {
            Q_EMIT refusedForNow();
            return;
        }
        m_tick.stop();
        m_measuring = false;
        if (!std::exchange(m_gone, true)) {
            QTextStream(stderr) << m_name << ": disconnected: " << code << ' ' << m_socket.closeReason() << Qt::endl;
            ++m_totals->failed;
            if (m_ready)
                --m_totals->online;
            m_sentAt.clear();
            Q_EMIT failed();
        }
    }

    const LeanOptions &m_options;
    const QString m_name;
    BatchTemplate *m_batch;
    Totals *m_totals;
    QWebSocket m_socket;
    QTimer m_tick;
    std::vector<std::pair<qint64, bool>> m_sentAt; // unacked batches in seq order: when sent
    qint64 m_ackedSeq = 0;
    qint64 m_nextSeq = 1;
    qint64 m_backlog = 0;
    bool m_ready = false;
    bool m_measuring = false;
    bool m_gone = false;
};

double cpuSeconds()
{
    rusage usage = {};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

int runLean(const LeanOptions &options)
{
    BatchTemplate batch;
    Totals totals;
    std::vector<LeanAgent *> agents;
    int nextToOpen = 0;
    int opening = 0;
    QElapsedTimer enrolling;
    enrolling.start();

    std::function<void()> openMore = [&] {
        while (opening < options.connectParallel && nextToOpen < int(agents.size())) {
            ++opening;
            agents.at(nextToOpen++)->open();
        }
    };
    for (int i = 0; i < options.agents; ++i) {
        auto *agent = new LeanAgent(options, u"%1-%2"_s.arg(options.namePrefix).arg(i, 4, 10, QLatin1Char('0')), &batch,
            &totals, QCoreApplication::instance());
        QObject::connect(agent, &LeanAgent::becameReady, agent, [&] {
            --opening;
            if (totals.online == options.agents) {
                std::printf("ready online=%d enroll_ms=%lld\n", totals.online, enrolling.elapsed());
                std::fflush(stdout);
            }
            openMore();
        });
        QObject::connect(agent, &LeanAgent::refusedForNow, agent, [&, agent] {
            QTimer::singleShot(100 + QRandomGenerator::global()->bounded(200), agent, [agent] { agent->open(); });
        });
        QObject::connect(agent, &LeanAgent::failed, agent, [&, agent] {
            if (!agent->ready()) {
                --opening;
                openMore();
            }
        });
        agents.push_back(agent);
    }
    openMore();

    QElapsedTimer window;
    QElapsedTimer draining;
    qint64 windowMs = 0;
    double cpuAtGo = 0;
    double cpuAtStop = 0;
    QTimer drainCheck;
    drainCheck.setInterval(20);
    const auto finish = [&] {
        drainCheck.stop();
        QFile file(options.latencyFile);
        if (!options.latencyFile.isEmpty() && file.open(QIODevice::WriteOnly))
            file.write(reinterpret_cast<const char *>(totals.latenciesUs.data()),
                qint64(totals.latenciesUs.size() * sizeof(qint32)));
        std::printf("online=%d\nfailed=%d\nwindow_ms=%lld\ndrain_ms=%lld\noffered_samples=%lld\nsent_samples=%lld\n"
                    "acked_in_window=%lld\nacked_total=%lld\nunsent_samples=%lld\nbatch_samples=%d\nbatch_bytes=%lld\n"
                    "cpu_window_s=%.3f\n",
            totals.online, totals.failed, windowMs, draining.isValid() ? draining.elapsed() : 0LL,
            totals.offeredSamples, totals.sentSamples, totals.ackedInWindow, totals.ackedTotal, totals.droppedSamples,
            batch.samples, qint64(batch.bytes.size()), cpuAtStop - cpuAtGo);
        std::fflush(stdout);
        QCoreApplication::exit(totals.failed == 0 ? 0 : 1);
    };
    QObject::connect(&drainCheck, &QTimer::timeout, QCoreApplication::instance(), [&] {
        const bool done = std::all_of(
            agents.cbegin(), agents.cend(), [](const LeanAgent *agent) { return agent->inFlight() == 0; });
        if (done || draining.elapsed() > qint64(options.drainSeconds) * 1000)
            finish();
    });

    // Commands from bench_ingest, one a line.
    QSocketNotifier commands(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    QObject::connect(&commands, &QSocketNotifier::activated, QCoreApplication::instance(), [&] {
        char buffer[256];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            commands.setEnabled(false);
            QCoreApplication::exit(totals.failed == 0 ? 0 : 1);
            return;
        }
        pending.append(buffer, got);
        qsizetype end;
        while ((end = pending.indexOf('\n')) >= 0) {
            const QByteArray command = pending.left(end).trimmed();
            pending.remove(0, end + 1);
            if (command == "go") {
                cpuAtGo = cpuSeconds();
                window.start();
                for (LeanAgent *agent : agents)
                    agent->startSending();
            } else if (command == "stop") {
                windowMs = window.elapsed();
                cpuAtStop = cpuSeconds();
                for (LeanAgent *agent : agents)
                    agent->stopSending();
                draining.start();
                drainCheck.start();
            } else if (command == "quit") {
                finish();
            }
        }
    });
    return QCoreApplication::exec();
}

} // namespace StreamSwarm::Soak

#include "leanswarm.moc"
