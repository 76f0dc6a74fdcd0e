// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "codec.h"

#include <cmath>

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QHostAddress>
#include <QJsonArray>

#include "shared/metrics/catalog.h"
#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

const QString KEY_VERSION = u"v"_s;
const QString KEY_TYPE = u"type"_s;
const QString KEY_SEQ = u"seq"_s;
const QString KEY_LEASE = u"lease"_s;

constexpr std::array<MessageType, 16> ALL_TYPES{MessageType::Hello, MessageType::Welcome, MessageType::Assign,
    MessageType::Results, MessageType::Ack, MessageType::Event, MessageType::Ping, MessageType::Pong,
    MessageType::Rekey, MessageType::Rekeyed, MessageType::BulkRequest, MessageType::BulkGrant,
    MessageType::BulkRelease, MessageType::Serve, MessageType::Serving, MessageType::ServeStop};

QCborMap encodeTest(const TestSpec &test)
{
    QCborMap params;
    for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
        params.insert(it.key(), it.value());
    return QCborMap{{u"id"_s, test.id}, {u"name"_s, test.name}, {u"kind"_s, test.type}, {u"target"_s, test.target},
        {u"interval"_s, test.intervalMs}, {u"duration"_s, test.durationMs}, {u"remaining"_s, test.remainingMs},
        {u"params"_s, params}};
}

QCborMap encodeEvent(const Event &event)
{
    QCborMap map{
        {u"t"_s, event.timeMs}, {u"level"_s, event.level}, {u"kind"_s, event.kind}, {u"message"_s, event.message}};
    if (event.testId)
        map.insert(u"test"_s, event.testId);
    // Optional: consoles that do not know these keys ignore them and show the message.
    if (!event.coded.isEmpty()) {
        map.insert(u"code"_s, event.coded.code());
        map.insert(u"args"_s, QCborArray::fromJsonArray(event.coded.args()));
    }
    return map;
}

// Results carry nearly all of the traffic (a thousand rounds a second from a busy agent, encoded
// once for the spool and once for the wire), so they are written straight to CBOR instead of
// through a QCborMap tree: the same bytes, without a tree per round to build and free.
class ResultsWriter
{
public:
    explicit ResultsWriter(QByteArray *out)
        : m_writer(out)
    { }

    void write(const Results &results)
    {
        m_writer.startMap(
            4 + (results.events.isEmpty() ? 0 : 1) + (results.floorSeq ? 1 : 0) + (results.lostRounds ? 1 : 0));
        pair(KEY_VERSION, qint64(VERSION));
        m_writer.append(KEY_TYPE);
        m_writer.append(messageTypeName(MessageType::Results));
        pair(KEY_SEQ, results.seq);
        m_writer.append("rounds"_L1);
        m_writer.startArray(quint64(results.rounds.size()));
        for (const Round &round : results.rounds)
            writeRound(round);
        m_writer.endArray();
        if (!results.events.isEmpty()) {
            m_writer.append("events"_L1);
            m_writer.startArray(quint64(results.events.size()));
            for (const Event &event : results.events) // rare: the tree costs nothing here
                QCborValue(encodeEvent(event)).toCbor(m_writer);
            m_writer.endArray();
        }
        writeDeliveryFields(results.floorSeq, results.lostRounds, results.lostUntilMs);
        m_writer.endMap();
    }

    // Last in the map, so that withDeliveryFields() can add them to a batch encoded without.
    void writeDeliveryFields(qint64 floorSeq, qint64 lostRounds, qint64 lostUntilMs)
    {
        if (floorSeq)
            pair("floor"_L1, floorSeq);
        if (lostRounds) {
            m_writer.append("lost"_L1);
            m_writer.startMap(2);
            pair("rounds"_L1, lostRounds);
            pair("until"_L1, lostUntilMs);
            m_writer.endMap();
        }
    }

private:
    template <typename Key, typename Value>
    void pair(const Key &key, const Value &value)
    {
        m_writer.append(key);
        m_writer.append(value);
    }

    void writeRound(const Round &round)
    {
        m_writer.startMap(3 + (round.error.isEmpty() ? 0 : 1) + (round.detail.isEmpty() ? 0 : 1));
        pair("test"_L1, round.testId);
        pair("t"_L1, round.timeMs);
        m_writer.append("values"_L1);
        writeValues(round.values);
        if (!round.error.isEmpty())
            pair("error"_L1, round.error);
        if (!round.detail.isEmpty()) {
            m_writer.append("detail"_L1);
            QCborValue(encodeDetail(round.detail)).toCbor(m_writer);
        }
        m_writer.endMap();
    }

    // A name given twice keeps its first place and its last value, as QCborMap::insert() would:
    // the console refuses a round that repeats a key.
    void writeValues(const QList<MetricValue> &values)
    {
        const auto firstIndex = [&](qsizetype i) {
            for (qsizetype j = 0; j < i; ++j) {
                if (values.at(j).metric == values.at(i).metric)
                    return j;
            }
            return i;
        };
        qsizetype unique = 0;
        for (qsizetype i = 0; i < values.size(); ++i)
            unique += firstIndex(i) == i ? 1 : 0;
        m_writer.startMap(quint64(unique));
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (firstIndex(i) != i)
                continue;
            double value = values.at(i).value;
            for (qsizetype later = i + 1; later < values.size(); ++later) {
                if (values.at(later).metric == values.at(i).metric)
                    value = values.at(later).value;
            }
            pair(values.at(i).metric, value);
        }
        m_writer.endMap();
    }

    QCborStreamWriter m_writer;
};

struct Encoder
{
    QCborMap &map;

    void operator()(const Hello &hello)
    {
        QCborArray capabilities;
        for (const QString &capability : hello.agent.capabilities)
            capabilities.append(capability);
        QCborMap agent{{u"name"_s, hello.agent.name}, {u"host"_s, hello.agent.host}, {u"os"_s, hello.agent.os},
            {u"version"_s, hello.agent.version}, {u"capabilities"_s, capabilities}};
        if (hello.agent.stampPort)
            agent.insert(u"stampPort"_s, hello.agent.stampPort);
        map.insert(u"agent"_s, agent);
    }
    void operator()(const Welcome &welcome)
    {
        map.insert(u"agentId"_s, welcome.agentId);
        map.insert(u"agentName"_s, welcome.agentName);
        if (!welcome.credential.isEmpty())
            map.insert(u"credential"_s, welcome.credential);
        map.insert(u"lastSeq"_s, welcome.lastSeq);
    }
    void operator()(const Assign &assign)
    {
        QCborArray tests;
        for (const TestSpec &test : assign.tests)
            tests.append(encodeTest(test));
        map.insert(u"tests"_s, tests);
    }
    void operator()(const Results &)
    {
        Q_UNREACHABLE(); // encode() writes results with ResultsWriter
    }
    void operator()(const Ack &ack) { map.insert(KEY_SEQ, ack.seq); }
    void operator()(const Event &event)
    {
        const QCborMap fields = encodeEvent(event);
        for (auto it = fields.cbegin(); it != fields.cend(); ++it)
            map.insert(it.key(), it.value());
    }
    void operator()(const Ping &ping) { map.insert(u"t"_s, ping.timeMs); }
    void operator()(const Rekey &rekey) { map.insert(u"credential"_s, rekey.credential); }
    void operator()(const Rekeyed &) { }
    void operator()(const Pong &pong)
    {
        map.insert(u"pingT"_s, pong.pingTimeMs);
        map.insert(u"t"_s, pong.agentTimeMs);
    }
    void operator()(const BulkRequest &request)
    {
        map.insert(KEY_LEASE, request.lease);
        map.insert(u"test"_s, request.testId);
        map.insert(u"limitMs"_s, request.limitMs);
        map.insert(u"waitMs"_s, request.waitMs);
    }
    void operator()(const BulkGrant &grant)
    {
        map.insert(KEY_LEASE, grant.lease);
        if (grant.error.isEmpty()) {
            map.insert(u"address"_s, grant.address);
            map.insert(u"port"_s, grant.port);
        } else {
            map.insert(u"error"_s, grant.error);
        }
    }
    void operator()(const BulkRelease &release) { map.insert(KEY_LEASE, release.lease); }
    void operator()(const Serve &serve)
    {
        map.insert(KEY_LEASE, serve.lease);
        map.insert(u"limitMs"_s, serve.limitMs);
        map.insert(u"waitMs"_s, serve.waitMs);
    }
    void operator()(const Serving &serving)
    {
        map.insert(KEY_LEASE, serving.lease);
        if (serving.error.isEmpty())
            map.insert(u"port"_s, serving.port);
        else
            map.insert(u"error"_s, serving.error);
    }
    void operator()(const ServeStop &stop) { map.insert(KEY_LEASE, stop.lease); }
};

constexpr qint64 MAX_ID = std::numeric_limits<qint64>::max();
constexpr qint64 MAX_TIME_MS = 32503680000000; // year 3000
// A bandwidth turn's limits: what any valid test's round could need (validation keeps them far lower).
constexpr qint64 MAX_TURN_MS = 24LL * 3600 * 1000;

// A grant or a serving answer: a port, or a sentence saying why there is none.
template <typename Answer>
bool readPortOrError(const QCborMap &map, FieldReader &reader, Answer *answer)
{
    answer->error = reader.text(map, u"error"_s, MAX_MESSAGE_TEXT_LENGTH, false);
    if (answer->error.isEmpty())
        answer->port = quint16(reader.integer(map, u"port"_s, 1, 65535));
    return reader.ok();
}

std::optional<Payload> decodeBulkGrant(const QCborMap &map, FieldReader &reader)
{
    BulkGrant grant;
    grant.lease = reader.integer(map, KEY_LEASE, 1, MAX_ID);
    if (!readPortOrError(map, reader, &grant))
        return std::nullopt;
    if (grant.error.isEmpty()) {
        grant.address = reader.text(map, u"address"_s, 64);
        if (reader.ok() && QHostAddress(grant.address).isNull())
            reader.fail(u"field 'address' is not an IP address"_s);
    }
    return reader.ok() ? std::optional<Payload>(grant) : std::nullopt;
}

std::optional<Payload> decodeServing(const QCborMap &map, FieldReader &reader)
{
    Serving serving;
    serving.lease = reader.integer(map, KEY_LEASE, 1, MAX_ID);
    readPortOrError(map, reader, &serving);
    return reader.ok() ? std::optional<Payload>(serving) : std::nullopt;
}

std::optional<Payload> decodeHello(const QCborMap &map, FieldReader &reader)
{
    Hello hello;
    const QCborMap agent = reader.map(map, u"agent"_s);
    hello.agent.name = reader.text(agent, u"name"_s, Validation::MAX_NAME_LENGTH);
    hello.agent.host = reader.text(agent, u"host"_s, MAX_TEXT_LENGTH);
    hello.agent.os = reader.text(agent, u"os"_s, MAX_TEXT_LENGTH);
    hello.agent.version = reader.text(agent, u"version"_s, MAX_TEXT_LENGTH);
    const QCborArray capabilities = reader.array(agent, u"capabilities"_s, MAX_CAPABILITIES);
    for (const QCborValue &capability : capabilities) {
        if (!capability.isString() || capability.toString().size() > Validation::MAX_NAME_LENGTH)
            return reader.fail(u"capabilities must be short texts"_s), std::nullopt;
        hello.agent.capabilities.append(capability.toString());
    }
    hello.agent.stampPort = quint16(reader.integer(agent, u"stampPort"_s, 1, 65535, false));
    QString why;
    if (reader.ok() && !Validation::checkName(u"agent name"_s, hello.agent.name, &why))
        reader.fail(why);
    return reader.ok() ? std::optional<Payload>(hello) : std::nullopt;
}

std::optional<Payload> decodeWelcome(const QCborMap &map, FieldReader &reader)
{
    Welcome welcome;
    welcome.agentId = reader.integer(map, u"agentId"_s, 1, MAX_ID);
    welcome.agentName = reader.text(map, u"agentName"_s, Validation::MAX_NAME_LENGTH);
    welcome.credential = reader.text(map, u"credential"_s, MAX_TEXT_LENGTH, false);
    welcome.lastSeq = reader.integer(map, u"lastSeq"_s, 0, MAX_ID);
    return reader.ok() ? std::optional<Payload>(welcome) : std::nullopt;
}

std::optional<Payload> decodeAssign(const QCborMap &map, FieldReader &reader)
{
    Assign assign;
    const QCborArray tests = reader.array(map, u"tests"_s, MAX_TESTS_PER_ASSIGN);
    for (const QCborValue &value : tests) {
        if (!value.isMap())
            return reader.fail(u"each test must be a map"_s), std::nullopt;
        const QCborMap test = value.toMap();
        TestSpec spec;
        spec.id = reader.integer(test, u"id"_s, 1, MAX_ID);
        spec.name = reader.text(test, u"name"_s, Validation::MAX_NAME_LENGTH);
        spec.type = reader.text(test, u"kind"_s, Validation::MAX_NAME_LENGTH);
        spec.target = reader.text(test, u"target"_s, MAX_TEXT_LENGTH * 8);
        spec.intervalMs = reader.integer(test, u"interval"_s, 0, MAX_ID);
        spec.durationMs = reader.integer(test, u"duration"_s, 0, MAX_ID);
        spec.remainingMs = reader.integer(test, u"remaining"_s, 0, MAX_ID);
        const QCborMap params = reader.map(test, u"params"_s);
        if (params.size() > Validation::MAX_PARAMS)
            return reader.fail(u"a test has too many parameters"_s), std::nullopt;
        for (auto it = params.cbegin(); it != params.cend(); ++it) {
            if (!it.key().isString() || !it.value().isString() || it.value().toString().size() > MAX_TEXT_LENGTH * 8)
                return reader.fail(u"test parameters must be short texts"_s), std::nullopt;
            spec.params.insert(it.key().toString(), it.value().toString());
        }
        if (!reader.ok())
            return std::nullopt;
        // An assign that names a test this build cannot run is still well formed; the agent reports it.
        QString why;
        if (!Validation::checkName(u"test name"_s, spec.name, &why) || !Validation::checkInterval(spec.intervalMs, &why)
            || !Validation::checkDuration(spec.durationMs, &why)) {
            return reader.fail(why), std::nullopt;
        }
        assign.tests.append(spec);
    }
    return reader.ok() ? std::optional<Payload>(assign) : std::nullopt;
}

// An event's optional code and values, and those of the sentences among its values.
EventText decodeEventText(const QCborMap &map, FieldReader &reader, int depth)
{
    if (depth > EventText::MAX_DEPTH)
        return reader.fail(u"event sentences are nested too deep"_s), EventText();
    // Values without a code would say nothing; a sentence among the values always has one.
    if (depth == 0 && !map.contains(u"code"_s) && !map.contains(u"args"_s))
        return EventText();
    const QString code = reader.text(map, u"code"_s, Validation::MAX_NAME_LENGTH);
    const QCborArray args = reader.array(map, u"args"_s, EventText::MAX_ARGS, false);
    if (!reader.ok())
        return EventText();
    QString why;
    if (!Validation::checkName(u"event code"_s, code, &why))
        return reader.fail(why), EventText();
    QJsonArray values;
    for (const QCborValue &value : args) {
        if (value.isString() && value.toString().size() <= MAX_MESSAGE_TEXT_LENGTH) {
            values.append(value.toString());
        } else if (value.isInteger()) {
            values.append(value.toInteger());
        } else if (value.isMap()) {
            const EventText inner = decodeEventText(value.toMap(), reader, depth + 1);
            if (!reader.ok())
                return EventText();
            values.append(inner.toJson());
        } else {
            return reader.fail(u"event args must be short texts, whole numbers or {code, args} maps"_s), EventText();
        }
    }
    return EventText(code, values);
}

std::optional<Event> decodeEventFields(const QCborMap &map, FieldReader &reader)
{
    Event event;
    event.timeMs = reader.integer(map, u"t"_s, 0, MAX_TIME_MS);
    event.level = reader.text(map, u"level"_s, 16);
    event.kind = reader.text(map, u"kind"_s, Validation::MAX_NAME_LENGTH);
    event.message = reader.text(map, u"message"_s, MAX_MESSAGE_TEXT_LENGTH);
    event.testId = reader.integer(map, u"test"_s, 0, MAX_ID, false);
    event.coded = decodeEventText(map, reader, 0);
    if (reader.ok() && event.level != u"info" && event.level != u"warning" && event.level != u"error")
        reader.fail(u"event level must be info, warning or error"_s);
    return reader.ok() ? std::optional<Event>(event) : std::nullopt;
}

std::optional<Payload> decodeEvent(const QCborMap &map, FieldReader &reader)
{
    const auto event = decodeEventFields(map, reader);
    return event ? std::optional<Payload>(*event) : std::nullopt;
}

std::optional<Payload> decodeResults(const QCborMap &map, FieldReader &reader)
{
    Results results;
    results.seq = reader.integer(map, KEY_SEQ, 1, MAX_ID);
    const QCborArray rounds = reader.array(map, u"rounds"_s, MAX_ROUNDS_PER_BATCH);
    results.rounds.reserve(rounds.size());
    qsizetype valuesInBatch = 0;
    for (const QCborValue &value : rounds) {
        if (!reader.ok())
            return std::nullopt;
        if (!value.isMap())
            return reader.fail(u"each round must be a map"_s), std::nullopt;
        const QCborMap roundMap = value.toMap();
        Round round;
        round.testId = reader.integer(roundMap, u"test"_s, 1, MAX_ID);
        round.timeMs = reader.integer(roundMap, u"t"_s, 0, MAX_TIME_MS);
        round.error = reader.text(roundMap, u"error"_s, MAX_MESSAGE_TEXT_LENGTH, false);
        DecodeError detailError;
        if (auto detail = decodeDetail(roundMap.value(u"detail"_s), &detailError))
            round.detail = std::move(*detail);
        else
            return reader.fail(u"round %1: %2"_s.arg(results.rounds.size() + 1).arg(detailError.reason)), std::nullopt;
        const QCborMap values = reader.map(roundMap, u"values"_s);
        if (values.size() > MAX_VALUES_PER_ROUND)
            return reader.fail(u"a round has too many values"_s), std::nullopt;
        valuesInBatch += values.size();
        if (valuesInBatch > MAX_VALUES_PER_BATCH)
            return reader.fail(u"a batch has more than %1 values"_s.arg(MAX_VALUES_PER_BATCH)), std::nullopt;
        round.values.reserve(values.size());
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            const QCborValue key = it.key();
            const QCborValue number = it.value();
            if (!key.isString() || key.toString().size() > MAX_SAMPLE_NAME_LENGTH)
                return reader.fail(u"metric names must be short texts"_s), std::nullopt;
            if (!(number.isDouble() || number.isInteger()) || !std::isfinite(number.toDouble()))
                return reader.fail(u"metric values must be finite numbers"_s), std::nullopt;
            // CBOR maps must not repeat a key (RFC 8949); here it would store a sample twice.
            const QString name = key.toString();
            if (std::any_of(round.values.cbegin(), round.values.cend(),
                    [&](const MetricValue &seen) { return seen.metric == name; })) {
                return reader.fail(u"a round names metric '%1' twice"_s.arg(name)), std::nullopt;
            }
            round.values.append({name, number.toDouble()});
        }
        results.rounds.append(std::move(round));
    }
    if (map.contains(u"events"_s)) {
        const QCborArray events = reader.array(map, u"events"_s, MAX_EVENTS_PER_BATCH);
        for (const QCborValue &value : events) {
            if (!reader.ok())
                return std::nullopt;
            if (!value.isMap())
                return reader.fail(u"each event must be a map"_s), std::nullopt;
            if (const auto event = decodeEventFields(value.toMap(), reader))
                results.events.append(*event);
        }
    }
    results.floorSeq = reader.integer(map, u"floor"_s, 0, MAX_ID, false);
    if (reader.ok() && results.floorSeq > results.seq)
        reader.fail(u"field 'floor' is above the batch's seq"_s);
    const QCborMap lost = reader.map(map, u"lost"_s, false);
    if (!lost.isEmpty()) {
        results.lostRounds = reader.integer(lost, u"rounds"_s, 0, MAX_ID);
        results.lostUntilMs = reader.integer(lost, u"until"_s, 0, MAX_TIME_MS);
    }
    return reader.ok() ? std::optional<Payload>(std::move(results)) : std::nullopt;
}

} // namespace

QByteArray encode(const Message &message)
{
    if (const auto *results = std::get_if<Results>(&message.payload)) {
        QByteArray bytes;
        bytes.reserve(64 + results->rounds.size() * 384);
        ResultsWriter(&bytes).write(*results);
        return bytes;
    }
    QCborMap map{{KEY_VERSION, VERSION}, {KEY_TYPE, messageTypeName(message.type())}};
    std::visit(Encoder{map}, message.payload);
    return map.toCborValue().toCbor();
}

QByteArray withDeliveryFields(const QByteArray &encodedResults, qint64 floorSeq, qint64 lostRounds, qint64 lostUntilMs)
{
    const int added = (floorSeq ? 1 : 0) + (lostRounds ? 1 : 0);
    if (added == 0)
        return encodedResults;
    // ResultsWriter's map: v, type, seq, rounds and perhaps events, so 4 or 5 pairs, counted in the
    // first byte (major type 5, small count). Anything else takes the long way.
    const auto head = encodedResults.isEmpty() ? 0 : quint8(encodedResults.front());
    if (head != 0xa4 && head != 0xa5) {
        auto message = decode(encodedResults);
        auto *results = message ? std::get_if<Results>(&message->payload) : nullptr;
        if (!results)
            return encodedResults;
        results->floorSeq = floorSeq;
        results->lostRounds = lostRounds;
        results->lostUntilMs = lostUntilMs;
        return encode(*message);
    }
    QByteArray tail; // a writer on a QByteArray writes from its start, not at its end
    ResultsWriter(&tail).writeDeliveryFields(floorSeq, lostRounds, lostUntilMs);
    QByteArray bytes = encodedResults + tail;
    bytes[0] = char(head + added);
    return bytes;
}

std::optional<Message> decode(const QByteArray &bytes, DecodeError *error)
{
    FieldReader reader(error);
    if (bytes.size() > MAX_MESSAGE_BYTES)
        return reader.fail(u"message larger than %1 bytes"_s.arg(MAX_MESSAGE_BYTES)), std::nullopt;
    QCborParserError parseError;
    const QCborValue root = QCborValue::fromCbor(bytes, &parseError);
    if (parseError.error != QCborError::NoError)
        return reader.fail(u"not valid CBOR: %1"_s.arg(parseError.errorString())), std::nullopt;
    if (!root.isMap())
        return reader.fail(u"message must be a CBOR map"_s), std::nullopt;
    const QCborMap map = root.toMap();
    const qint64 version = reader.integer(map, KEY_VERSION, 0, 1 << 16);
    if (reader.ok() && version != VERSION)
        return reader.fail(u"protocol version %1 is not supported (this side speaks %2)"_s.arg(version).arg(VERSION)),
               std::nullopt;
    const QString typeName = reader.text(map, KEY_TYPE, 16);
    if (!reader.ok())
        return std::nullopt;

    std::optional<Payload> payload;
    const auto type = std::find_if(
        ALL_TYPES.cbegin(), ALL_TYPES.cend(), [&](MessageType t) { return messageTypeName(t) == typeName; });
    switch (type == ALL_TYPES.cend() ? MessageType{} : *type) {
    case MessageType::Hello:
        payload = decodeHello(map, reader);
        break;
    case MessageType::Welcome:
        payload = decodeWelcome(map, reader);
        break;
    case MessageType::Assign:
        payload = decodeAssign(map, reader);
        break;
    case MessageType::Results:
        payload = decodeResults(map, reader);
        break;
    case MessageType::Ack:
        payload = Ack{reader.integer(map, KEY_SEQ, 0, MAX_ID)};
        break;
    case MessageType::Event:
        payload = decodeEvent(map, reader);
        break;
    case MessageType::Ping:
        payload = Ping{reader.integer(map, u"t"_s, 0, MAX_TIME_MS)};
        break;
    case MessageType::Rekey:
        payload = Rekey{reader.text(map, u"credential"_s, MAX_TEXT_LENGTH)};
        break;
    case MessageType::Rekeyed:
        payload = Rekeyed{};
        break;
    case MessageType::Pong:
        payload = Pong{reader.integer(map, u"pingT"_s, 0, MAX_TIME_MS), reader.integer(map, u"t"_s, 0, MAX_TIME_MS)};
        break;
    case MessageType::BulkRequest:
        payload = BulkRequest{reader.integer(map, KEY_LEASE, 1, MAX_ID), reader.integer(map, u"test"_s, 1, MAX_ID),
            reader.integer(map, u"limitMs"_s, 1, MAX_TURN_MS), reader.integer(map, u"waitMs"_s, 0, MAX_TURN_MS)};
        break;
    case MessageType::BulkGrant:
        payload = decodeBulkGrant(map, reader);
        break;
    case MessageType::BulkRelease:
        payload = BulkRelease{reader.integer(map, KEY_LEASE, 1, MAX_ID)};
        break;
    case MessageType::Serve:
        payload = Serve{reader.integer(map, KEY_LEASE, 1, MAX_ID), reader.integer(map, u"limitMs"_s, 1, MAX_TURN_MS),
            reader.integer(map, u"waitMs"_s, 0, MAX_TURN_MS)};
        break;
    case MessageType::Serving:
        payload = decodeServing(map, reader);
        break;
    case MessageType::ServeStop:
        payload = ServeStop{reader.integer(map, KEY_LEASE, 1, MAX_ID)};
        break;
    default:
        reader.fail(u"unknown message type '%1'"_s.arg(typeName));
    }
    if (!payload || !reader.ok())
        return std::nullopt;
    return Message{std::move(*payload)};
}

} // namespace StreamSwarm::Protocol
