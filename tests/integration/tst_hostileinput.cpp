// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <array>
#include <functional>
#include <memory>

#include <QCborArray>
#include <QCborMap>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtEndian>

#include <unistd.h>

#include "shared/protocol/codec.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Test;

namespace {

constexpr int BAD_HANDSHAKES = 200;
constexpr int MAX_BAD_HANDSHAKES = 20000;
constexpr qint64 FLOOD_MS = 2000;
constexpr int MALFORMED_MESSAGES = 10000;
constexpr int MESSAGES_PER_CONNECTION = 5; // the first closes the connection; the rest are in flight
constexpr int CONCURRENT_CONNECTIONS = 6; // under the console's 8 pending connections per address
constexpr int AUTHENTICATED_MALFORMED = 20; // sessions that say hello first, then misbehave
constexpr qint64 BIG_FRAME_BYTES = 100LL * 1024 * 1024;
// The bound is wider under ASan (processharness.h says why).
constexpr qint64 RSS_GROWTH_LIMIT_KB = RSS_BOUND_FACTOR * 32LL * 1024;
constexpr int MESSAGE_FLOOD = 1000;

// What a client saw when its connection ended.
struct Closed
{
    bool connected = false;
    int code = -1;
    QString reason;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;

    // The peer reset the connection before its close frame could be read (it closed with data of
    // ours still unread, so TCP sent a reset); QWebSocket then reports its default, 1000 and "".
    bool closeFrameLost() const
    {
        return code == 1000 && reason.isEmpty() && error != QAbstractSocket::UnknownSocketError;
    }
};

QByteArray bearer(const QString &secret)
{
    return "Bearer " + secret.toLatin1();
}

Protocol::Hello hello(const QString &name)
{
    Protocol::Hello message;
    message.agent.name = name;
    message.agent.host = u"attacker"_s;
    message.agent.os = u"test"_s;
    message.agent.version = u"0"_s;
    message.agent.capabilities = QStringList{u"ping"_s}; // an empty list trips the agents table today
    return message;
}

// Kinds of malformed message, each of which must close the connection with 4002.
constexpr int MALFORMED_KINDS = 12;

QByteArray malformed(int kind, QRandomGenerator &random)
{
    switch (kind) {
    case 0: { // random bytes
        QByteArray bytes(int(random.bounded(1, 512)), Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(random.bounded(256));
        return bytes;
    }
    case 1: { // a hello cut short
        const QByteArray whole = Protocol::encode({hello(u"cut"_s)});
        return whole.left(int(random.bounded(1, int(whole.size()))));
    }
    case 2:
        return QCborValue(QCborArray{1, 2, 3}).toCbor();
    case 3:
        return QCborValue(QCborMap{{u"v"_s, 99}, {u"type"_s, u"hello"_s}}).toCbor();
    case 4:
        return QCborValue(QCborMap{{u"v"_s, 1}, {u"type"_s, u"bogus"_s}}).toCbor();
    case 5:
        return Protocol::encode({hello(u"bad name!"_s)});
    case 6: // well formed, but results before hello
        return Protocol::encode({Protocol::Results{1, {}, {}, 0}});
    case 7: { // arrays nested far deeper than any parser should follow
        QByteArray bytes(100000, '\x81');
        bytes.append('\x00');
        return bytes;
    }
    case 8: // a byte string that claims 2^63 bytes
        return QByteArray::fromHex("5b7fffffffffffffff00");
    case 9: // the hello map, buried under a mass of keys of the wrong types
    {
        QCborMap map{{u"v"_s, 1}, {u"type"_s, u"hello"_s}};
        for (int i = 0; i < 20000; ++i)
            map.insert(i, i);
        return QCborValue(map).toCbor();
    }
    case 10:
        return QByteArray(""); // empty, not null
    default: { // capabilities far over their limit
        Protocol::Hello message = hello(u"caps"_s);
        for (int i = 0; i < 5000; ++i)
            message.agent.capabilities.append(u"ping"_s);
        return Protocol::encode({message});
    }
    }
}

// A results batch with more values than MAX_VALUES_PER_BATCH, in well under 1 MiB: rounds of
// MAX_VALUES_PER_ROUND two-character metrics with small integer values.
QByteArray tooManyValues()
{
    QCborMap values;
    for (int i = 0; i < Protocol::MAX_VALUES_PER_ROUND; ++i)
        values.insert(QString(QChar(u'a' + i / 26)) + QChar(u'a' + i % 26), i % 24);
    QCborArray rounds;
    const int needed = Protocol::MAX_VALUES_PER_BATCH / Protocol::MAX_VALUES_PER_ROUND + 1;
    for (int i = 0; i < needed; ++i)
        rounds.append(QCborMap{{u"test"_s, 1}, {u"t"_s, 1}, {u"values"_s, values}});
    return QCborValue(QCborMap{{u"v"_s, 1}, {u"type"_s, u"results"_s}, {u"seq"_s, 1}, {u"rounds"_s, rounds}}).toCbor();
}

// Client frames are masked (RFC 6455 5.3).
QByteArray frameHeader(quint8 opcode, quint64 length, const QByteArray &mask)
{
    QByteArray header;
    header.append(char(0x80 | opcode));
    if (length < 126) {
        header.append(char(0x80 | length));
    } else if (length < 65536) {
        header.append(char(0x80 | 126));
        std::array<char, 2> bytes;
        qToBigEndian(quint16(length), bytes.data());
        header.append(bytes.data(), bytes.size());
    } else {
        header.append(char(0x80 | 127));
        std::array<char, 8> bytes;
        qToBigEndian(length, bytes.data());
        header.append(bytes.data(), bytes.size());
    }
    return header + mask;
}

QByteArray clientFrame(quint8 opcode, const QByteArray &payload)
{
    QByteArray mask(4, Qt::Uninitialized);
    for (char &byte : mask)
        byte = char(QRandomGenerator::global()->bounded(256));
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ mask[i % 4]);
    return frameHeader(opcode, quint64(payload.size()), mask) + masked;
}

struct ServerFrame
{
    int opcode = 0;
    QByteArray payload;
};

// Takes one whole (unmasked) server frame off the front of buffer.
std::optional<ServerFrame> takeFrame(QByteArray &buffer)
{
    if (buffer.size() < 2)
        return std::nullopt;
    const auto *data = reinterpret_cast<const uchar *>(buffer.constData());
    quint64 length = data[1] & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (buffer.size() < 4)
            return std::nullopt;
        length = qFromBigEndian<quint16>(data + 2);
        offset = 4;
    } else if (length == 127) {
        if (buffer.size() < 10)
            return std::nullopt;
        length = qFromBigEndian<quint64>(data + 2);
        offset = 10;
    }
    if (quint64(buffer.size() - offset) < length)
        return std::nullopt;
    ServerFrame frame{data[0] & 0x0f, buffer.mid(offset, qsizetype(length))};
    buffer.remove(0, offset + qsizetype(length));
    return frame;
}

bool hasWholeFrame(QByteArray buffer)
{
    return takeFrame(buffer).has_value();
}

qint64 rssKb(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

// A hostile peer on loopback against a real console while a real agent streams a 200 ms ping
// test: a flood of bad handshakes, a 100 MB frame and message, 10,000 malformed messages and a
// message flood. Each is refused with a close code and reason; the console keeps storing the good
// agent's samples and its memory stays within a bound.
class TestHostileInput : public QObject
{
    Q_OBJECT

public:
    ~TestHostileInput() override { dropClients(); }

private Q_SLOTS:
    void initTestCase();
    void hugeFrameIsRefused();
    void hugeMessageIsRefused();
    void malformedMessagesAreRefused();
    void messageFloodIsCutOff();
    void silentConnectionsAreCappedAndTimedOut();
    void badHandshakeFloodIsThrottled(); // last: it locks 127.0.0.1 out for a while
    void cleanupTestCase();

private:
    QWebSocket *dial(const QByteArray &authorization, const std::function<void(QWebSocket *)> &onConnected,
        const std::function<void(const Closed &)> &onClosed,
        const std::function<void(QWebSocket *, const QByteArray &)> &onMessage = {});
    void dropClients();
    QString enroll(const QString &token, const QString &name);
    qint64 samples() const;
    qint64 consoleRssKb() { return rssKb(m_console->process().pid()); }
    QJsonArray events() const;
    qsizetype consoleSays(const QString &text) { return m_console->process().output().count(text); }
    bool goodAgentOnline() const;
    void keepsStreaming(const char *when);

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleHarness> m_console;
    std::unique_ptr<ManagedProcess> m_agent;
    QUrl m_url;
    QString m_throwawayToken; // used up by the enrollment below
    QString m_credential; // the throwaway agent's: lets the attacker past the Authorization check
    QObject m_clients; // parent of every attacking socket
    qint64 m_rssStartKb = 0;
    QStringList m_report;
};

void TestHostileInput::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("The good agent's ping test needs root or CAP_NET_RAW for ICMP sockets (CI runs as root).");
    QVERIFY(QFile::exists(consoleBinary()));
    QVERIFY(QFile::exists(agentBinary()));
    QVERIFY(m_dir.isValid());
    shrinkSanitizerQuarantine();
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s));
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    m_url = QUrl(m_console->serverUrl());
    QCOMPARE(m_url.scheme(), u"ws"_s);

    const CommandResult good = m_console->cli({u"token"_s, u"create"_s, u"good"_s});
    QCOMPARE(good.exitCode, 0);
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--name"_s, u"good-1"_s, u"--state-dir"_s,
            m_dir.filePath(u"agent"_s), u"--insecure"_s, u"--token"_s, good.out.trimmed()});
    QVERIFY(m_agent->start());
    QVERIFY2(
        m_console->process().waitForOutput(u"agent good-1 online"_s, 10000), qPrintable(m_console->process().output()));
    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"steady"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"200ms"_s, u"--continuous"_s, u"--agents"_s, u"good-1"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));

    const CommandResult throwaway = m_console->cli({u"token"_s, u"create"_s, u"throwaway"_s, u"--uses"_s, u"1"_s});
    QCOMPARE(throwaway.exitCode, 0);
    m_throwawayToken = throwaway.out.trimmed();
    m_credential = enroll(m_throwawayToken, u"hostile-1"_s);
    QVERIFY2(m_credential.startsWith(u"ssa_"_s), qPrintable(m_console->process().output()));

    QTRY_VERIFY_WITH_TIMEOUT(samples() > 0, 10000);
    m_rssStartKb = consoleRssKb();
    QVERIFY(m_rssStartKb > 0);
    m_report << u"console RSS at the start: %1 kB"_s.arg(m_rssStartKb);
}

QWebSocket *TestHostileInput::dial(const QByteArray &authorization,
    const std::function<void(QWebSocket *)> &onConnected, const std::function<void(const Closed &)> &onClosed,
    const std::function<void(QWebSocket *, const QByteArray &)> &onMessage)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, &m_clients);
    auto closed = std::make_shared<Closed>();
    auto finished = std::make_shared<bool>(false);
    const auto finish = [socket, closed, finished, onClosed] {
        if (std::exchange(*finished, true))
            return;
        closed->code = int(socket->closeCode());
        closed->reason = socket->closeReason();
        closed->error = socket->error();
        socket->deleteLater();
        if (onClosed)
            onClosed(*closed);
    };
    connect(socket, &QWebSocket::connected, socket, [socket, closed, onConnected] {
        closed->connected = true;
        if (onConnected)
            onConnected(socket);
    });
    connect(socket, &QWebSocket::disconnected, socket, finish);
    // A refused upgrade may end with error() alone.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), socket,
        [socket, finish](QAbstractSocket::SocketError) {
            if (socket->state() == QAbstractSocket::UnconnectedState)
                finish();
        });
    if (onMessage) {
        connect(socket, &QWebSocket::binaryMessageReceived, socket,
            [socket, onMessage](const QByteArray &bytes) { onMessage(socket, bytes); });
    }
    QNetworkRequest request(m_url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    socket->open(request);
    return socket;
}

void TestHostileInput::dropClients()
{
    // ~QWebSocket emits disconnected(): cut the handlers (they may point at a finished test's locals) first.
    const auto sockets = m_clients.findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    for (QWebSocket *socket : sockets) {
        socket->disconnect();
        delete socket;
    }
}

QString TestHostileInput::enroll(const QString &token, const QString &name)
{
    QString credential;
    bool done = false;
    dial(
        bearer(token), [&](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(name)})); },
        [&](const Closed &) { done = true; },
        [&](QWebSocket *socket, const QByteArray &bytes) {
            const auto message = Protocol::decode(bytes);
            if (message && message->type() == Protocol::MessageType::Welcome) {
                credential = std::get<Protocol::Welcome>(message->payload).credential;
                socket->close();
            }
        });
    const bool finished = QTest::qWaitFor([&] { return done; }, 10000);
    dropClients();
    return finished ? credential : QString();
}

qint64 TestHostileInput::samples() const
{
    const CommandResult result = m_console->cli({u"summary"_s, u"--json"_s});
    return qint64(QJsonDocument::fromJson(result.out.toUtf8()).object()[u"samples"_s].toDouble());
}

QJsonArray TestHostileInput::events() const
{
    const CommandResult result = m_console->cli({u"event"_s, u"list"_s, u"--json"_s, u"--limit"_s, u"100000"_s});
    return QJsonDocument::fromJson(result.out.toUtf8()).array();
}

bool TestHostileInput::goodAgentOnline() const
{
    const CommandResult result = m_console->cli({u"agent"_s, u"list"_s, u"--json"_s});
    const QJsonArray agents = QJsonDocument::fromJson(result.out.toUtf8()).array();
    return std::any_of(agents.begin(), agents.end(), [](const QJsonValue &agent) {
        return agent[u"name"_s].toString() == u"good-1" && agent[u"status"_s].toString() == u"online";
    });
}

// The good agent is still online and its samples still grow.
void TestHostileInput::keepsStreaming(const char *when)
{
    QVERIFY2(m_console->process().isRunning(), when);
    QVERIFY2(m_agent->isRunning(), when);
    QVERIFY2(goodAgentOnline(), when);
    const qint64 before = samples();
    QTRY_VERIFY2_WITH_TIMEOUT(samples() > before, when, 5000);
}

void TestHostileInput::hugeFrameIsRefused()
{
    // By hand on a TCP socket: the upgrade, a hello, then one frame whose header announces 100 MB.
    QTcpSocket tcp;
    QByteArray received;
    connect(&tcp, &QTcpSocket::readyRead, &tcp, [&] { received += tcp.readAll(); });
    tcp.connectToHost(QHostAddress::LocalHost, quint16(m_url.port()));
    QVERIFY(tcp.waitForConnected(5000));
    const QByteArray key = QByteArray::number(QRandomGenerator::global()->generate64()).toBase64();
    tcp.write("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_url.port())
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key
        + "\r\nAuthorization: " + bearer(m_credential) + "\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("\r\n\r\n"), 5000);
    QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    tcp.write(clientFrame(0x2, Protocol::encode({hello(u"hostile-1"_s)})));
    QTRY_VERIFY_WITH_TIMEOUT(hasWholeFrame(received), 5000);
    const std::optional<ServerFrame> welcome = takeFrame(received);
    QVERIFY(welcome);
    const auto decoded = Protocol::decode(welcome->payload);
    QVERIFY(decoded);
    QCOMPARE(decoded->type(), Protocol::MessageType::Welcome);

    const qint64 rssBefore = consoleRssKb();
    const QByteArray chunk(qsizetype(1024) * 1024, '\x5a');
    qint64 queued = 0;
    const auto pump = [&] {
        while (tcp.state() == QAbstractSocket::ConnectedState && queued < BIG_FRAME_BYTES
            && tcp.bytesToWrite() < 4 * chunk.size()) {
            tcp.write(chunk);
            queued += chunk.size();
        }
    };
    connect(&tcp, &QTcpSocket::bytesWritten, &tcp, pump);
    QElapsedTimer timer;
    timer.start();
    tcp.write(frameHeader(0x2, quint64(BIG_FRAME_BYTES), QByteArray("\x01\x02\x03\x04", 4)));
    pump();
    QTRY_VERIFY_WITH_TIMEOUT(tcp.state() == QAbstractSocket::UnconnectedState, 30000);
    const qint64 sent = queued - tcp.bytesToWrite();
    const qint64 rssAfter = consoleRssKb();

    // The console says why on its side whatever happens to the close frame on the wire (a reset
    // after unread data may eat it).
    QTRY_VERIFY2_WITH_TIMEOUT(consoleSays(u"agent hostile-1 went offline: 1009 Maximum framesize exceeded"_s) == 1,
        qPrintable(m_console->process().output().right(2000)), 5000);
    int closeCode = -1;
    while (const auto frame = takeFrame(received)) {
        if (frame->opcode == 0x8 && frame->payload.size() >= 2)
            closeCode = qFromBigEndian<quint16>(frame->payload.constData());
    }
    QVERIFY(closeCode == -1 || closeCode == 1009);
    QVERIFY2(sent < BIG_FRAME_BYTES, "the console read the whole 100 MB frame");
    m_report << u"100 MB frame: cut off once %1 MB were written, %2 ms after its header; close code on the wire %3; "
                "console RSS %4 -> %5 kB"_s.arg(double(sent) / (1024 * 1024), 0, 'f', 1)
                    .arg(timer.elapsed())
                    .arg(
                        closeCode == -1 ? u"lost to a reset (1009 in the console's log)"_s : QString::number(closeCode))
                    .arg(rssBefore)
                    .arg(rssAfter);
    QVERIFY2(rssAfter - rssBefore < RSS_GROWTH_LIMIT_KB, qPrintable(m_report.last()));
    keepsStreaming("after the 100 MB frame");
}

void TestHostileInput::hugeMessageIsRefused()
{
    // The same 100 MB as one message in QWebSocket's 512 KiB frames: over 1 MiB it is cut off.
    auto guard = qScopeGuard([this] { dropClients(); });
    const qint64 rssBefore = consoleRssKb();
    std::optional<Closed> result;
    bool welcomed = false;
    dial(
        bearer(m_credential),
        [](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(u"hostile-1"_s)})); },
        [&](const Closed &closed) { result = closed; },
        [&](QWebSocket *socket, const QByteArray &bytes) {
            const auto message = Protocol::decode(bytes);
            if (!welcomed && message && message->type() == Protocol::MessageType::Welcome) {
                welcomed = true;
                socket->sendBinaryMessage(QByteArray(BIG_FRAME_BYTES, '\x5a'));
            }
        });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    QVERIFY(welcomed);
    const qint64 rssAfter = consoleRssKb();
    QTRY_VERIFY2_WITH_TIMEOUT(consoleSays(u"agent hostile-1 went offline: 1009"_s) == 2,
        qPrintable(m_console->process().output().right(2000)), 5000);
    m_report << u"100 MB message in 512 KiB frames: client saw close %1 \"%2\"; console RSS %3 -> %4 kB"_s
                    .arg(result->code)
                    .arg(result->reason)
                    .arg(rssBefore)
                    .arg(rssAfter);
    QVERIFY2(result->code == 1009 || result->closeFrameLost(), qPrintable(m_report.last()));
    QVERIFY2(rssAfter - rssBefore < RSS_GROWTH_LIMIT_KB, qPrintable(m_report.last()));
    keepsStreaming("after the 100 MB message");
}

void TestHostileInput::malformedMessagesAreRefused()
{
    auto guard = qScopeGuard([this] { dropClients(); });
    const qint64 rssBefore = consoleRssKb();
    const qint64 samplesBefore = samples();
    QRandomGenerator random(20260101);
    const QByteArray overfull = tooManyValues();
    QVERIFY(overfull.size() < Protocol::MAX_MESSAGE_BYTES);

    // First a few sessions that authenticate and then send something broken.
    int authenticatedClosed = 0;
    QMap<QString, int> authenticatedReasons;
    for (int i = 0; i < AUTHENTICATED_MALFORMED; ++i) {
        bool done = false;
        dial(
            bearer(m_credential),
            [](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(u"hostile-1"_s)})); },
            [&](const Closed &closed) {
                done = true;
                authenticatedClosed += closed.code == 4002 ? 1 : 0;
                ++authenticatedReasons[u"%1 %2"_s.arg(closed.code).arg(closed.reason)];
            },
            [&, i](QWebSocket *socket, const QByteArray &bytes) {
                const auto message = Protocol::decode(bytes);
                // Kind 6 (an empty results batch) is fine once online, so it is left out here.
                const int kind = (i * 5) % MALFORMED_KINDS;
                if (message && message->type() == Protocol::MessageType::Welcome)
                    socket->sendBinaryMessage(i % 2 ? overfull : malformed(kind == 6 ? 0 : kind, random));
            });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    }
    QVERIFY2(authenticatedClosed == AUTHENTICATED_MALFORMED,
        qPrintable(QStringList(authenticatedReasons.keys()).join(u"; "_s)));
    QVERIFY(authenticatedReasons.contains(u"4002 Bad message: a batch has more than 100000 values"_s));

    // Then the mass: MESSAGES_PER_CONNECTION broken messages on each of many connections that
    // carry a valid credential but never say hello, a few at a time.
    const int connections = MALFORMED_MESSAGES / MESSAGES_PER_CONNECTION;
    // Every kind once, more variants of the random ones, a text frame (null) and the overfull batch:
    // 26 entries, prime to MESSAGES_PER_CONNECTION, so each comes first on some connections.
    QList<QByteArray> corpus;
    for (int kind = 0; kind < MALFORMED_KINDS; ++kind)
        corpus.append(malformed(kind, random));
    for (int i = 0; i < 12; ++i)
        corpus.append(malformed(i % 3 ? 0 : 1, random));
    corpus.append(QByteArray());
    corpus.append(overfull);
    QCOMPARE(corpus.size(), 26);
    int launched = 0;
    int finished = 0;
    int sent = 0;
    QMap<int, int> codes;
    QMap<QString, int> reasons;
    int lost = 0;
    QElapsedTimer timer;
    timer.start();
    std::function<void()> launch = [&] {
        const int index = launched++;
        dial(
            bearer(m_credential),
            [&, index](QWebSocket *socket) {
                for (int j = 0; j < MESSAGES_PER_CONNECTION; ++j) {
                    const QByteArray &message = corpus.at((index * MESSAGES_PER_CONNECTION + j) % corpus.size());
                    if (message.isNull())
                        socket->sendTextMessage(u"{\"v\":1}"_s);
                    else
                        socket->sendBinaryMessage(message);
                    ++sent;
                }
            },
            [&](const Closed &closed) {
                ++finished;
                ++codes[closed.code];
                lost += closed.closeFrameLost() ? 1 : 0;
                ++reasons[closed.reason.section(u':', 0, 1).left(60)];
                if (launched < connections)
                    launch();
            });
    };
    timer.start();
    for (int i = 0; i < CONCURRENT_CONNECTIONS; ++i)
        launch();
    // Bounded by progress, not by a total: a loaded machine (or a sanitizer build) takes longer
    // over 2,000 TLS handshakes, but a console that stops answering stalls at once.
    while (finished < connections && timer.elapsed() < 600'000) {
        const int before = finished;
        QTRY_VERIFY_WITH_TIMEOUT(finished > before, 20000);
    }
    QCOMPARE(finished, connections);
    const qint64 elapsed = timer.elapsed();
    const qint64 rssAfter = consoleRssKb();
    const qint64 samplesAfter = samples();

    QStringList summary;
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        summary << u"%1x \"%2\""_s.arg(it.value()).arg(it.key());
    QStringList codeCounts;
    for (auto it = codes.cbegin(); it != codes.cend(); ++it)
        codeCounts << u"%1x %2"_s.arg(it.value()).arg(it.key());
    m_report << u"%1 malformed messages on %2 connections (+%3 after hello) in %4 ms: close codes %5; console RSS "
                "%6 -> %7 kB; samples %8 -> %9"_s.arg(sent)
                    .arg(connections)
                    .arg(AUTHENTICATED_MALFORMED)
                    .arg(elapsed)
                    .arg(codeCounts.join(u", "_s) + u" (%1 close frames lost to a reset)"_s.arg(lost))
                    .arg(rssBefore)
                    .arg(rssAfter)
                    .arg(samplesBefore)
                    .arg(samplesAfter);
    m_report << u"  reasons: "_s + summary.join(u", "_s);
    QCOMPARE(sent, MALFORMED_MESSAGES);
    QVERIFY2(codes.value(4002) + lost == connections, qPrintable(m_report.join(u'\n')));
    // The console's side of every one of them (pre-hello sessions have no name, hence two spaces).
    QTRY_COMPARE_WITH_TIMEOUT(consoleSays(u"  code 4002 Bad message"_s) + consoleSays(u"  code 4002 Text frames"_s)
            + consoleSays(u"  code 4002 Unexpected results"_s),
        qsizetype(connections), 5000);
    for (const QString &reason : reasons.keys())
        QVERIFY(!reason.contains(m_credential.section(u'_', 2)));
    QVERIFY2(rssAfter - rssBefore < RSS_GROWTH_LIMIT_KB, qPrintable(m_report.join(u'\n')));
    QVERIFY2(samplesAfter > samplesBefore, "no sample was stored during the attack");
    keepsStreaming("after the malformed messages");
}

void TestHostileInput::messageFloodIsCutOff()
{
    auto guard = qScopeGuard([this] { dropClients(); });
    std::optional<Closed> result;
    dial(
        bearer(m_credential),
        [](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(u"hostile-1"_s)})); },
        [&](const Closed &closed) { result = closed; },
        [&](QWebSocket *socket, const QByteArray &bytes) {
            const auto message = Protocol::decode(bytes);
            if (!message || message->type() != Protocol::MessageType::Welcome)
                return;
            const QByteArray pong = Protocol::encode({Protocol::Pong{1, 2}});
            for (int i = 0; i < MESSAGE_FLOOD; ++i)
                socket->sendBinaryMessage(pong);
        });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
    m_report << u"%1 pongs at once: close %2 \"%3\""_s.arg(MESSAGE_FLOOD).arg(result->code).arg(result->reason);
    QCOMPARE(result->code, 4007);
    QVERIFY(result->reason.startsWith(u"Too many messages"_s));
    keepsStreaming("after the message flood");
}

void TestHostileInput::silentConnectionsAreCappedAndTimedOut()
{
    // Eight connections (the most one address may have waiting) that never say hello.
    auto guard = qScopeGuard([this] { dropClients(); });
    constexpr int PENDING_PER_ADDRESS = 8;
    QElapsedTimer timer;
    timer.start();
    int connected = 0;
    QList<Closed> silent;
    qint64 firstClosedMs = -1;
    for (int i = 0; i < PENDING_PER_ADDRESS; ++i) {
        dial(
            bearer(m_credential), [&](QWebSocket *) { ++connected; },
            [&](const Closed &closed) {
                silent.append(closed);
                if (firstClosedMs < 0)
                    firstClosedMs = timer.elapsed();
            });
    }
    QTRY_COMPARE_WITH_TIMEOUT(connected, PENDING_PER_ADDRESS, 5000);
    const qint64 allOpenMs = timer.elapsed();
    std::optional<Closed> ninth;
    dial(bearer(m_credential), {}, [&](const Closed &closed) { ninth = closed; });
    QTRY_VERIFY_WITH_TIMEOUT(ninth.has_value(), 5000);
    QCOMPARE(ninth->code, 4007);
    QCOMPARE(ninth->reason, u"Too many connections are waiting to authenticate; try again later."_s);

    QTRY_COMPARE_WITH_TIMEOUT(silent.size(), PENDING_PER_ADDRESS, 15000);
    const qint64 lastClosedMs = timer.elapsed();
    for (const Closed &closed : std::as_const(silent)) {
        QCOMPARE(closed.code, 4004);
        QCOMPARE(closed.reason, u"No hello within 10 seconds."_s);
    }
    m_report << u"%1 silent connections: the next refused with 4007; all closed with 4004 between %2 and %3 ms "
                "after opening (all open after %4 ms)"_s.arg(PENDING_PER_ADDRESS)
                    .arg(firstClosedMs)
                    .arg(lastClosedMs)
                    .arg(allOpenMs);
    QVERIFY2(firstClosedMs >= 9900 && lastClosedMs <= allOpenMs + 10500, qPrintable(m_report.last()));

    // The places are free again.
    bool welcomed = false;
    dial(
        bearer(m_credential),
        [](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(u"hostile-1"_s)})); }, {},
        [&](QWebSocket *, const QByteArray &bytes) {
            const auto message = Protocol::decode(bytes);
            welcomed = welcomed || (message && message->type() == Protocol::MessageType::Welcome);
        });
    QTRY_VERIFY_WITH_TIMEOUT(welcomed, 5000);
}

void TestHostileInput::badHandshakeFloodIsThrottled()
{
    auto guard = qScopeGuard([this] { dropClients(); });
    QString forged = m_credential;
    forged[forged.size() - 1] = forged.back() == u'A' ? u'B' : u'A';
    const QList<QByteArray> headers{QByteArray(), "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", bearer(forged),
        bearer(m_throwawayToken), "Bearer " + QByteArray(6000, 'A'), "Bearer ssa_0123456789abcdef_"};
    const qint64 samplesBefore = samples();
    const qint64 rssBefore = consoleRssKb();
    QList<Closed> outcomes;
    QElapsedTimer timer;
    timer.start();
    // One after the other, each as soon as the one before was closed, for at least BAD_HANDSHAKES
    // attempts and FLOOD_MS, so the good agent has batches to deliver meanwhile.
    bool done = false;
    std::function<void()> next = [&] {
        const int i = int(outcomes.size());
        if ((i >= BAD_HANDSHAKES && timer.elapsed() >= FLOOD_MS) || i >= MAX_BAD_HANDSHAKES) {
            done = true;
            return;
        }
        dial(
            headers.at(i % headers.size()),
            [](QWebSocket *socket) { socket->sendBinaryMessage(Protocol::encode({hello(u"intruder"_s)})); },
            [&](const Closed &closed) {
                outcomes.append(closed);
                next();
            });
    };
    next();
    QTRY_VERIFY_WITH_TIMEOUT(done, 11000);
    const qint64 elapsed = timer.elapsed();
    const qint64 samplesAfter = samples();
    const qint64 rssAfter = consoleRssKb();

    int refused = 0;
    while (refused < outcomes.size() && outcomes.at(refused).code == 4001)
        ++refused;
    const auto lockedOut = std::count_if(outcomes.cbegin(), outcomes.cend(), [](const Closed &closed) {
        return closed.code == 4006 && closed.reason.startsWith(u"Too many failed attempts from this address"_s);
    });
    m_report << u"%1 bad handshakes in %2 ms: the first %3 refused with 4001, %4 with 4006 (\"%5\"); samples %6 -> "
                "%7; console RSS %8 -> %9 kB"_s.arg(outcomes.size())
                    .arg(elapsed)
                    .arg(refused)
                    .arg(lockedOut)
                    .arg(outcomes.last().reason)
                    .arg(samplesBefore)
                    .arg(samplesAfter)
                    .arg(rssBefore)
                    .arg(rssAfter);
    QVERIFY2(elapsed < 12000, "too slow for the numbers below to hold; the bucket refilled meanwhile");
    QVERIFY2(outcomes.size() >= BAD_HANDSHAKES, qPrintable(m_report.last()));
    QVERIFY2(refused == 5 && lockedOut == outcomes.size() - 5, qPrintable(m_report.last()));

    // One event for the one lockout, naming the address and the time, and no secret.
    QJsonArray lockouts;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray all = events();
            lockouts = QJsonArray();
            for (const auto &event : all) {
                if (event[u"kind"_s].toString() == u"auth-lockout")
                    lockouts.append(event);
            }
            return !lockouts.isEmpty();
        }(),
        5000);
    QCOMPARE(lockouts.size(), 1);
    const QJsonObject lockout = lockouts.first().toObject();
    m_report << u"event: %1 %2 \"%3\""_s.arg(
        lockout[u"level"_s].toString(), lockout[u"kind"_s].toString(), lockout[u"message"_s].toString());
    QCOMPARE(lockout[u"level"_s].toString(), u"warning"_s);
    QVERIFY(lockout[u"message"_s].toString().contains(u"127.0.0.1"_s));
    QVERIFY(lockout[u"message"_s].toString().contains(u"12 s"_s));
    QVERIFY2(m_console->process().output().count(u"Too many failed sign-in attempts from 127.0.0.1"_s) == 1,
        "the lockout should be logged once");

    QVERIFY2(samplesAfter > samplesBefore, "no sample was stored during the flood");
    keepsStreaming("after the handshake flood");
    QVERIFY(rssAfter - rssBefore < RSS_GROWTH_LIMIT_KB);
}

void TestHostileInput::cleanupTestCase()
{
    if (!m_console)
        return;
    const qint64 rssEnd = consoleRssKb();
    m_report << u"console RSS at the end: %1 kB (start %2 kB)"_s.arg(rssEnd).arg(m_rssStartKb);
    for (const QString &line : std::as_const(m_report))
        qInfo().noquote() << line;
    // Nothing secret reached the console's log.
    const QString log = m_console->process().output();
    for (const QString &secret : {m_credential, m_throwawayToken}) {
        if (!secret.isEmpty())
            QVERIFY(!log.contains(secret.section(u'_', 2).left(24))); // also catches the forged one
    }
    QVERIFY(m_console->process().isRunning());
    QVERIFY(rssEnd - m_rssStartKb < 2 * RSS_GROWTH_LIMIT_KB);
    if (m_agent) {
        m_agent->terminate();
        m_agent->waitForExit(5000);
    }
    m_console->process().terminate();
    QVERIFY(m_console->process().waitForExit(10000));
    QCOMPARE(m_console->process().exitCode(), 0);
    const QString last = m_console->process().output().right(4000);
    for (const QString &alarm : {u"AddressSanitizer"_s, u"LeakSanitizer"_s, u"runtime error:"_s})
        QVERIFY2(!last.contains(alarm), qPrintable(last));
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
