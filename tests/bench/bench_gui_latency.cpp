// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// How late the console window's event loop runs while agents stream and a hostile client pushes
// 1 MiB messages before signing in. The window and its ConsoleService run here (offscreen); 300
// simulated agents (streamswarm-swarm: the real agent's delivery path) run 13 ping tests each, about
// 50,000 samples a second; a thread of this process dials the console again and again and sends
// 1 MiB. A 5 ms timer on the GUI thread measures how late each tick comes. The baseline is the
// same probe on the same window with no agents and no hostile client, measured first.
// Prints key=value lines: idle_p99_ms, load_p50_ms, load_p99_ms, load_max_ms, samples_per_s,
// hostile_messages, rss_start_mb, rss_end_mb, and ratio_p99 (loaded / idle).
#include <algorithm>

#include <QApplication>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/mainwindow.h"
#include "tests/bench/benchfigures.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Bench;
using namespace StreamSwarm::Console;

namespace {

constexpr int AGENTS = 300;
constexpr int TESTS = 13; // 13 ping metrics a round: 300 x 13 x 13 = 50,700 samples a second
constexpr int TICK_MS = 5;
constexpr int IDLE_SECONDS = 10;
constexpr int LOAD_SECONDS = 30;
constexpr int ONLINE_WAIT_SECONDS = 120;
constexpr qsizetype HOSTILE_BYTES = 1024 * 1024;

double rssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024;
    }
    return -1;
}

double percentile(QList<double> values, double share)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(std::min(values.size() - 1, qsizetype(share * double(values.size()))));
}

// How late each TICK_MS tick of a precise timer comes, in ms, for `seconds`.
QList<double> measureLateness(int seconds)
{
    QList<double> late;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(TICK_MS);
    QElapsedTimer clock;
    qint64 last = 0;
    QObject::connect(&tick, &QTimer::timeout, &tick, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.append(std::max(0.0, double(now - last) / 1e6 - TICK_MS));
        last = now;
    });
    clock.start();
    tick.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    return late;
}

// Dials the console over and over with a real enrollment token, so the upgrade is let through, and
// each time sends one 1 MiB binary message instead of a hello.
class HostileClient final : public QObject
{
    Q_OBJECT
public:
    HostileClient(QUrl url, const QString &token)
        : m_url(std::move(url))
        , m_authorization("Bearer " + token.toUtf8())
    { }
    int sent() const { return m_sent.loadRelaxed(); }

public Q_SLOTS:
    void start()
    {
        m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        connect(m_socket, &QWebSocket::connected, this, [this] {
            m_socket->sendBinaryMessage(QByteArray(HOSTILE_BYTES, 'x'));
            m_sent.fetchAndAddRelaxed(1);
        });
        connect(
            m_socket, &QWebSocket::disconnected, this, [this] { QTimer::singleShot(20, this, &HostileClient::dial); });
        dial();
    }

private:
    void dial()
    {
        QNetworkRequest request(m_url);
        request.setRawHeader("Authorization", m_authorization);
        m_socket->open(request);
    }

    QUrl m_url;
    QByteArray m_authorization;
    QWebSocket *m_socket = nullptr;
    QAtomicInt m_sent;
};

template <typename T>
std::optional<T> await(const std::function<void(QObject *, Callback<T>)> &call)
{
    std::optional<T> answer;
    QEventLoop loop;
    QObject context;
    call(&context, [&](const Result<T> &result) {
        if (result)
            answer = *result;
        else
            std::fprintf(stderr, "bench_gui_latency: %s\n", qPrintable(result.error()));
        loop.quit();
    });
    loop.exec();
    return answer;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    Test::MainWindowFixture console;
    QString error;
    if (!console.start(dir.filePath(u"streamswarm.db"_s), &error, false)) {
        std::fprintf(stderr, "bench_gui_latency: %s\n", qPrintable(error));
        return 1;
    }
    ConsoleService *service = console.service();
    const double rssStart = rssMb();
    const double idleP99 = percentile(measureLateness(IDLE_SECONDS), 0.99);
    print("idle_p99_ms", idleP99);

    Administration *admin = service->administration();
    const auto token = await<IssuedToken>([&](QObject *context, Callback<IssuedToken> done) {
        admin->createToken({u"swarm"_s, AGENTS, 3600 * 1000, {}}, context, std::move(done));
    });
    for (int i = 0; token && i < TESTS; ++i) {
        TestRecord test;
        test.name = u"ping-%1"_s.arg(i);
        test.type = u"ping"_s;
        test.target = u"192.0.2.%1"_s.arg(i + 1);
        test.intervalMs = 1000;
        test.allAgents = true;
        if (!await<qint64>(
                [&](QObject *context, Callback<qint64> done) { admin->addTest(test, context, std::move(done)); }))
            return 1;
    }
    if (!token)
        return 1;

    QProcess swarm;
    swarm.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString swarmBinary = QCoreApplication::applicationDirPath() + u"/../soak/streamswarm-swarm"_s;
    swarm.start(swarmBinary,
        {u"--server"_s, service->listenUrl(), u"--insecure"_s, u"--token"_s, token->text, u"--agents"_s,
            QString::number(AGENTS), u"--state-dir"_s, dir.filePath(u"swarm"_s), u"--seconds"_s,
            QString::number(ONLINE_WAIT_SECONDS + LOAD_SECONDS + 30), u"--drain-seconds"_s, u"1"_s});
    if (!swarm.waitForStarted(10000)) {
        std::fprintf(stderr, "bench_gui_latency: %s does not start\n", qPrintable(swarmBinary));
        return 1;
    }
    QElapsedTimer waiting;
    waiting.start();
    while (service->onlineCount() < AGENTS && waiting.elapsed() < ONLINE_WAIT_SECONDS * 1000)
        QTest::qWait(200);
    print("agents_online", service->onlineCount());
    print("online_after_s", double(waiting.elapsed()) / 1000);

    qint64 samples = 0;
    QObject::connect(
        service, &ConsoleService::roundsStored, &app, [&samples](qint64, const QList<Protocol::Round> &rounds) {
            for (const Protocol::Round &round : rounds)
                samples += round.values.size();
        });
    QThread hostileThread;
    auto *hostile = new HostileClient(QUrl(service->listenUrl()), token->text);
    hostile->moveToThread(&hostileThread);
    QObject::connect(&hostileThread, &QThread::finished, hostile, &QObject::deleteLater);
    hostileThread.start();
    QMetaObject::invokeMethod(hostile, &HostileClient::start, Qt::QueuedConnection);

    const qint64 before = samples;
    const QList<double> loaded = measureLateness(LOAD_SECONDS);
    print("samples_per_s", double(samples - before) / LOAD_SECONDS);
    print("hostile_messages", hostile->sent());
    print("load_p50_ms", percentile(loaded, 0.5));
    const double loadP99 = percentile(loaded, 0.99);
    print("load_p99_ms", loadP99);
    print("load_max_ms", percentile(loaded, 1.0));
    print("rss_start_mb", rssStart);
    print("rss_end_mb", rssMb());
    print("ratio_p99", idleP99 > 0 ? loadP99 / idleP99 : -1);

    hostileThread.quit();
    hostileThread.wait();
    swarm.kill();
    swarm.waitForFinished(5000);
    return 0;
}

#include "bench_gui_latency.moc"
