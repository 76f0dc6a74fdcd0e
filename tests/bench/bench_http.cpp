// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The http probe beside curl -w in the same run: (a) each phase's median over 15 rounds against the
// suite's HTTPS server with a 40 ms think time, rounds interleaved with curl runs on the same URL and
// authority, and the phase order in every round; (b) the compression ratio of a known payload beside
// raw / gzip sizes computed here with zlib (and curl's size_download); (c) the CPU of one agent running
// 50 http tests at 10 s, over https and over http, beside what 50 curl runs per 10 s cost and what
// OpenSSL alone spends on 5 handshakes a second; (d) the phases on a lab path, with a packet capture
// showing where each client's TLS time goes. Prints key=value lines, then ratio=.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include <sys/resource.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <unistd.h>

#include "agent/probes/http/httpprobe.h"
#include "shared/testtypes/http.h"
#include "tests/bench/benchfigures.h"
#include "tests/netlab/lab.h"
#include "tests/support/processharness.h"
#include "tests/support/testcertificates.h"
#include "tests/support/webserver/payload.h"
#include "tests/support/webserver/webserverprocess.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Bench;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

constexpr int ROUNDS = 15;
constexpr int THINK_MS = 40;
constexpr int AGENT_TESTS = 50;
constexpr qint64 PAYLOAD_BYTES = 1'000'000;

struct Phases
{
    double dns = 0, connect = 0, tls = 0, ttfb = 0, total = 0; // ms
    bool ordered() const { return dns <= connect && connect <= tls && tls <= ttfb && ttfb <= total; }
};

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_http: %s\n", qPrintable(why));
    return 1;
}

double metric(const Protocol::Round &round, const char16_t *name)
{
    const QString wanted = QString::fromUtf16(name);
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == wanted)
            return value.value;
    }
    return -1;
}

// One test's probe, kept across its rounds as the agent keeps it.
std::unique_ptr<HttpProbe> makeProbe(const QString &url, const QMap<QString, QString> &params)
{
    Protocol::TestSpec spec;
    spec.id = 1;
    spec.name = u"bench"_s;
    spec.type = u"http"_s;
    spec.target = url;
    spec.intervalMs = 10'000;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        spec.params.insert(it.key(), it.value());
    Validation::HttpParams parsed;
    if (!Validation::parseHttpParams(spec, &parsed, nullptr))
        return nullptr;
    return std::make_unique<HttpProbe>(spec, parsed);
}

std::optional<Protocol::Round> probeRound(HttpProbe *probe)
{
    if (!probe)
        return std::nullopt;
    QSignalSpy spy(probe, &Probe::roundFinished);
    probe->startRound(QDateTime::currentMSecsSinceEpoch());
    if (!spy.wait(15000))
        return std::nullopt;
    return spy.takeFirst().at(0).value<Protocol::Round>();
}

// curl -w's variables for one run: the five phases in ms, then size_download. transfers > 1: the same URL
// that many times in one curl process, each on a new connection (Connection: close), and the last one's.
std::optional<QList<double>> curlRun(const QStringList &arguments, int transfers = 1)
{
    QStringList options{u"-s"_s, u"-w"_s,
        u"%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total} "
        "%{size_download} %{http_code}\n"_s};
    for (int i = 0; i < transfers; ++i)
        options << u"-o"_s << u"/dev/null"_s;
    if (transfers > 1) // a new connection and a full handshake each time, as the probe's first request
        options << u"-H"_s << u"Connection: close"_s << u"--no-sessionid"_s;
    QStringList urls;
    for (int i = 1; i < transfers; ++i)
        urls << arguments.last();
    QProcess curl;
    curl.start(u"curl"_s, options + arguments + urls);
    if (!curl.waitForFinished(15000) || curl.exitCode() != 0)
        return std::nullopt;
    const QStringList lines = QString::fromUtf8(curl.readAllStandardOutput()).trimmed().split(u'\n');
    const QStringList fields = lines.last().split(u' ');
    if (lines.size() != transfers || fields.size() != 7)
        return std::nullopt;
    QList<double> values;
    for (int i = 0; i < 5; ++i)
        values.append(fields.at(i).toDouble() * 1000);
    values.append(fields.at(5).toDouble());
    return values;
}

// The five phases' medians of ours against curl's, with the allowed difference: max(0.2 ms, 10 %).
bool compareMedians(const char *prefix, const QList<Phases> &ours, const QList<Phases> &theirs)
{
    const struct
    {
        const char *name;
        double Phases::*field;
    } phases[] = {{"dns", &Phases::dns}, {"connect", &Phases::connect}, {"tls", &Phases::tls}, {"ttfb", &Phases::ttfb},
        {"total", &Phases::total}};
    bool allWithin = true;
    for (const auto &phase : phases) {
        QList<double> a;
        QList<double> b;
        for (const Phases &p : ours)
            a.append(p.*(phase.field));
        for (const Phases &p : theirs)
            b.append(p.*(phase.field));
        const double allowed = std::max(0.2, 0.1 * median(b));
        const bool within = std::abs(median(a) - median(b)) <= allowed;
        allWithin = allWithin && within;
        std::printf("%s%s_median_ms=%.4f %scurl_%s_median_ms=%.4f allowed_ms=%.4f within=%d\n", prefix, phase.name,
            median(a), prefix, phase.name, median(b), allowed, within ? 1 : 0);
    }
    std::fflush(stdout);
    return allWithin;
}

// One TCP connection of the client, as a capture on the client's interface saw it (ns since the epoch).
struct WireConnection
{
    qint64 synAck = 0; // the server's SYN-ACK came in: connect() completes here
    qint64 hello = 0; // the client's first TLS bytes (ClientHello) went out
    qint64 finished = 0; // the client's second flight (its Finished) went out: the handshake is done
    double prepMs() const { return double(hello - synAck) / 1e6; } // the client's own work before it
    double exchangeMs() const { return double(finished - hello) / 1e6; } // the handshake on the wire
    double handshakeMs() const { return double(finished - synAck) / 1e6; } // what tls - connect spans
};

quint32 bigEndian(const uchar *p, int bytes)
{
    quint32 value = 0;
    for (int i = 0; i < bytes; ++i)
        value = value << 8 | p[i];
    return value;
}

// Reads a tcpdump capture (Ethernet, IPv4, nanosecond or microsecond stamps) and returns the client's
// connections to serverPort in the order of their SYN-ACKs; only those whose handshake it saw whole.
QList<WireConnection> readCapture(const QString &file, quint16 serverPort)
{
    QFile capture(file);
    if (!capture.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = capture.readAll();
    if (data.size() < 24)
        return {};
    const auto *bytes = reinterpret_cast<const uchar *>(data.constData());
    quint32 magic = 0;
    std::memcpy(&magic, bytes, 4);
    if ((magic != 0xa1b23c4d && magic != 0xa1b2c3d4) || bytes[20] != 1) // host order; link type Ethernet
        return {};
    const qint64 fractionNs = magic == 0xa1b23c4d ? 1 : 1000;
    QMap<quint16, WireConnection> byPort;
    QList<quint16> order;
    for (qsizetype at = 24; at + 16 <= data.size();) {
        quint32 header[4];
        std::memcpy(header, bytes + at, 16);
        const qint64 stampNs = qint64(header[0]) * 1'000'000'000 + qint64(header[1]) * fractionNs;
        const qsizetype length = header[2];
        const uchar *frame = bytes + at + 16;
        at += 16 + length;
        if (at > data.size() || length < 14 + 20 + 20 || bigEndian(frame + 12, 2) != 0x0800)
            continue;
        const uchar *ip = frame + 14;
        const int ipHeader = (ip[0] & 0x0f) * 4;
        if (ip[9] != 6 || 14 + ipHeader + 20 > length)
            continue;
        const uchar *tcp = ip + ipHeader;
        const int tcpHeader = (tcp[12] >> 4) * 4;
        const int payload = int(bigEndian(ip + 2, 2)) - ipHeader - tcpHeader;
        const quint16 source = quint16(bigEndian(tcp, 2));
        const quint16 destination = quint16(bigEndian(tcp + 2, 2));
        const bool syn = tcp[13] & 0x02;
        const bool ack = tcp[13] & 0x10;
        if (source == serverPort && syn && ack && !byPort.contains(destination)) {
            byPort.insert(destination, {stampNs, 0, 0});
            order.append(destination);
        } else if (destination == serverPort && payload > 0 && byPort.contains(source)) {
            WireConnection &connection = byPort[source];
            if (connection.hello == 0)
                connection.hello = stampNs;
            else if (connection.finished == 0)
                connection.finished = stampNs;
        }
    }
    QList<WireConnection> connections;
    for (quint16 port : std::as_const(order)) {
        if (byPort.value(port).finished != 0)
            connections.append(byPort.value(port));
    }
    return connections;
}

// Starts tcpdump on the client's side of the lab path, or says why not (it is a bench package).
QProcess *startCapture(NetLab::Lab &lab, const NetLab::RouterChain &chain, const QString &file, QString *why)
{
    if (QStandardPaths::findExecutable(u"tcpdump"_s).isEmpty()) {
        *why = u"tcpdump is not installed (scripts/deps bench)"_s;
        return nullptr;
    }
    QProcess *tcpdump = lab.startProcess(chain.client, u"tcpdump"_s,
        {u"-i"_s, chain.links.at(0).a.interface, u"-n"_s, u"-U"_s, u"--immediate-mode"_s,
            u"--time-stamp-precision=nano"_s, u"-s"_s, u"128"_s, u"-w"_s, file, u"tcp"_s, u"port"_s, u"8443"_s},
        why);
    if (!tcpdump)
        return nullptr;
    tcpdump->setReadChannel(QProcess::StandardError); // it says "listening on ..." there when it is
    QElapsedTimer waited;
    waited.start();
    QByteArray said;
    while (!said.contains("listening on") && waited.elapsed() < 10000 && tcpdump->state() == QProcess::Running) {
        tcpdump->waitForReadyRead(200);
        said += tcpdump->readAllStandardError();
    }
    if (!said.contains("listening on")) {
        *why = u"tcpdump did not start: "_s + QString::fromUtf8(said);
        return nullptr;
    }
    return tcpdump;
}

// What the capture shows of the handshakes, ours and curl's alternating as the rounds ran: the client's
// work before its ClientHello, the exchange on the wire, and our tls - connect against the wire's span.
void compareWithWire(const QList<WireConnection> &wire, const QList<Phases> &ours, const QList<Phases> &theirs)
{
    if (wire.size() != ours.size() + theirs.size()) {
        std::printf("lab_wire_skipped=the capture holds %lld whole handshakes, not %lld\n", qlonglong(wire.size()),
            qlonglong(ours.size() + theirs.size()));
        return;
    }
    QList<double> ourPrep, ourExchange, ourSpan, ourPhase, curlPrep, curlExchange, curlSpan, curlPhase;
    for (qsizetype i = 0; i < ours.size(); ++i) {
        const WireConnection &a = wire.at(2 * i);
        const WireConnection &b = wire.at(2 * i + 1);
        ourPrep.append(a.prepMs());
        ourExchange.append(a.exchangeMs());
        ourSpan.append(a.handshakeMs());
        ourPhase.append(ours.at(i).tls - ours.at(i).connect);
        curlPrep.append(b.prepMs());
        curlExchange.append(b.exchangeMs());
        curlSpan.append(b.handshakeMs());
        curlPhase.append(theirs.at(i).tls - theirs.at(i).connect);
    }
    print("lab_wire_handshakes", double(wire.size()));
    print("lab_wire_ours_before_client_hello_ms", median(ourPrep));
    print("lab_wire_curl_before_client_hello_ms", median(curlPrep));
    print("lab_wire_ours_exchange_ms", median(ourExchange));
    print("lab_wire_curl_exchange_ms", median(curlExchange));
    const double exchangeAllowed = std::max(0.2, 0.1 * median(curlExchange));
    print("lab_wire_exchange_within", std::abs(median(ourExchange) - median(curlExchange)) <= exchangeAllowed ? 1 : 0);
    // Each tool's own tls - connect against what its capture spans: how exactly each one times itself.
    print("lab_wire_ours_handshake_ms", median(ourSpan));
    print("lab_ours_tls_minus_connect_ms", median(ourPhase));
    print("lab_wire_curl_handshake_ms", median(curlSpan));
    print("lab_curl_tls_minus_connect_ms", median(curlPhase));
    const double spanAllowed = std::max(0.2, 0.1 * median(ourSpan));
    print("lab_ours_tls_within_wire", std::abs(median(ourPhase) - median(ourSpan)) <= spanAllowed ? 1 : 0);
}

bool labFailed(const QString &why)
{
    fail(u"lab path: "_s + why);
    return false;
}

// (d) The same comparison on a lab path, as the independent checks measure: client -> r1 -> server, the
// router holding each packet LAB_DELAY_MS each way, the server in its namespace, our probe and curl -w
// (one process per request, as a user runs it) in the client's. Returns false when the lab failed.
constexpr double LAB_DELAY_MS = 5;

bool compareOnLabPath(Test::TestCertificateAuthority &authority)
{
    using namespace StreamSwarm::NetLab;
    QString why;
    if (!Lab::available(&why)) {
        printText("lab_skipped", why);
        return true;
    }
    Lab lab;
    const auto chain = lab.routerChain(1, &why);
    if (!chain)
        return labFailed(why);
    ForwardDelay delay;
    delay.delayMs = LAB_DELAY_MS;
    if (!lab.delayForwarded(chain->routers.at(0), delay, &why))
        return labFailed(why);
    const QString address = chain->serverAddress().toString();
    Test::CertificateRequest request;
    request.names = {address};
    if (!authority.issue(u"lab"_s, request, &why))
        return labFailed(why);
    QProcess *web = lab.startProcess(chain->server, QStringLiteral(STREAMSWARM_TEST_WEB),
        {u"--listen"_s, address, u"--port"_s, u"8443"_s, u"--cert"_s, authority.certificateFile(u"lab"_s), u"--key"_s,
            authority.keyFile(u"lab"_s)},
        &why);
    if (!web)
        return labFailed(why);
    QElapsedTimer waited;
    waited.start();
    while (!web->canReadLine() && waited.elapsed() < 10000)
        web->waitForReadyRead(200);
    if (!web->readLine().startsWith("ready"))
        return labFailed(u"the lab's web server did not start"_s);
    const QString url = u"https://%1:8443/think?ms=%2&clip=intro"_s.arg(address).arg(THINK_MS);
    const auto probe = makeProbe(url, {{u"ca-file"_s, authority.caFile()}});
    const QString curlFormat = u"%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} "
                               "%{time_total}\n"_s;
    QTemporaryDir captureDir;
    const QString captureFile = captureDir.filePath(u"lab.pcap"_s);
    QString captureProblem;
    QProcess *tcpdump = startCapture(lab, *chain, captureFile, &captureProblem);
    QList<Phases> ours;
    QList<Phases> theirs;
    for (int i = 0; i < ROUNDS; ++i) {
        std::optional<Protocol::Round> round;
        {
            InNamespace inside(lab.namespaceName(chain->client));
            if (!inside.entered())
                return labFailed(u"cannot enter the lab's client namespace"_s);
            round = probeRound(probe.get());
        }
        if (!round || !round->error.isEmpty())
            return labFailed(u"lab probe round failed: "_s + (round ? round->error : u"no round"_s));
        ours.append({metric(*round, Metric::HttpDns), metric(*round, Metric::HttpConnect),
            metric(*round, Metric::HttpTls), metric(*round, Metric::HttpTtfb), metric(*round, Metric::HttpTotal)});
        const CommandResult curl = lab.run(chain->client, u"curl"_s,
            {u"-s"_s, u"-o"_s, u"/dev/null"_s, u"--compressed"_s, u"--cacert"_s, authority.caFile(), u"-w"_s,
                curlFormat, url},
            15000);
        const QStringList fields = curl.out.trimmed().split(u' ');
        if (!curl.succeeded() || fields.size() != 5)
            return labFailed(u"curl failed on the lab path: "_s + curl.err);
        theirs.append({fields.at(0).toDouble() * 1000, fields.at(1).toDouble() * 1000, fields.at(2).toDouble() * 1000,
            fields.at(3).toDouble() * 1000, fields.at(4).toDouble() * 1000});
    }
    print("lab_delay_each_way_ms", LAB_DELAY_MS);
    const auto ordered = [](const QList<Phases> &rounds) {
        return std::all_of(rounds.cbegin(), rounds.cend(), [](const Phases &p) { return p.ordered(); });
    };
    print("lab_phase_order_ok_every_round", ordered(ours) ? 1 : 0);
    print("lab_all_phases_within", compareMedians("lab_", ours, theirs) ? 1 : 0);
    if (!tcpdump) {
        printText("lab_wire_skipped", captureProblem);
        return true;
    }
    tcpdump->terminate(); // -U: every packet is in the file already; SIGTERM closes it
    tcpdump->waitForFinished(5000);
    compareWithWire(readCapture(captureFile, 8443), ours, theirs);
    return true;
}

// The CPU share of one agent running AGENT_TESTS http tests at 10 s against url (a console and the agent
// started for it in folder): the median of 10 s windows over measureSeconds, after a first round of
// each; -1 when it failed.
double agentCpuPercent(
    QCoreApplication &app, const QString &folder, const QString &url, const QString &caFile, int measureSeconds)
{
    Test::ConsoleHarness console(folder + u"/console"_s, true);
    if (!console.start()) {
        fail(u"the console did not start: "_s + console.process().output());
        return -1;
    }
    const Test::CommandResult token = console.cli({u"token"_s, u"create"_s, u"bench"_s});
    Test::ManagedProcess agent(Test::agentBinary(),
        {u"--server"_s, console.serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s, u"bench"_s,
            u"--state-dir"_s, folder + u"/agent"_s, u"--insecure"_s});
    if (!agent.start() || !agent.waitForOutput(u"online as bench"_s, 10000)) {
        fail(u"the agent did not come online: "_s + agent.output());
        return -1;
    }
    for (int i = 1; i <= AGENT_TESTS; ++i) {
        QStringList arguments{u"test"_s, u"add"_s, u"--name"_s, u"web%1"_s.arg(i), u"--type"_s, u"http"_s,
            u"--target"_s, url + u"&test=%1"_s.arg(i), u"--interval"_s, u"10s"_s, u"--continuous"_s, u"--agents"_s,
            u"bench"_s};
        if (!caFile.isEmpty())
            arguments << u"--param"_s << u"ca-file="_s + caFile;
        const Test::CommandResult add = console.cli(arguments);
        if (add.exitCode != 0) {
            fail(add.err);
            return -1;
        }
    }
    const auto runFor = [&app](int seconds) {
        QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
        app.exec();
    };
    runFor(10); // every test has been assigned and has run a round
    // Windows of one interval, each holding one round of every test; the median window, so that a burst
    // of something else on the machine does not count.
    QList<double> windows;
    for (int elapsed = 0; elapsed < measureSeconds; elapsed += 10) {
        const double cpuStart = processCpuSeconds(agent.pid());
        runFor(10);
        windows.append(100.0 * (processCpuSeconds(agent.pid()) - cpuStart) / 10);
    }
    agent.terminate();
    agent.waitForExit(10000);
    console.process().terminate();
    console.process().waitForExit(10000);
    QStringList figures;
    for (double window : std::as_const(windows))
        figures.append(QString::number(window, 'f', 2));
    printText(qPrintable(QFileInfo(folder).fileName() + u"_windows_pct"_s), figures.join(u' '));
    return median(windows);
}

// OpenSSL's own cost of one full TLS handshake with this server, from `openssl s_time -new` (user CPU
// per connection: one context kept, no HTTP); -1 when it did not run.
double opensslHandshakeCpuMs(const QString &baseUrl, const QString &caFile)
{
    const QUrl parsed(baseUrl);
    QProcess sTime;
    sTime.start(u"openssl"_s,
        {u"s_time"_s, u"-connect"_s, u"%1:%2"_s.arg(parsed.host()).arg(parsed.port()), u"-new"_s, u"-time"_s, u"3"_s,
            u"-CAfile"_s, caFile});
    if (!sTime.waitForFinished(20000))
        return -1;
    // "2839 connections in 1.65s; 1720.61 connections/user sec, bytes read 0"
    static const QRegularExpression perUserSecond(u"([0-9.]+) connections/user sec"_s);
    const QRegularExpressionMatch match = perUserSecond.match(QString::fromUtf8(sTime.readAllStandardOutput()));
    const double rate = match.hasMatch() ? match.captured(1).toDouble() : 0;
    return rate > 0 ? 1000.0 / rate : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    Test::TestCertificateAuthority authority(dir.path());
    QString error;
    if (!authority.isValid() || !authority.issue(u"server"_s, {}, &error))
        return fail(u"no test certificates: "_s + authority.error() + error);
    Test::WebServerProcess server;
    if (!server.start(authority.certificateFile(u"server"_s), authority.keyFile(u"server"_s), &error))
        return fail(error);
    // By name, as users give URLs (BENCH_HOST=127.0.0.1 for an address).
    const QString host = qEnvironmentVariableIsSet("BENCH_HOST") ? qEnvironmentVariable("BENCH_HOST") : u"localhost"_s;
    const QString url = server.baseUrl(host) + u"/think?ms=%1&clip=intro&quality=720p"_s.arg(THINK_MS);
    const QMap<QString, QString> probeParams{{u"ca-file"_s, authority.caFile()}};
    const QStringList curlArguments{u"--compressed"_s, u"--cacert"_s, authority.caFile(), url};

    // (a) Interleaved: a probe round, a curl run, and a curl run whose second transfer (on a new connection)
    // is the one kept: curl -w of a process that has done TLS once already, as an agent has.
    QList<Phases> ours;
    QList<Phases> theirs;
    QList<Phases> warm;
    double curlCpu = 0;
    const auto probe = makeProbe(url, probeParams);
    double probeCpu = 0;
    for (int i = 0; i < ROUNDS; ++i) {
        const double ownBefore = rusageCpuSeconds(RUSAGE_SELF);
        const auto round = probeRound(probe.get());
        probeCpu += rusageCpuSeconds(RUSAGE_SELF) - ownBefore;
        if (!round || !round->error.isEmpty())
            return fail(u"probe round failed: "_s + (round ? round->error : u"no round"_s));
        ours.append({metric(*round, Metric::HttpDns), metric(*round, Metric::HttpConnect),
            metric(*round, Metric::HttpTls), metric(*round, Metric::HttpTtfb), metric(*round, Metric::HttpTotal)});
        const double cpuBefore = rusageCpuSeconds(RUSAGE_CHILDREN);
        const auto run = curlRun(curlArguments);
        curlCpu += rusageCpuSeconds(RUSAGE_CHILDREN) - cpuBefore;
        if (!run)
            return fail(u"curl failed on "_s + url);
        theirs.append({run->at(0), run->at(1), run->at(2), run->at(3), run->at(4)});
        const auto warmRun = curlRun(curlArguments, 2);
        if (!warmRun)
            return fail(u"curl failed on "_s + url);
        warm.append({warmRun->at(0), warmRun->at(1), warmRun->at(2), warmRun->at(3), warmRun->at(4)});
        if (qEnvironmentVariableIsSet("BENCH_VERBOSE")) {
            const Phases &a = ours.last();
            const Phases &b = theirs.last();
            const Phases &w = warm.last();
            std::printf("round %d ours %.3f %.3f %.3f %.3f %.3f curl %.3f %.3f %.3f %.3f %.3f warm %.3f %.3f %.3f %.3f "
                        "%.3f\n",
                i + 1, a.dns, a.connect, a.tls, a.ttfb, a.total, b.dns, b.connect, b.tls, b.ttfb, b.total, w.dns,
                w.connect, w.tls, w.ttfb, w.total);
        }
    }
    print("rounds", ROUNDS);
    print("think_ms", THINK_MS);
    const auto orderedEverywhere = [](const QList<Phases> &rounds) {
        return std::all_of(rounds.cbegin(), rounds.cend(), [](const Phases &p) { return p.ordered(); });
    };
    print("phase_order_ok_every_round", orderedEverywhere(ours) ? 1 : 0);
    print("curl_phase_order_ok_every_round", orderedEverywhere(theirs) ? 1 : 0);
    print("curl_warm_phase_order_ok_every_round", orderedEverywhere(warm) ? 1 : 0);
    const struct
    {
        const char *name;
        double Phases::*field;
    } phases[] = {{"dns", &Phases::dns}, {"connect", &Phases::connect}, {"tls", &Phases::tls}, {"ttfb", &Phases::ttfb},
        {"total", &Phases::total}};
    bool allWithin = true;
    bool allWithinWarm = true;
    double ourTotal = 0;
    double curlTotal = 0;
    for (const auto &phase : phases) {
        QList<double> a;
        QList<double> b;
        QList<double> c;
        for (const Phases &p : ours)
            a.append(p.*(phase.field));
        for (const Phases &p : theirs)
            b.append(p.*(phase.field));
        for (const Phases &p : warm)
            c.append(p.*(phase.field));
        const double warmMedian = median(c);
        const bool withinWarm = std::abs(median(a) - warmMedian) <= std::max(0.2, 0.1 * warmMedian);
        allWithinWarm = allWithinWarm && withinWarm;
        std::printf("curl_warm_%s_median_ms=%.4f within_warm=%d\n", phase.name, warmMedian, withinWarm ? 1 : 0);
        const double ourMedian = median(a);
        const double curlMedian = median(b);
        const double allowed = std::max(0.2, 0.1 * curlMedian);
        const bool within = std::abs(ourMedian - curlMedian) <= allowed;
        allWithin = allWithin && within;
        std::printf("%s_median_ms=%.4f curl_%s_median_ms=%.4f allowed_ms=%.4f within=%d\n", phase.name, ourMedian,
            phase.name, curlMedian, allowed, within ? 1 : 0);
        if (phase.field == &Phases::total) {
            ourTotal = ourMedian;
            curlTotal = curlMedian;
        }
    }
    print("all_phases_within", allWithin ? 1 : 0);
    print("all_phases_within_warm", allWithinWarm ? 1 : 0);
    print("probe_cpu_ms_per_round", 1000 * probeCpu / ROUNDS);
    print("curl_cpu_ms_per_run", 1000 * curlCpu / ROUNDS);

    // (b) A known payload, gzip on the wire: the ratio against zlib's sizes computed here.
    const QByteArray raw = Test::knownPayload(PAYLOAD_BYTES);
    const qint64 gzipBytes = Test::encodeContent(raw, Test::ContentCoding::Gzip).size();
    const QString payloadUrl = server.baseUrl(u"localhost"_s) + u"/payload?size=%1"_s.arg(PAYLOAD_BYTES);
    const auto payloadProbe = makeProbe(payloadUrl, probeParams);
    const auto payloadRound = probeRound(payloadProbe.get());
    const auto payloadCurl = curlRun({u"--compressed"_s, u"--cacert"_s, authority.caFile(), payloadUrl});
    if (!payloadRound || !payloadRound->error.isEmpty() || !payloadCurl)
        return fail(u"the payload round failed"_s);
    const double expectedRatio = double(raw.size()) / double(gzipBytes);
    print("payload_raw_bytes", double(raw.size()));
    print("payload_gzip_bytes_zlib", double(gzipBytes));
    print("download_bytes", metric(*payloadRound, Metric::HttpDownloadBytes));
    print("curl_size_download", payloadCurl->at(5));
    std::printf("compression_ratio=%.6f expected_ratio=%.6f equal=%d\n",
        metric(*payloadRound, Metric::HttpCompressionRatio), expectedRatio,
        std::abs(metric(*payloadRound, Metric::HttpCompressionRatio) - expectedRatio) < 1e-9 ? 1 : 0);

    if (!qEnvironmentVariableIsSet("BENCH_SKIP_LAB") && !compareOnLabPath(authority))
        return 1;
    if (qEnvironmentVariableIsSet("BENCH_SKIP_AGENT"))
        return 0;
    // (c) One agent with 50 http tests at 10 s, through the console as deployed: over https, then the
    // same over plain http, and the floor: what OpenSSL's own s_time spends on one handshake.
    const int measureSeconds
        = qEnvironmentVariableIntValue("BENCH_SECONDS") > 0 ? qEnvironmentVariableIntValue("BENCH_SECONDS") : 60;
    const double httpsCpu = agentCpuPercent(app, dir.filePath(u"https"_s), url, authority.caFile(), measureSeconds);
    Test::WebServerProcess plainServer;
    if (!plainServer.start({}, {}, &error))
        return fail(error);
    const double plainCpu = agentCpuPercent(app, dir.filePath(u"plain"_s),
        plainServer.baseUrl() + u"/think?ms=%1&clip=intro"_s.arg(THINK_MS), {}, measureSeconds);
    if (httpsCpu < 0 || plainCpu < 0)
        return 1;
    // What the same requests would cost as curl runs: 50 per 10 s, at the CPU one run took above.
    const double curlPerRun = curlCpu / ROUNDS;
    const double curlEquivalent = 100.0 * curlPerRun * AGENT_TESTS / 10.0;
    print("agent_tests", AGENT_TESTS);
    print("agent_interval_s", 10);
    print("agent_measured_s", measureSeconds);
    print("agent_cpu_pct_of_one_core", httpsCpu);
    print("agent_plain_http_cpu_pct_of_one_core", plainCpu);
    print("curl_runs_cpu_pct_of_one_core", curlEquivalent);
    const double handshakeMs = opensslHandshakeCpuMs(server.baseUrl(u"localhost"_s), authority.caFile());
    print("openssl_s_time_handshake_cpu_ms", handshakeMs);
    // 5 new TLS connections a second at OpenSSL's own cost, without HTTP, curl or the agent.
    print("openssl_handshakes_alone_pct_of_one_core", handshakeMs > 0 ? 100.0 * handshakeMs / 1000 * 5 : -1);
    print("agent_cpu_under_1pct", httpsCpu < 1.0 ? 1 : 0);
    print("agent_plain_http_cpu_under_1pct", plainCpu < 1.0 ? 1 : 0);
    printText("url", url);
    print("ratio", curlTotal > 0 ? ourTotal / curlTotal : -1); // total time, ours / curl's
    return 0;
}
