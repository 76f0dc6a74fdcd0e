// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <limits>

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QDir>
#include <QFile>
#include <QTest>

#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/detailcodec.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Protocol;

Q_DECLARE_METATYPE(StreamSwarm::Protocol::Message)

namespace {

// Set to 1 to rewrite tests/data/protocol/*.cbor from the messages below; only when the wire format
// changes on purpose (and then say so in the protocol README).
constexpr char REGENERATE_ENV[] = "STREAMSWARM_REGENERATE_GOLDEN";

// 2026-11-26T08:00:00Z in ms.
constexpr qint64 T0 = 1'795'680'000'000;

// Every field of a message as text, so a comparison names the field that differs.
QString number(double value)
{
    return QString::number(value, 'g', 17);
}

struct Describer
{
    QStringList &out;

    void operator()(const Hello &m)
    {
        out << u"name=" + m.agent.name << u"host=" + m.agent.host << u"os=" + m.agent.os
            << u"version=" + m.agent.version << u"capabilities=[" + m.agent.capabilities.join(u'|') + u']'
            << u"stampPort=%1"_s.arg(m.agent.stampPort);
    }
    void operator()(const Welcome &m)
    {
        out << u"agentId=%1"_s.arg(m.agentId) << u"agentName=" + m.agentName << u"credential=" + m.credential
            << u"lastSeq=%1"_s.arg(m.lastSeq);
    }
    void operator()(const Assign &m)
    {
        out << u"tests=%1"_s.arg(m.tests.size());
        for (const TestSpec &t : m.tests) {
            out << u"test id=%1 name=%2 type=%3 target=%4"_s.arg(t.id).arg(t.name, t.type, t.target)
                << u"  interval=%1 duration=%2 remaining=%3"_s.arg(t.intervalMs).arg(t.durationMs).arg(t.remainingMs);
            for (auto it = t.params.cbegin(); it != t.params.cend(); ++it)
                out << u"  param " + it.key() + u'=' + it.value();
        }
    }
    void operator()(const Results &m)
    {
        out << u"seq=%1 rounds=%2 events=%3 floor=%4"_s.arg(m.seq)
                   .arg(m.rounds.size())
                   .arg(m.events.size())
                   .arg(m.floorSeq);
        for (const Round &r : m.rounds) {
            out << u"round test=%1 t=%2 error=%3"_s.arg(r.testId).arg(r.timeMs).arg(r.error)
                << u"  detail="
                    + (r.detail.isEmpty()
                            ? u"(none)"_s
                            : QCborValue(encodeDetail(r.detail)).toDiagnosticNotation(QCborValue::Compact));
            for (const MetricValue &v : r.values)
                out << u"  " + v.metric + u'=' + number(v.value);
        }
        for (const Event &e : m.events)
            (*this)(e);
    }
    void operator()(const Ack &m) { out << u"seq=%1"_s.arg(m.seq); }
    void operator()(const Event &m)
    {
        out << u"t=%1 level=%2 kind=%3 test=%4"_s.arg(m.timeMs).arg(m.level, m.kind).arg(m.testId)
            << u"message=" + m.message << u"code=" + m.coded.code() + u" args=" + m.coded.argsJson();
    }
    void operator()(const Ping &m) { out << u"t=%1"_s.arg(m.timeMs); }
    void operator()(const Pong &m) { out << u"pingT=%1 t=%2"_s.arg(m.pingTimeMs).arg(m.agentTimeMs); }
    void operator()(const Rekey &m) { out << u"credential=" + m.credential; }
    void operator()(const Rekeyed &) { }
    void operator()(const BulkRequest &m)
    {
        out << u"lease=%1 test=%2 limitMs=%3 waitMs=%4"_s.arg(m.lease).arg(m.testId).arg(m.limitMs).arg(m.waitMs);
    }
    void operator()(const BulkGrant &m)
    {
        out << u"lease=%1 address=%2 port=%3 error=%4"_s.arg(m.lease).arg(m.address).arg(m.port).arg(m.error);
    }
    void operator()(const BulkRelease &m) { out << u"lease=%1"_s.arg(m.lease); }
    void operator()(const Serve &m)
    {
        out << u"lease=%1 limitMs=%2 waitMs=%3"_s.arg(m.lease).arg(m.limitMs).arg(m.waitMs);
    }
    void operator()(const Serving &m) { out << u"lease=%1 port=%2 error=%3"_s.arg(m.lease).arg(m.port).arg(m.error); }
    void operator()(const ServeStop &m) { out << u"lease=%1"_s.arg(m.lease); }
};

QString describe(const Message &message)
{
    QStringList out{messageTypeName(message.type())};
    std::visit(Describer{out}, message.payload);
    return out.join(u'\n');
}

Message helloMessage()
{
    Hello hello;
    hello.agent.name = u"edge-01.lab_A"_s;
    hello.agent.host = u"hôte-ü.example"_s;
    hello.agent.os = u"Debian GNU/Linux 12 (bookworm) ✓ 🐧"_s;
    hello.agent.version = u"0.1.0"_s;
    hello.agent.capabilities = {u"ping"_s, u"traceroute"_s};
    return Message{hello};
}

Message welcomeMessage()
{
    Welcome welcome;
    welcome.agentId = 17;
    welcome.agentName = u"edge-01.lab_A"_s;
    welcome.credential = u"ssa_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd"_s;
    welcome.lastSeq = 41;
    return Message{welcome};
}

Message assignMessage()
{
    TestSpec ping;
    ping.id = 7;
    ping.name = u"wan-ping"_s;
    ping.type = u"ping"_s;
    ping.target = u"2001:db8::1"_s;
    ping.intervalMs = 1000;
    ping.durationMs = 0;
    ping.remainingMs = 0;
    ping.params = {{u"count"_s, u"3"_s}, {u"spacing"_s, u"20ms"_s}};
    TestSpec dns;
    dns.id = 8;
    dns.name = u"dns_check-2"_s;
    dns.type = u"dns"_s;
    dns.target = u"zürich.example"_s;
    dns.intervalMs = 60'000;
    dns.durationMs = 3'600'000;
    dns.remainingMs = 1'800'000;
    dns.params = {{u"label"_s, u"Grüße 🚀"_s}, {u"server"_s, u"9.9.9.9"_s}};
    return Message{Assign{{ping, dns}}};
}

Message resultsMessage()
{
    Round plain;
    plain.testId = 7;
    plain.timeMs = T0;
    plain.values = {{u"ping.rtt_min_ms"_s, 0.125}, {u"ping.rtt_avg_ms"_s, 1.5}, {u"ping.loss_pct"_s, 100.0 / 3.0},
        {u"ping.sent"_s, 3}, {u"ping.offset_ms"_s, -12.75}, {u"ping.huge"_s, 1e300}};
    Round failed;
    failed.testId = 7;
    failed.timeMs = T0 + 1000;
    failed.error = u"Zeitüberschreitung 🕐"_s;
    // A kind this side does not know (a newer agent's) is kept as it came.
    QCborArray hops{QCborMap{{u"addr"_s, u"10.0.0.1"_s}, {u"rtt"_s, 0.5}}, QCborValue(QCborValue::Null)};
    failed.detail
        = OtherDetail{u"x-future"_s, QCborMap{{u"kind"_s, u"x-future"_s}, {u"hops"_s, hops}, {u"ünïcode"_s, true}}};
    return Message{Results{42, {plain, failed}, {}, 0}};
}

Message eventMessage()
{
    return Message{Event{T0, u"warning"_s, u"probe-error"_s, u"Ziel nicht erreichbar: 目标不可达"_s, 7}};
}

// A batch as this agent sends it: rounds, the events that rode along, and its floor.
Message resultsWithEventsMessage()
{
    Round round;
    round.testId = 7;
    round.timeMs = T0 + 2000;
    round.values = {{u"ping.rtt_avg_ms"_s, 1.5}, {u"ping.loss_pct"_s, 0}};
    Results results{43, {round}, {}, 40};
    results.events.append(Event{T0 + 1500, u"error"_s, u"spool-overflow"_s,
        u"The agent's spool reached its limit: the oldest 12 round(s) were dropped."_s, 0});
    results.events.append(Event{T0 + 1900, u"warning"_s, u"probe-error"_s, u"Zeitüberschreitung 🕐"_s, 7});
    return Message{results};
}

// An agent's event with its sentence coded beside the message, a reason sentence among its values.
Message codedEventMessage()
{
    const EventText why(u"last-saved-result"_s);
    return Message{Event::withText(
        T0, u"warning"_s, u"agent-unclean-stop"_s, EventText(u"agent-unclean-stop"_s, {why.toJson(), 250}), 0)};
}

QList<Event> manyEvents(int count)
{
    QList<Event> events;
    for (int i = 0; i < count; ++i)
        events.append(Event{T0 + i, u"info"_s, u"note"_s, u"event %1"_s.arg(i), 0});
    return events;
}

QString goldenDir()
{
    const QString sourceDir = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    if (!sourceDir.isEmpty())
        return sourceDir + u"/tests/data/protocol"_s;
    return QFINDTESTDATA("../data/protocol");
}

QByteArray cbor(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}

QCborMap envelope(const QString &type)
{
    return QCborMap{{u"v"_s, 1}, {u"type"_s, type}};
}

QCborMap validAgent()
{
    return QCborMap{{u"name"_s, u"edge-01"_s}, {u"host"_s, u"h"_s}, {u"os"_s, u"linux"_s}, {u"version"_s, u"0.1.0"_s},
        {u"capabilities"_s, QCborArray{u"ping"_s}}};
}

QByteArray helloWith(const QString &key, const QCborValue &value)
{
    QCborMap agent = validAgent();
    agent.insert(key, value);
    QCborMap map = envelope(u"hello"_s);
    map.insert(u"agent"_s, agent);
    return cbor(map);
}

QCborMap validRound()
{
    return QCborMap{{u"test"_s, 1}, {u"t"_s, T0}, {u"values"_s, QCborMap{{u"ping.rtt_avg_ms"_s, 1.5}}}};
}

QByteArray resultsWithRounds(const QCborArray &rounds, const QCborValue &seq = QCborValue(1))
{
    QCborMap map = envelope(u"results"_s);
    if (!seq.isUndefined())
        map.insert(u"seq"_s, seq);
    map.insert(u"rounds"_s, rounds);
    return cbor(map);
}

QByteArray roundWith(const QString &key, const QCborValue &value)
{
    QCborMap round = validRound();
    round.insert(key, value);
    return resultsWithRounds({round});
}

QByteArray valueWith(const QCborValue &metric, const QCborValue &value)
{
    QCborMap round = validRound();
    round.insert(u"values"_s, QCborMap{{metric, value}});
    return resultsWithRounds({round});
}

QCborMap validTest()
{
    return QCborMap{{u"id"_s, 1}, {u"name"_s, u"t1"_s}, {u"kind"_s, u"ping"_s}, {u"target"_s, u"192.0.2.1"_s},
        {u"interval"_s, 1000}, {u"duration"_s, 0}, {u"remaining"_s, 0}, {u"params"_s, QCborMap()}};
}

QByteArray assignWith(const QString &key, const QCborValue &value)
{
    QCborMap test = validTest();
    test.insert(key, value);
    QCborMap map = envelope(u"assign"_s);
    map.insert(u"tests"_s, QCborArray{test});
    return cbor(map);
}

QByteArray withField(const QString &type, const QString &key, const QCborValue &value)
{
    QCborMap map = envelope(type);
    map.insert(key, value);
    return cbor(map);
}

QByteArray eventWith(const QString &key, const QCborValue &value)
{
    QCborMap map = envelope(u"event"_s);
    map.insert(u"t"_s, T0);
    map.insert(u"level"_s, u"info"_s);
    map.insert(u"kind"_s, u"note"_s);
    map.insert(u"message"_s, u"hi"_s);
    map.insert(key, value);
    return cbor(map);
}

QString repeated(char c, int count)
{
    return QString(count, QLatin1Char(c));
}

// A results message whose one round carries a detail with a text of detailBytes ASCII characters.
QByteArray resultsWithDetail(qsizetype detailBytes)
{
    Round round;
    round.testId = 1;
    round.timeMs = T0;
    round.detail = OtherDetail{QString(), QCborMap{{u"x"_s, QString(detailBytes, u'x')}}};
    return encode(Message{Results{1, {round}, {}, 0}});
}

QCborMap validEvent()
{
    return QCborMap{{u"t"_s, T0}, {u"level"_s, u"info"_s}, {u"kind"_s, u"note"_s}, {u"message"_s, u"hi"_s}};
}

// A valid results message (seq 5, one round) with one field added or replaced.
QByteArray resultsWith(const QString &key, const QCborValue &value)
{
    QCborMap map = envelope(u"results"_s);
    map.insert(u"seq"_s, 5);
    map.insert(u"rounds"_s, QCborArray{validRound()});
    map.insert(key, value);
    return cbor(map);
}

QByteArray resultsWithEvent(const QString &key, const QCborValue &value)
{
    QCborMap event = validEvent();
    event.insert(key, value);
    return resultsWith(u"events"_s, QCborArray{validEvent(), event});
}

// The same with a coded sentence whose values are args.
QByteArray resultsWithEventArgs(const QCborValue &args)
{
    QCborMap event = validEvent();
    event.insert(u"code"_s, u"test-added"_s);
    event.insert(u"args"_s, args);
    return resultsWith(u"events"_s, QCborArray{validEvent(), event});
}

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void golden_data();
    void golden();
    void handEncodedAck();
    void integerMetricValueAccepted();
    void repeatedMetricNameIsSentOnce();
    void deliveryFieldsAddedToEncodedResults();
    void malformed_data();
    void malformed();
    void sizeLimitBoundary();
    void roundLimitBoundary();
    void deeplyNestedDetail();
    void damagedGoldenNeverCrashes();
    void decodeWithoutErrorPointer();
    void resultsFromOlderAgent();
};

void TestCodec::roundTrip_data()
{
    QTest::addColumn<Message>("message");

    QTest::newRow("hello") << helloMessage();
    Hello bare;
    bare.agent.name = u"a"_s;
    QTest::newRow("hello, empty texts, no capabilities") << Message{bare};
    Hello reflector = std::get<Hello>(helloMessage().payload);
    reflector.agent.stampPort = 8620;
    QTest::newRow("hello with a STAMP reflector") << Message{reflector};
    QTest::newRow("welcome with credential") << welcomeMessage();
    QTest::newRow("welcome without credential") << Message{Welcome{1, u"x"_s, QString(), 0}};
    QTest::newRow("assign") << assignMessage();
    QTest::newRow("assign nothing") << Message{Assign{}};
    QTest::newRow("results") << resultsMessage();
    QTest::newRow("results, no rounds") << Message{Results{1, {}, {}, 0}};
    QTest::newRow("results with events and floor") << resultsWithEventsMessage();
    QTest::newRow("results, events only, floor at its own seq") << Message{Results{9, {}, manyEvents(1), 9}};
    QTest::newRow("results, the most events") << Message{Results{9, {}, manyEvents(MAX_EVENTS_PER_BATCH), 1}};
    QTest::newRow("results, floor above 2^53")
        << Message{Results{9'007'199'254'740'995, {}, {}, 9'007'199'254'740'993}};
    QTest::newRow("ack zero") << Message{Ack{0}};
    // 2^53 + 1 cannot be a double: seq must travel as an integer.
    QTest::newRow("ack above 2^53") << Message{Ack{9'007'199'254'740'993}};
    QTest::newRow("ack max") << Message{Ack{std::numeric_limits<qint64>::max()}};
    QTest::newRow("event") << eventMessage();
    QTest::newRow("event without test") << Message{Event{0, u"info"_s, u"agent-start"_s, QString(), 0}};
    QTest::newRow("event with a coded sentence") << codedEventMessage();
    QTest::newRow("event with a code this build does not know") << Message{Event{T0, u"info"_s, u"x-future"_s,
        u"Something new."_s, 0, EventText(u"x-future"_s, {u"text"_s, -5, EventText(u"x-inner"_s).toJson()})}};
    QTest::newRow("ping") << Message{Ping{T0}};
    QTest::newRow("pong") << Message{Pong{T0, T0 + 3}};
    QTest::newRow("bulk-request") << Message{BulkRequest{3, 7, 14000, 46000}};
    QTest::newRow("bulk-grant") << Message{BulkGrant{3, u"2001:db8::7"_s, 40123, QString()}};
    QTest::newRow("bulk-grant refused") << Message{BulkGrant{3, QString(), 0, u"Agent \"far\" is offline."_s}};
    QTest::newRow("bulk-release") << Message{BulkRelease{3}};
    QTest::newRow("serve") << Message{Serve{12, 14000, 10000}};
    QTest::newRow("serving") << Message{Serving{12, 5201, QString()}};
    QTest::newRow("serving refused") << Message{Serving{12, 0, u"busy"_s}};
    QTest::newRow("serve-stop") << Message{ServeStop{12}};
}

void TestCodec::roundTrip()
{
    QFETCH(Message, message);
    const QByteArray bytes = encode(message);
    QVERIFY(!bytes.isEmpty());
    DecodeError error;
    const std::optional<Message> decoded = decode(bytes, &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    QCOMPARE(decoded->type(), message.type());
    QCOMPARE(describe(*decoded), describe(message));
}

void TestCodec::golden_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<Message>("expected");

    QTest::newRow("hello") << u"hello.cbor"_s << helloMessage();
    QTest::newRow("welcome") << u"welcome.cbor"_s << welcomeMessage();
    QTest::newRow("assign") << u"assign.cbor"_s << assignMessage();
    QTest::newRow("results") << u"results.cbor"_s << resultsMessage();
    QTest::newRow("results with events") << u"results-events.cbor"_s << resultsWithEventsMessage();
    QTest::newRow("ack") << u"ack.cbor"_s << Message{Ack{42}};
    QTest::newRow("event") << u"event.cbor"_s << eventMessage();
    QTest::newRow("ping") << u"ping.cbor"_s << Message{Ping{T0}};
    QTest::newRow("pong") << u"pong.cbor"_s << Message{Pong{T0, T0 + 3}};
}

// A probe that names a metric twice must not make a batch the console refuses for ever (CBOR maps
// must not repeat a key): the name is sent once, in its first place, with its last value.
void TestCodec::repeatedMetricNameIsSentOnce()
{
    Round round;
    round.testId = 7;
    round.timeMs = T0;
    round.values = {{u"ping.sent"_s, 1}, {u"ping.received"_s, 2}, {u"ping.sent"_s, 3}};
    Results results;
    results.seq = 1;
    results.rounds = {round};
    const QByteArray bytes = encode(Message{results});
    const QCborMap values
        = QCborValue::fromCbor(bytes).toMap().value(u"rounds"_s).toArray().at(0).toMap().value(u"values"_s).toMap();
    QCOMPARE(values.size(), 2);
    QCOMPARE(values.keys().at(0).toString(), u"ping.sent"_s);
    QCOMPARE(values.value(u"ping.sent"_s).toDouble(), 3.0);
    DecodeError error;
    const auto decoded = decode(bytes, &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    QCOMPARE(std::get<Results>(decoded->payload).rounds.at(0).values.size(), 2);
}

// The spool keeps batches encoded without floor and lost, and adds them as each batch leaves.
void TestCodec::deliveryFieldsAddedToEncodedResults()
{
    for (const bool withEvents : {false, true}) {
        Results results = std::get<Results>((withEvents ? resultsWithEventsMessage() : resultsMessage()).payload);
        results.floorSeq = 0;
        results.lostRounds = 0;
        results.lostUntilMs = 0;
        const QByteArray plain = encode({results});
        for (const auto &[floor, lost] : {std::pair<qint64, qint64>{0, 0}, {3, 0}, {0, 17}, {3, 17}}) {
            results.floorSeq = floor;
            results.lostRounds = lost;
            results.lostUntilMs = lost ? T0 + 5 : 0;
            QCOMPARE(withDeliveryFields(plain, floor, lost, results.lostUntilMs).toHex(), encode({results}).toHex());
        }
    }
}

void TestCodec::golden()
{
    QFETCH(QString, file);
    QFETCH(Message, expected);

    const QString path = QDir(goldenDir()).filePath(file);
    if (qEnvironmentVariableIntValue(REGENERATE_ENV) == 1) {
        QVERIFY(QDir().mkpath(goldenDir()));
        QFile out(path);
        QVERIFY2(out.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(out.errorString()));
        out.write(encode(expected));
        qInfo("regenerated %s", qPrintable(path));
    }
    QFile in(path);
    QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path + u": "_s + in.errorString()));
    const QByteArray bytes = in.readAll();

    // What older agents and consoles send must still be read the same way...
    DecodeError error;
    const std::optional<Message> decoded = decode(bytes, &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    QCOMPARE(decoded->type(), expected.type());
    QCOMPARE(describe(*decoded), describe(expected));
    // ...and what we send must not drift: a change here is a wire-format change (see REGENERATE_ENV).
    QCOMPARE(encode(expected).toHex(' '), bytes.toHex(' '));
}

void TestCodec::handEncodedAck()
{
    // {"v": 1, "type": "ack", "seq": 42} written out by hand (RFC 8949): a3 = map of 3,
    // 61 76 = text "v", 01 = 1, 64 74797065 = text "type", 63 61636b = text "ack",
    // 63 736571 = text "seq", 18 2a = unsigned 42 in one extra byte.
    const QByteArray bytes = QByteArray::fromHex("a361760164747970656361636b63736571182a");
    QCOMPARE(encode(Message{Ack{42}}).toHex(' '), bytes.toHex(' '));
    DecodeError error;
    const auto decoded = decode(bytes, &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    QCOMPARE(decoded->type(), MessageType::Ack);
    QCOMPARE(std::get<Ack>(decoded->payload).seq, qint64(42));
}

void TestCodec::integerMetricValueAccepted()
{
    // Another encoder may write a whole number as a CBOR integer; it is still a metric value.
    DecodeError error;
    const auto decoded = decode(valueWith(u"ping.sent"_s, 3), &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    const Results &results = std::get<Results>(decoded->payload);
    QCOMPARE(results.rounds.size(), 1);
    QCOMPARE(results.rounds.first().values.size(), 1);
    QCOMPARE(results.rounds.first().values.first().metric, u"ping.sent"_s);
    QCOMPARE(results.rounds.first().values.first().value, 3.0);
}

void TestCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reasonMentions");

    const double inf = std::numeric_limits<double>::infinity();

    QTest::newRow("empty") << QByteArray() << u"not valid CBOR"_s;
    QTest::newRow("not CBOR") << QByteArray::fromHex("ffffff") << u"not valid CBOR"_s;
    QTest::newRow("JSON text") << QByteArray(R"({"v":1,"type":"ack","seq":1})") << u"CBOR"_s;
    QTest::newRow("truncated") << encode(Message{Ack{42}}).chopped(1) << u"not valid CBOR"_s;
    QTest::newRow("CBOR array") << QCborValue(QCborArray{1, u"ack"_s}).toCbor() << u"must be a CBOR map"_s;
    QTest::newRow("CBOR integer") << QCborValue(5).toCbor() << u"must be a CBOR map"_s;

    QCborMap noVersion{{u"type"_s, u"ack"_s}, {u"seq"_s, 1}};
    QTest::newRow("v missing") << cbor(noVersion) << u"field 'v' must be a whole number"_s;
    QTest::newRow("v 2") << withField(u"ack"_s, u"v"_s, 2) << u"protocol version 2 is not supported"_s;
    QTest::newRow("v 0") << withField(u"ack"_s, u"v"_s, 0) << u"protocol version 0 is not supported"_s;
    QTest::newRow("v text") << withField(u"ack"_s, u"v"_s, u"1"_s) << u"field 'v' must be a whole number"_s;
    QTest::newRow("v negative") << withField(u"ack"_s, u"v"_s, -1) << u"field 'v' is out of range"_s;
    QTest::newRow("v huge") << withField(u"ack"_s, u"v"_s, qint64(1) << 40) << u"field 'v' is out of range"_s;

    QCborMap noType{{u"v"_s, 1}, {u"seq"_s, 1}};
    QTest::newRow("type missing") << cbor(noType) << u"field 'type' must be text"_s;
    QTest::newRow("type number") << withField(u"ack"_s, u"type"_s, 5) << u"field 'type' must be text"_s;
    QTest::newRow("unknown type") << withField(u"bogus"_s, u"seq"_s, 1) << u"unknown message type 'bogus'"_s;
    QTest::newRow("type in capitals") << withField(u"ACK"_s, u"seq"_s, 1) << u"unknown message type 'ACK'"_s;
    // A reason quotes the peer's text; control characters must not reach logs (found by fuzzing).
    {
        // Hand-made CBOR: QCborMap cannot hold a repeated key, the wire can.
        const QByteArray duplicate = QByteArray::fromHex(
            "a4617601647479706567726573756c7473637365710166726f756e647381a36474657374016174006676616c756573a2"
            "6161fb3ff00000000000006161fb4000000000000000");
        QTest::newRow("round names a metric twice") << duplicate << u"a round names metric 'a' twice"_s;
    }
    QTest::newRow("type with control characters")
        << withField(u"a\n\x1b["_s, u"seq"_s, 1) << u"unknown message type 'a??['"_s;
    QTest::newRow("hello name with a line break")
        << helloWith(u"name"_s, u"evil\nINFO fake"_s) << u"The agent name \"evil?INFO fake\""_s;
    QTest::newRow("type too long") << withField(repeated('a', 17), u"seq"_s, 1)
                                   << u"field 'type' is longer than 16 characters"_s;

    QCborMap grant = envelope(u"bulk-grant"_s);
    grant.insert(u"lease"_s, 1);
    QTest::newRow("bulk-grant without port or error") << cbor(grant) << u"field 'port' must be a whole number"_s;
    grant.insert(u"port"_s, 5201);
    QTest::newRow("bulk-grant without address") << cbor(grant) << u"field 'address' must be text"_s;
    grant.insert(u"address"_s, u"peer.example"_s);
    QTest::newRow("bulk-grant to a name") << cbor(grant) << u"field 'address' is not an IP address"_s;
    QTest::newRow("bulk-request lease 0")
        << withField(u"bulk-request"_s, u"lease"_s, 0) << u"field 'lease' is out of range"_s;
    QCborMap request = envelope(u"bulk-request"_s);
    request.insert(u"lease"_s, 1);
    request.insert(u"test"_s, 1);
    request.insert(u"limitMs"_s, qint64(1) << 40);
    request.insert(u"waitMs"_s, 0);
    QTest::newRow("bulk-request limit beyond a day") << cbor(request) << u"field 'limitMs' is out of range"_s;
    QCborMap serving = envelope(u"serving"_s);
    serving.insert(u"lease"_s, 1);
    serving.insert(u"port"_s, 0);
    QTest::newRow("serving port 0") << cbor(serving) << u"field 'port' is out of range"_s;

    QCborMap helloNoAgent = envelope(u"hello"_s);
    QTest::newRow("hello without agent") << cbor(helloNoAgent) << u"field 'agent' must be a map"_s;
    QTest::newRow("hello agent is a list")
        << withField(u"hello"_s, u"agent"_s, QCborArray{1}) << u"field 'agent' must be a map"_s;
    QTest::newRow("hello name number") << helloWith(u"name"_s, 7) << u"field 'name' must be text"_s;
    QTest::newRow("hello host missing") << helloWith(u"host"_s, QCborValue()) << u"field 'host' must be text"_s;
    QTest::newRow("hello capabilities text")
        << helloWith(u"capabilities"_s, u"ping"_s) << u"field 'capabilities' must be a list"_s;
    QTest::newRow("hello stamp port zero") << helloWith(u"stampPort"_s, 0) << u"field 'stampPort' is out of range"_s;
    QTest::newRow("hello stamp port too big")
        << helloWith(u"stampPort"_s, 65536) << u"field 'stampPort' is out of range"_s;
    QTest::newRow("hello stamp port text")
        << helloWith(u"stampPort"_s, u"862"_s) << u"field 'stampPort' must be a whole number"_s;
    QTest::newRow("hello capability number")
        << helloWith(u"capabilities"_s, QCborArray{u"ping"_s, 3}) << u"capabilities must be short texts"_s;
    QCborArray manyCapabilities;
    for (int i = 0; i < MAX_CAPABILITIES + 1; ++i)
        manyCapabilities.append(u"c%1"_s.arg(i));
    QTest::newRow("hello 65 capabilities")
        << helloWith(u"capabilities"_s, manyCapabilities) << u"field 'capabilities' has more than 64 entries"_s;
    QTest::newRow("hello long capability")
        << helloWith(u"capabilities"_s, QCborArray{repeated('c', 65)}) << u"capabilities must be short texts"_s;
    QTest::newRow("hello bad agent name") << helloWith(u"name"_s, u"bad name!"_s) << u"\"bad name!\""_s;
    QTest::newRow("hello unicode agent name") << helloWith(u"name"_s, u"ägent"_s) << u"agent name"_s;
    QTest::newRow("hello agent name with slash") << helloWith(u"name"_s, u"../etc"_s) << u"agent name"_s;
    QTest::newRow("hello empty agent name") << helloWith(u"name"_s, QString()) << u"agent name is empty"_s;
    QTest::newRow("hello agent name 65") << helloWith(u"name"_s, repeated('n', 65))
                                         << u"field 'name' is longer than 64 characters"_s;
    QTest::newRow("hello host 257") << helloWith(u"host"_s, repeated('h', 257))
                                    << u"field 'host' is longer than 256 characters"_s;
    QTest::newRow("hello os 257") << helloWith(u"os"_s, repeated('o', 257))
                                  << u"field 'os' is longer than 256 characters"_s;

    QCborMap welcome = envelope(u"welcome"_s);
    welcome.insert(u"agentId"_s, 1);
    welcome.insert(u"agentName"_s, u"a"_s);
    welcome.insert(u"lastSeq"_s, 0);
    QCborMap welcomeZeroId = welcome;
    welcomeZeroId.insert(u"agentId"_s, 0);
    QTest::newRow("welcome agentId 0") << cbor(welcomeZeroId) << u"field 'agentId' is out of range"_s;
    QCborMap welcomeLongCredential = welcome;
    welcomeLongCredential.insert(u"credential"_s, repeated('x', 257));
    QTest::newRow("welcome credential 257")
        << cbor(welcomeLongCredential) << u"field 'credential' is longer than 256 characters"_s;
    QCborMap welcomeBinaryCredential = welcome;
    welcomeBinaryCredential.insert(u"credential"_s, QByteArray("secret"));
    QTest::newRow("welcome credential bytes") << cbor(welcomeBinaryCredential) << u"field 'credential' must be text"_s;
    QCborMap welcomeNegativeSeq = welcome;
    welcomeNegativeSeq.insert(u"lastSeq"_s, -1);
    QTest::newRow("welcome lastSeq negative") << cbor(welcomeNegativeSeq) << u"field 'lastSeq' is out of range"_s;

    QTest::newRow("assign tests map") << withField(u"assign"_s, u"tests"_s, QCborMap())
                                      << u"field 'tests' must be a list"_s;
    QTest::newRow("assign test number") << withField(u"assign"_s, u"tests"_s, QCborArray{1})
                                        << u"each test must be a map"_s;
    QTest::newRow("assign id 0") << assignWith(u"id"_s, 0) << u"field 'id' is out of range"_s;
    QTest::newRow("assign interval 50ms") << assignWith(u"interval"_s, 50) << u"interval 50ms is out of range"_s;
    QTest::newRow("assign duration 500ms") << assignWith(u"duration"_s, 500) << u"duration 500ms is out of range"_s;
    QTest::newRow("assign bad test name") << assignWith(u"name"_s, u"no spaces"_s) << u"test name"_s;
    QTest::newRow("assign params list") << assignWith(u"params"_s, QCborArray()) << u"field 'params' must be a map"_s;
    QTest::newRow("assign param number") << assignWith(u"params"_s, QCborMap{{u"count"_s, 3}})
                                         << u"test parameters must be short texts"_s;
    QCborMap manyParams;
    for (int i = 0; i < 33; ++i)
        manyParams.insert(u"p%1"_s.arg(i), u"v"_s);
    QTest::newRow("assign 33 params") << assignWith(u"params"_s, manyParams) << u"too many parameters"_s;
    QCborArray manyTests;
    for (int i = 0; i < MAX_TESTS_PER_ASSIGN + 1; ++i)
        manyTests.append(validTest());
    QTest::newRow("assign 1001 tests") << withField(u"assign"_s, u"tests"_s, manyTests)
                                       << u"field 'tests' has more than 1000 entries"_s;

    QTest::newRow("results seq missing") << resultsWithRounds({validRound()}, QCborValue())
                                         << u"field 'seq' must be a whole number"_s;
    QTest::newRow("results seq text") << resultsWithRounds({validRound()}, u"1"_s)
                                      << u"field 'seq' must be a whole number"_s;
    QTest::newRow("results seq double") << resultsWithRounds({validRound()}, 1.0)
                                        << u"field 'seq' must be a whole number"_s;
    QTest::newRow("results seq negative") << resultsWithRounds({validRound()}, -1) << u"field 'seq' is out of range"_s;
    QTest::newRow("results seq zero") << resultsWithRounds({validRound()}, 0) << u"field 'seq' is out of range"_s;
    QCborMap roundsAsMap = envelope(u"results"_s);
    roundsAsMap.insert(u"seq"_s, 1);
    roundsAsMap.insert(u"rounds"_s, QCborMap());
    QTest::newRow("results rounds map") << cbor(roundsAsMap) << u"field 'rounds' must be a list"_s;
    QTest::newRow("results round text") << resultsWithRounds({u"round"_s}) << u"each round must be a map"_s;
    QTest::newRow("round test 0") << roundWith(u"test"_s, 0) << u"field 'test' is out of range"_s;
    QTest::newRow("round time negative") << roundWith(u"t"_s, -1) << u"field 't' is out of range"_s;
    // Details are typed: a known kind must have its shape (tst_details checks each field's limits).
    QTest::newRow("round detail not a map")
        << roundWith(u"detail"_s, QByteArray("xx")) << u"round 1: field 'detail' must be a map"_s;
    QTest::newRow("round detail of the wrong shape") << roundWith(u"detail"_s,
        QCborMap{{u"kind"_s, u"traceroute"_s},
            {u"hops"_s, QCborArray{QCborMap{{u"addr"_s, u"10.0.0.1"_s}, {u"rtt"_s, 0.5}}}}})
                                                     << u"round 1: traceroute detail: field 'target' must be text"_s;
    QTest::newRow("round time after 3000")
        << roundWith(u"t"_s, qint64(32'503'680'000'001)) << u"field 't' is out of range"_s;
    QTest::newRow("round error number") << roundWith(u"error"_s, 1) << u"field 'error' must be text"_s;
    QTest::newRow("round error 4097") << roundWith(u"error"_s, repeated('e', 4097))
                                      << u"field 'error' is longer than 4096 characters"_s;
    QTest::newRow("round values list") << roundWith(u"values"_s, QCborArray{1.0}) << u"field 'values' must be a map"_s;
    QTest::newRow("value NaN") << valueWith(u"ping.rtt_avg_ms"_s, std::nan("")) << u"finite numbers"_s;
    QTest::newRow("value +Inf") << valueWith(u"ping.rtt_avg_ms"_s, inf) << u"finite numbers"_s;
    QTest::newRow("value -Inf") << valueWith(u"ping.rtt_avg_ms"_s, -inf) << u"finite numbers"_s;
    QTest::newRow("value text") << valueWith(u"ping.rtt_avg_ms"_s, u"1.5"_s) << u"finite numbers"_s;
    QTest::newRow("value null") << valueWith(u"ping.rtt_avg_ms"_s, QCborValue(QCborValue::Null)) << u"finite numbers"_s;
    QTest::newRow("metric name number") << valueWith(5, 1.0) << u"metric names must be short texts"_s;
    QTest::newRow("metric name 161") << valueWith(repeated('m', StreamSwarm::MAX_SAMPLE_NAME_LENGTH + 1), 1.0)
                                     << u"metric names must be short texts"_s;
    QCborMap manyValues;
    for (int i = 0; i < MAX_VALUES_PER_ROUND + 1; ++i)
        manyValues.insert(u"m.%1"_s.arg(i), 1.0);
    QTest::newRow("round 2049 values") << roundWith(u"values"_s, manyValues) << u"too many values"_s;
    QCborArray manyRounds;
    for (int i = 0; i < MAX_ROUNDS_PER_BATCH + 1; ++i)
        manyRounds.append(QCborMap{{u"test"_s, 1}, {u"t"_s, i}, {u"values"_s, QCborMap()}});
    QTest::newRow("10001 rounds") << resultsWithRounds(manyRounds) << u"field 'rounds' has more than 10000 entries"_s;

    QTest::newRow("results floor above seq")
        << resultsWith(u"floor"_s, 6) << u"field 'floor' is above the batch's seq"_s;
    QTest::newRow("results floor negative") << resultsWith(u"floor"_s, -1) << u"field 'floor' is out of range"_s;
    QTest::newRow("results floor text") << resultsWith(u"floor"_s, u"3"_s) << u"field 'floor' must be a whole number"_s;
    QTest::newRow("results floor double") << resultsWith(u"floor"_s, 3.0) << u"field 'floor' must be a whole number"_s;
    QCborArray tooManyEvents;
    for (int i = 0; i < MAX_EVENTS_PER_BATCH + 1; ++i)
        tooManyEvents.append(validEvent());
    QTest::newRow("results 101 events") << resultsWith(u"events"_s, tooManyEvents)
                                        << u"field 'events' has more than 100 entries"_s;
    QTest::newRow("results events map") << resultsWith(u"events"_s, validEvent()) << u"field 'events' must be a list"_s;
    QTest::newRow("results event text") << resultsWith(u"events"_s, QCborArray{validEvent(), u"oops"_s})
                                        << u"each event must be a map"_s;
    QTest::newRow("results event level fatal")
        << resultsWithEvent(u"level"_s, u"fatal"_s) << u"event level must be info, warning or error"_s;
    QTest::newRow("results event level missing")
        << resultsWithEvent(u"level"_s, QCborValue()) << u"field 'level' must be text"_s;
    QTest::newRow("results event message number")
        << resultsWithEvent(u"message"_s, 5) << u"field 'message' must be text"_s;
    QTest::newRow("results event time negative") << resultsWithEvent(u"t"_s, -1) << u"field 't' is out of range"_s;
    QTest::newRow("results event kind 65")
        << resultsWithEvent(u"kind"_s, repeated('k', 65)) << u"field 'kind' is longer than 64 characters"_s;
    QTest::newRow("results event code not text") << resultsWithEvent(u"code"_s, 5) << u"field 'code' must be text"_s;
    QTest::newRow("results event code not a name") << resultsWithEvent(u"code"_s, u"two words"_s) << u"event code"_s;
    QTest::newRow("results event args without a code")
        << resultsWithEvent(u"args"_s, QCborArray{1}) << u"field 'code' must be text"_s;
    QTest::newRow("results event args not a list") << resultsWithEventArgs(u"x"_s) << u"field 'args' must be a list"_s;
    QTest::newRow("results event args too many")
        << resultsWithEventArgs(QCborArray{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) << u"more than 9 entries"_s;
    QTest::newRow("results event arg a double") << resultsWithEventArgs(QCborArray{1.5}) << u"event args must be"_s;
    QTest::newRow("results event arg too long")
        << resultsWithEventArgs(QCborArray{repeated('a', MAX_MESSAGE_TEXT_LENGTH + 1)}) << u"event args must be"_s;
    QTest::newRow("results event inner sentence without code")
        << resultsWithEventArgs(QCborArray{QCborMap{{u"args"_s, QCborArray{}}}}) << u"field 'code' must be text"_s;
    {
        QCborMap nested{{u"code"_s, u"deep"_s}};
        for (int depth = 0; depth < EventText::MAX_DEPTH + 1; ++depth)
            nested = QCborMap{{u"code"_s, u"deep"_s}, {u"args"_s, QCborArray{nested}}};
        QTest::newRow("results event sentences nested too deep")
            << resultsWithEventArgs(QCborArray{nested}) << u"nested too deep"_s;
    }

    QTest::newRow("ack seq missing") << cbor(envelope(u"ack"_s)) << u"field 'seq' must be a whole number"_s;
    QTest::newRow("ack seq negative") << withField(u"ack"_s, u"seq"_s, -1) << u"field 'seq' is out of range"_s;
    QTest::newRow("ack seq text") << withField(u"ack"_s, u"seq"_s, u"5"_s) << u"field 'seq' must be a whole number"_s;

    QTest::newRow("event level fatal") << eventWith(u"level"_s, u"fatal"_s) << u"event level"_s;
    QTest::newRow("event level number") << eventWith(u"level"_s, 3) << u"field 'level' must be text"_s;
    QTest::newRow("event message 4097") << eventWith(u"message"_s, repeated('m', 4097))
                                        << u"field 'message' is longer than 4096 characters"_s;
    QTest::newRow("event kind 65") << eventWith(u"kind"_s, repeated('k', 65))
                                   << u"field 'kind' is longer than 64 characters"_s;
    QTest::newRow("event test negative") << eventWith(u"test"_s, -4) << u"field 'test' is out of range"_s;

    QTest::newRow("ping t missing") << cbor(envelope(u"ping"_s)) << u"field 't' must be a whole number"_s;
    QTest::newRow("pong t text") << withField(u"pong"_s, u"t"_s, u"now"_s) << u"field 'pingT' must be a whole number"_s;

    Event big{T0, u"info"_s, u"k"_s, repeated('x', int(MAX_MESSAGE_BYTES)), 0};
    QTest::newRow("over-size message") << encode(Message{big}) << u"larger than 1048576 bytes"_s;
    QTest::newRow("over-size garbage") << QByteArray(MAX_MESSAGE_BYTES + 1, '\xff') << u"larger than 1048576 bytes"_s;
}

void TestCodec::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reasonMentions);

    DecodeError error;
    const std::optional<Message> decoded = decode(bytes, &error);
    QVERIFY2(!decoded.has_value(), qPrintable(decoded ? u"decoded as:\n"_s + describe(*decoded) : QString()));
    QVERIFY(!error.reason.isEmpty());
    QVERIFY2(error.reason.contains(reasonMentions), qPrintable(error.reason));
}

void TestCodec::sizeLimitBoundary()
{
    // Grow one detail until the whole message is exactly MAX_MESSAGE_BYTES: accepted; one more byte: refused.
    const qsizetype probe = 900'000;
    const qsizetype overhead = resultsWithDetail(probe).size() - probe;
    const QByteArray atLimit = resultsWithDetail(MAX_MESSAGE_BYTES - overhead);
    QCOMPARE(atLimit.size(), MAX_MESSAGE_BYTES);
    DecodeError error;
    QVERIFY2(decode(atLimit, &error).has_value(), qPrintable(error.reason));

    const QByteArray overLimit = resultsWithDetail(MAX_MESSAGE_BYTES - overhead + 1);
    QCOMPARE(overLimit.size(), MAX_MESSAGE_BYTES + 1);
    QVERIFY(!decode(overLimit, &error).has_value());
    QCOMPARE(error.reason, u"message larger than 1048576 bytes"_s);
}

void TestCodec::roundLimitBoundary()
{
    QCborArray rounds;
    for (int i = 0; i < MAX_ROUNDS_PER_BATCH; ++i)
        rounds.append(QCborMap{{u"test"_s, 1}, {u"t"_s, i}, {u"values"_s, QCborMap{{u"ping.sent"_s, 1.0}}}});
    DecodeError error;
    const auto decoded = decode(resultsWithRounds(rounds), &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    const Results &results = std::get<Results>(decoded->payload);
    QCOMPARE(results.rounds.size(), 10'000);
    QCOMPARE(results.rounds.last().timeMs, qint64(9'999));
}

void TestCodec::deeplyNestedDetail()
{
    // A detail nested 100000 lists deep must be refused (or at least survived), not overflow the stack.
    QByteArray bytes;
    QCborStreamWriter writer(&bytes);
    writer.startMap(4);
    writer.append(u"v"_s);
    writer.append(1);
    writer.append(u"type"_s);
    writer.append(u"results"_s);
    writer.append(u"seq"_s);
    writer.append(1);
    writer.append(u"rounds"_s);
    writer.startArray(1);
    writer.startMap(4);
    writer.append(u"test"_s);
    writer.append(1);
    writer.append(u"t"_s);
    writer.append(0);
    writer.append(u"values"_s);
    writer.startMap(0);
    writer.endMap();
    writer.append(u"detail"_s);
    constexpr int DEPTH = 100'000;
    for (int i = 0; i < DEPTH; ++i)
        writer.startArray(1);
    writer.append(0);
    for (int i = 0; i < DEPTH; ++i)
        writer.endArray();
    writer.endMap();
    writer.endArray();
    writer.endMap();

    DecodeError error;
    const auto decoded = decode(bytes, &error);
    QVERIFY(!decoded.has_value());
    QVERIFY2(error.reason.contains(u"not valid CBOR"), qPrintable(error.reason));
}

void TestCodec::damagedGoldenNeverCrashes()
{
    // Every truncation and many single-byte corruptions of real messages: decode() answers, and
    // whenever it refuses it says why. (The sanitizer build turns any overrun here into a failure.)
    const QList<Message> messages{helloMessage(), welcomeMessage(), assignMessage(), resultsMessage(),
        resultsWithEventsMessage(), eventMessage(), Message{Ack{42}}, Message{Ping{T0}}, Message{Pong{T0, T0}}};
    int refused = 0;
    int decodes = 0;
    for (const Message &message : messages) {
        const QByteArray bytes = encode(message);
        for (qsizetype length = 0; length < bytes.size(); ++length) {
            DecodeError error;
            const auto decoded = decode(bytes.left(length), &error);
            ++decodes;
            QVERIFY2(
                !decoded.has_value(), qPrintable(u"%1 cut to %2 bytes decoded"_s.arg(describe(message)).arg(length)));
            QVERIFY(!error.reason.isEmpty());
            ++refused;
        }
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            for (const char mask : {'\x01', '\x20', '\x80', '\xff'}) {
                QByteArray damaged = bytes;
                damaged[i] = char(damaged.at(i) ^ mask);
                DecodeError error;
                const auto decoded = decode(damaged, &error);
                ++decodes;
                if (!decoded) {
                    QVERIFY2(!error.reason.isEmpty(),
                        qPrintable(u"no reason for byte %1 of %2"_s.arg(i).arg(messageTypeName(message.type()))));
                    ++refused;
                }
            }
        }
    }
    QVERIFY(refused > decodes / 4); // most damage is noticed
}

void TestCodec::decodeWithoutErrorPointer()
{
    QVERIFY(!decode(QByteArray::fromHex("ff")).has_value());
    QVERIFY(decode(encode(Message{Ping{T0}})).has_value());
}

void TestCodec::resultsFromOlderAgent()
{
    // An agent from before the spool sends neither events nor a floor: still a batch, with none.
    QCborMap map = envelope(u"results"_s);
    map.insert(u"seq"_s, 12);
    map.insert(u"rounds"_s, QCborArray{validRound()});
    DecodeError error;
    const auto decoded = decode(cbor(map), &error);
    QVERIFY2(decoded.has_value(), qPrintable(error.reason));
    const Results &results = std::get<Results>(decoded->payload);
    QCOMPARE(results.seq, qint64(12));
    QCOMPARE(results.rounds.size(), 1);
    QVERIFY(results.events.isEmpty());
    QCOMPARE(results.floorSeq, qint64(0));

    // An empty list of events is as good as none.
    QVERIFY2(decode(resultsWith(u"events"_s, QCborArray()), &error).has_value(), qPrintable(error.reason));
    QVERIFY2(decode(resultsWith(u"floor"_s, 0), &error).has_value(), qPrintable(error.reason));

    // And a batch with neither is sent as before, so older consoles read it as they did.
    const QCborMap sent = QCborValue::fromCbor(encode(Message{Results{12, {}, {}, 0}})).toMap();
    QVERIFY(!sent.contains(u"events"_s));
    QVERIFY(!sent.contains(u"floor"_s));
    QCOMPARE(sent.size(), 4); // v, type, seq, rounds
}

QTEST_APPLESS_MAIN(TestCodec)

#include "tst_codec.moc"
