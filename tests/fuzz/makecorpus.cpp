// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors

// Writes the seed corpora of fuzz_decode and fuzz_validate. Not run by the build or by scripts/fuzz:
// run it by hand after changing the protocol or a harness's input format, then review and commit.
//   fuzz_make_corpus tests/fuzz/corpus tests/data/protocol
#include <cstdio>
#include <limits>
#include <random>

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QCborValue>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QList>
#include <QTimeZone>
#include <QUrl>
#include <QUuid>

#include "shared/protocol/codec.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Protocol;

namespace {

constexpr qint64 MAX_TIME_MS = 32503680000000; // as in the harnesses
constexpr qint64 NOW_MS = 1764144000000; // 2025-11-26T08:00:00Z
const QString SECRET = u"sse_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"_s;

bool write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return false;
    }
    return true;
}

// --- fuzz_decode: valid messages of every type, odd but legal encodings, and damaged ones.

TestSpec pingTest(qint64 id, const QString &name, const QString &target)
{
    TestSpec spec;
    spec.id = id;
    spec.name = name;
    spec.type = u"ping"_s;
    spec.target = target;
    spec.intervalMs = 1000;
    spec.params = {{u"count"_s, u"3"_s}, {u"spacing"_s, u"100ms"_s}, {u"timeout"_s, u"500ms"_s}};
    return spec;
}

Round makeRound(qint64 testId, qint64 timeMs, QList<MetricValue> values)
{
    Round result;
    result.testId = testId;
    result.timeMs = timeMs;
    result.values = std::move(values);
    return result;
}

QList<std::pair<QString, QByteArray>> encodedMessages()
{
    Hello hello;
    hello.agent = {u"edge-01"_s, u"edge-01.lab"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s, u"system"_s}};
    Hello bare;
    bare.agent.name = u"a"_s;

    Assign assign;
    assign.tests = {pingTest(1, u"gw"_s, u"192.0.2.1"_s), pingTest(2, u"dns6"_s, u"2001:db8::53"_s)};
    TestSpec http;
    http.id = 3;
    http.name = u"web.front_1"_s;
    http.type = u"http"_s;
    http.target = u"https://example.net/health"_s;
    http.intervalMs = 60000;
    http.durationMs = 3600000;
    http.remainingMs = 1800000;
    assign.tests.append(http);

    Results results;
    results.seq = 1;
    results.rounds = {makeRound(1, NOW_MS,
        {{u"ping.rtt_min_ms"_s, 0.25}, {u"ping.rtt_avg_ms"_s, 0.5}, {u"ping.rtt_max_ms"_s, 1.75},
            {u"ping.loss_pct"_s, 0}})};
    Results failed;
    failed.seq = 42;
    Round error = makeRound(2, NOW_MS + 1000, {});
    error.error = u"Cannot ping 192.0.2.1: no route to host"_s;
    Round traced = makeRound(3, NOW_MS + 2000, {{u"traceroute.hops"_s, 3}});
    traced.detail = OtherDetail{QString(),
        QCborMap{{u"hops"_s,
            QCborArray{QCborMap{{u"ttl"_s, 1}, {u"addr"_s, u"192.0.2.254"_s}, {u"rtt"_s, 0.4}},
                QCborMap{{u"ttl"_s, 2}, {u"addr"_s, QCborValue(QCborValue::Null)}},
                QCborMap{{u"ttl"_s, 3}, {u"addr"_s, u"198.51.100.7"_s}, {u"rtt"_s, 12.5}}}}}};
    failed.rounds = {error, traced};
    Results typed;
    typed.seq = std::numeric_limits<qint64>::max();
    Round extended = makeRound(std::numeric_limits<qint64>::max(), MAX_TIME_MS, {{u"x"_s, -0.0}, {u"y"_s, 1e308}});
    extended.detail = OtherDetail{QString(),
        QCborMap{{u"values"_s,
            QCborArray{QCborValue(QDateTime::fromMSecsSinceEpoch(NOW_MS, QTimeZone::utc())),
                QCborValue(QUrl(u"https://example.net/a?b=c"_s)),
                QCborValue(QUuid(u"{67c8770b-44f1-410a-ab9a-f9b5446f13ee}"_s)),
                QCborValue(QByteArray("\x00\x01\xff", 3)), QCborValue(QCborSimpleType(99)),
                QCborValue(QCborTag(1000), QCborValue(7)), QCborValue(std::numeric_limits<qint64>::min())}}}};
    typed.rounds = {extended};
    // An http round: the typed detail with its nested lists (redirects, headers, chain, requests).
    Results web;
    web.seq = 8;
    Round fetched = makeRound(3, NOW_MS + 3000, {{u"http.ttfb_ms"_s, 48.25}, {u"http.status"_s, 200}});
    HttpDetail page;
    page.url = u"https://example.net/vod/clip.m3u8?quality=720p&start=30"_s;
    page.finalUrl = u"https://edge.example.net/vod/clip.m3u8?quality=720p&start=30"_s;
    page.method = u"GET"_s;
    page.version = u"2"_s;
    page.status = 200;
    page.redirects = {page.finalUrl};
    page.address = u"2001:db8::80"_s;
    page.port = 443;
    page.contentType = u"application/vnd.apple.mpegurl"_s;
    page.contentEncoding = u"gzip"_s;
    page.headers = {HttpHeader{u"content-encoding"_s, u"gzip"_s}, HttpHeader{u"set-cookie"_s, QString()}};
    page.tlsVersion = u"TLSv1.3"_s;
    page.cipher = u"TLS_AES_128_GCM_SHA256"_s;
    page.chain = {CertificateSummary{u"CN=edge.example.net"_s, u"CN=Example CA"_s, NOW_MS - 86400000, NOW_MS + 86400000,
        u"1F"_s, QString(64, u'0'), u"DNS:edge.example.net"_s}};
    page.trusted = true;
    page.requests = {
        HttpRequestTiming{0.05, 1.5, 7.25, 48.25, 48.5, false}, HttpRequestTiming{0, 0, std::nullopt, 41, 41.25, true}};
    fetched.detail = page;
    web.rounds = {fetched};
    Results batch;
    batch.seq = 7;
    for (int i = 0; i < 40; ++i)
        batch.rounds.append(makeRound(1 + i % 3, NOW_MS + i * 1000, {{u"ping.rtt_avg_ms"_s, 0.1 * i}}));

    Event info{NOW_MS, u"info"_s, u"started"_s, u"Agent started"_s, 0};
    Event warning{NOW_MS, u"warning"_s, u"probe-error"_s, u"Cannot resolve gw.lab"_s, 1};
    Event errorEvent{0, u"error"_s, u"spool-full"_s, QString(4096, u'x'), std::numeric_limits<qint64>::max()};

    return {
        {u"hello"_s, encode({hello})},
        {u"hello-bare"_s, encode({bare})},
        {u"welcome"_s, encode({Welcome{17, u"edge-01"_s, u"ssa_0123456789abcdef_secret"_s, 0}})},
        {u"welcome-again"_s, encode({Welcome{1, u"x"_s, QString(), std::numeric_limits<qint64>::max()}})},
        {u"assign-empty"_s, encode({Assign{}})},
        {u"assign"_s, encode({assign})},
        {u"results"_s, encode({results})},
        {u"results-error-detail"_s, encode({failed})},
        {u"results-extended-types"_s, encode({typed})},
        {u"results-batch"_s, encode({batch})},
        {u"results-http-detail"_s, encode({web})},
        {u"ack"_s, encode({Ack{99}})},
        {u"event-info"_s, encode({info})},
        {u"event-warning"_s, encode({warning})},
        {u"event-error"_s, encode({errorEvent})},
        {u"ping"_s, encode({Ping{NOW_MS}})},
        {u"pong"_s, encode({Pong{NOW_MS, NOW_MS + 3}})},
    };
}

// Legal CBOR that encode() never writes, and messages each decode() check must refuse.
QList<std::pair<QString, QByteArray>> handMadeMessages()
{
    QList<std::pair<QString, QByteArray>> messages;
    const auto add = [&messages](const QString &name, const QCborValue &value) {
        messages.append({name, value.toCbor()});
    };
    const auto envelope = [](const QString &type) {
        return QCborMap{{u"v"_s, 1}, {u"type"_s, type}};
    };

    QByteArray bytes;
    QCborStreamWriter writer(&bytes);
    writer.startMap(); // indefinite length everywhere, half and single precision numbers
    writer.append(u"v"_s);
    writer.append(1);
    writer.append(u"type"_s);
    writer.append(u"results"_s);
    writer.append(u"seq"_s);
    writer.append(5);
    writer.append(u"rounds"_s);
    writer.startArray();
    writer.startMap();
    writer.append(u"test"_s);
    writer.append(1);
    writer.append(u"t"_s);
    writer.append(NOW_MS);
    writer.append(u"values"_s);
    writer.startMap();
    writer.append(u"half"_s);
    writer.append(qfloat16(1.5f));
    writer.append(u"single"_s);
    writer.append(0.25f);
    writer.append(u"negative"_s);
    writer.append(QCborNegativeInteger(1));
    writer.endMap();
    writer.endMap();
    writer.endArray();
    writer.endMap();
    messages.append({u"results-indefinite-half"_s, bytes});

    QCborMap versionTwo = envelope(u"ping"_s);
    versionTwo.insert(u"v"_s, 2);
    versionTwo.insert(u"t"_s, 0);
    add(u"bad-version"_s, versionTwo);
    add(u"bad-type"_s, envelope(u"hello2"_s));
    QCborMap seqText = envelope(u"ack"_s);
    seqText.insert(u"seq"_s, u"1"_s);
    add(u"bad-seq-text"_s, seqText);
    QCborMap nan = envelope(u"results"_s);
    nan.insert(u"seq"_s, 1);
    nan.insert(u"rounds"_s,
        QCborArray{QCborMap{{u"test"_s, 1}, {u"t"_s, 0},
            {u"values"_s, QCborMap{{u"nan"_s, std::numeric_limits<double>::quiet_NaN()}}}}});
    add(u"bad-nan"_s, nan);
    QCborMap interval = envelope(u"assign"_s);
    interval.insert(u"tests"_s,
        QCborArray{QCborMap{{u"id"_s, 1}, {u"name"_s, u"t"_s}, {u"kind"_s, u"ping"_s}, {u"target"_s, u"h"_s},
            {u"interval"_s, 99}, {u"duration"_s, 0}, {u"remaining"_s, 0}, {u"params"_s, QCborMap{}}}});
    add(u"bad-interval"_s, interval);
    QCborMap longHost = envelope(u"hello"_s);
    longHost.insert(u"agent"_s,
        QCborMap{{u"name"_s, u"a"_s}, {u"host"_s, QString(257, u'h')}, {u"os"_s, u""_s}, {u"version"_s, u""_s},
            {u"capabilities"_s, QCborArray{}}});
    add(u"bad-long-host"_s, longHost);
    QCborValue deep(1);
    for (int i = 0; i < 200; ++i)
        deep = QCborArray{deep};
    QCborMap deepDetail = envelope(u"results"_s);
    deepDetail.insert(u"seq"_s, 1);
    deepDetail.insert(
        u"rounds"_s, QCborArray{QCborMap{{u"test"_s, 1}, {u"t"_s, 0}, {u"values"_s, QCborMap{}}, {u"detail"_s, deep}}});
    add(u"results-deep-detail"_s, deepDetail);
    QCborMap byteKeys;
    byteKeys.insert(QCborValue(QByteArray("v")), 1);
    byteKeys.insert(QCborValue(QByteArray("type")), QByteArray("ping"));
    add(u"bad-byte-keys"_s, byteKeys);
    add(u"bad-array"_s, QCborArray{1, u"ping"_s});
    add(u"bad-integer"_s, QCborValue(std::numeric_limits<qint64>::min()));
    messages.append({u"bad-empty"_s, QByteArray()});
    messages.append({u"bad-huge-length"_s, QByteArray::fromHex("bb7fffffffffffffff")});
    return messages;
}

QList<std::pair<QString, QByteArray>> damaged(const QList<std::pair<QString, QByteArray>> &messages)
{
    std::mt19937 random(20261126); // fixed: the corpus is reviewed and committed
    QList<std::pair<QString, QByteArray>> result;
    for (const auto &[name, bytes] : messages) {
        if (bytes.size() < 4)
            continue;
        result.append({name + u"-truncated"_s, bytes.left(bytes.size() / 2)});
        QByteArray flipped = bytes;
        for (int i = 0; i < 2; ++i) {
            const auto at = qsizetype(random() % quint32(flipped.size()));
            flipped[at] = char(flipped[at] ^ (1 << (random() % 8)));
        }
        result.append({name + u"-flipped"_s, flipped});
    }
    return result;
}

// --- fuzz_validate: inputs in the FuzzedDataProvider layout that fuzz_validate.cpp reads.

// Texts are read from the front (a backslash escapes a backslash; backslash and any other byte end
// the text), numbers from the back, most significant byte last in the file.
class ProviderInput
{
public:
    void integer(qint64 min, qint64 max, qint64 value)
    {
        const quint64 range = quint64(max) - quint64(min);
        const quint64 offset = quint64(value) - quint64(min);
        int bytes = 0;
        while (bytes < 8 && (range >> (8 * bytes)) > 0)
            ++bytes;
        for (int i = bytes - 1; i >= 0; --i)
            m_back.append(char((offset >> (8 * i)) & 0xff));
    }

    void text(const QString &text, int encoding = 0)
    {
        integer(0, 2, encoding);
        const QByteArray raw = encoding == 0 ? text.toUtf8()
            : encoding == 1                  ? text.toLatin1()
                            : QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
        for (const char c : raw) {
            if (c == '\\')
                m_front.append('\\');
            m_front.append(c);
        }
        m_front.append("\\ ");
    }

    QByteArray bytes() const
    {
        QByteArray result = m_front;
        for (auto it = m_back.crbegin(); it != m_back.crend(); ++it)
            result.append(*it);
        return result;
    }

private:
    QByteArray m_front;
    QByteArray m_back;
};

struct Millis
{
    int mode = 1; // 0: 0..MAX_DURATION_MS, 1: 0..100000, 2: any qint64, 3: a duration text
    qint64 value = 0;
    QString text;
};

struct Param
{
    int choice = 4; // 0..3: count, spacing, timeout, size; 4: key is the text below
    QString key;
    QString value;
};

struct ValidateSeed
{
    QString name = u"agent-1"_s;
    int nameEncoding = 0;
    QString target = u"192.0.2.10"_s;
    int targetEncoding = 0;
    QString duration = u"500ms"_s;
    QString timePoint = u"2026-11-26T08:00:00Z"_s;
    qint64 nowMs = NOW_MS;
    QString secret = SECRET;
    qint64 id = 1;
    QString specName = u"ping-gw"_s;
    int type = 0; // < 8 ping, 8..15 knownTestTypes()[type - 7], 16 typeText
    QString typeText;
    QString specTarget = u"gateway.example.net"_s;
    Millis interval{1, 1000, {}};
    Millis duration_{1, 0, {}};
    qint64 remaining = 0;
    QList<Param> params{{0, {}, u"5"_s}, {1, {}, u"100ms"_s}, {2, {}, u"200ms"_s}, {3, {}, u"56"_s}};
};

void millis(ProviderInput &input, const Millis &value)
{
    input.integer(0, 3, value.mode);
    if (value.mode == 0)
        input.integer(0, Validation::MAX_DURATION_MS, value.value);
    else if (value.mode == 1)
        input.integer(0, 100000, value.value);
    else if (value.mode == 2)
        input.integer(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), value.value);
    else
        input.text(value.text);
}

QByteArray validateInput(const ValidateSeed &seed)
{
    ProviderInput input;
    input.text(seed.name, seed.nameEncoding);
    input.text(seed.target, seed.targetEncoding);
    input.text(seed.duration);
    input.text(seed.timePoint);
    input.integer(0, MAX_TIME_MS, seed.nowMs);
    input.text(seed.secret);
    input.integer(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), seed.id);
    input.text(seed.specName);
    input.integer(0, 16, seed.type);
    if (seed.type == 16)
        input.text(seed.typeText);
    input.text(seed.specTarget);
    millis(input, seed.interval);
    millis(input, seed.duration_);
    input.integer(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), seed.remaining);
    input.integer(0, Validation::MAX_PARAMS + 4, seed.params.size());
    for (const Param &param : seed.params) {
        input.integer(0, 4, param.choice);
        if (param.choice == 4)
            input.text(param.key);
        input.text(param.value);
    }
    return input.bytes();
}

QList<std::pair<QString, ValidateSeed>> validateSeeds()
{
    QList<std::pair<QString, ValidateSeed>> seeds;
    const auto add = [&seeds](const QString &name, const auto &change) {
        ValidateSeed seed;
        change(seed);
        seeds.append({name, seed});
    };
    add(u"valid-ping"_s, [](ValidateSeed &) {});
    add(u"ipv6"_s, [](ValidateSeed &s) {
        s.target = u"2001:db8::1"_s;
        s.specTarget = u"fe80::1%eth0"_s;
        s.timePoint = u"2h"_s;
        s.secret = u"  ssa_fedcba9876543210_0123456789012345678901234567890123456789  "_s;
    });
    add(u"trailing-dot"_s, [](ValidateSeed &s) {
        s.target = u"example.com."_s;
        s.duration = u"7d"_s;
        s.timePoint = u"2026-11-26T08:00:00.123+01:00"_s;
        s.specTarget = u"xn--bcher-kva.example"_s;
    });
    add(u"long-names"_s, [](ValidateSeed &s) {
        s.name = QString(64, u'a');
        s.specName = QString(65, u'b');
        s.target = QString(63, u'c') + u'.' + QString(63, u'd') + u'.' + QString(63, u'e') + u'.' + QString(61, u'f');
    });
    add(u"bad-names"_s, [](ValidateSeed &s) {
        s.name = u"-agent"_s;
        s.specName = u"\u00dcnic\u00f6de"_s;
        s.target = u"a..b"_s;
        s.duration = u"1.5s"_s;
    });
    add(u"bad-dotted"_s, [](ValidateSeed &s) {
        s.name = u"a b"_s;
        s.target = u"010.1.1.1"_s;
        s.specTarget = u"1.2.3"_s;
        s.duration = u"-5s"_s;
        s.timePoint = u"2026-13-01T00:00:00Z"_s;
    });
    add(u"bad-labels"_s, [](ValidateSeed &s) {
        s.target = u"-a.example"_s;
        s.specTarget = u"12345"_s;
        s.duration = u" 10 s "_s;
        s.timePoint = u"9999999999999d"_s;
        s.secret = u"ssx_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"_s;
    });
    add(u"big-durations"_s, [](ValidateSeed &s) {
        s.duration = u"9223372036854775807ms"_s;
        s.timePoint = u"9223372036854775ms"_s;
        s.interval = {3, 0, u"10s"_s};
        s.duration_ = {3, 0, u"1h"_s};
    });
    add(u"bad-secrets"_s, [](ValidateSeed &s) {
        s.secret = u"sse_0123456789ABCDEF_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE="_s;
        s.timePoint = u"2026-11-26"_s;
        s.duration = u"ms"_s;
    });
    add(u"short-secret"_s, [](ValidateSeed &s) {
        s.secret = u"ssa_0123456789abcdef_short"_s;
        s.timePoint = u"5"_s;
    });
    add(u"utf16"_s, [](ValidateSeed &s) {
        s.name = u"a"_s + QChar(0xd800) + u"b"_s;
        s.nameEncoding = 2;
        s.target = u"host\u3000name"_s;
        s.targetEncoding = 2;
    });
    add(u"latin1"_s, [](ValidateSeed &s) {
        s.name = u"caf\u00e9"_s;
        s.nameEncoding = 1;
        s.target = u"host\u00a0name"_s;
        s.targetEncoding = 1;
    });
    add(u"type-http"_s, [](ValidateSeed &s) {
        s.type = 12;
        s.specTarget = u"https://example.net/"_s;
        s.interval = {0, 60000, {}};
        s.duration_ = {0, 86400000, {}};
    });
    add(u"type-system"_s, [](ValidateSeed &s) {
        s.type = 15;
        s.params.clear();
    });
    add(u"type-text"_s, [](ValidateSeed &s) {
        s.type = 16;
        s.typeText = u"PING"_s;
    });
    add(u"ping-bad-count"_s, [](ValidateSeed &s) { s.params = {{0, {}, u"0"_s}}; });
    add(u"ping-big-count"_s, [](ValidateSeed &s) { s.params = {{0, {}, u"101"_s}, {3, {}, u"65500"_s}}; });
    add(u"ping-bad-spacing"_s, [](ValidateSeed &s) { s.params = {{1, {}, u"5ms"_s}, {2, {}, u"61s"_s}}; });
    add(u"ping-unknown-param"_s, [](ValidateSeed &s) { s.params = {{4, u"ttl"_s, u"64"_s}}; });
    add(u"ping-round-too-long"_s, [](ValidateSeed &s) {
        s.params = {{0, {}, u"3"_s}, {2, {}, u"1s"_s}};
        s.interval = {1, 1000, {}};
    });
    add(u"ping-default-timeout"_s, [](ValidateSeed &s) {
        s.params = {{0, {}, u"10"_s}, {1, {}, u"50ms"_s}};
        s.interval = {1, 500, {}};
    });
    add(u"too-many-params"_s, [](ValidateSeed &s) {
        s.params.clear();
        for (int i = 0; i < Validation::MAX_PARAMS + 1; ++i)
            s.params.append({4, u"p%1"_s.arg(i), u"1"_s});
    });
    add(u"interval-small"_s, [](ValidateSeed &s) {
        s.interval = {1, 99, {}};
        s.duration_ = {1, 999, {}};
    });
    add(u"interval-huge"_s, [](ValidateSeed &s) {
        s.interval = {2, std::numeric_limits<qint64>::max(), {}};
        s.duration_ = {0, Validation::MAX_DURATION_MS, {}};
        s.id = std::numeric_limits<qint64>::min();
        s.remaining = -1;
    });
    return seeds;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <tests/fuzz/corpus> <tests/data/protocol>\n", argv[0]);
        return 2;
    }
    const QDir corpus(QString::fromLocal8Bit(argv[1]));
    const QDir golden(QString::fromLocal8Bit(argv[2]));
    if (!corpus.mkpath(u"decode"_s) || !corpus.mkpath(u"validate"_s))
        return 1;

    QList<std::pair<QString, QByteArray>> valid = encodedMessages();
    const QStringList goldenFiles = golden.entryList({u"*.cbor"_s}, QDir::Files, QDir::Name);
    for (const QString &file : goldenFiles) {
        QFile in(golden.filePath(file));
        if (!in.open(QIODevice::ReadOnly))
            return 1;
        valid.append({u"golden-"_s + file.chopped(5), in.readAll()});
    }
    const QList<std::pair<QString, QByteArray>> handMade = handMadeMessages();
    QList<std::pair<QString, QByteArray>> decodeSeeds = valid + handMade;
    decodeSeeds += damaged(valid);
    for (const auto &[name, bytes] : decodeSeeds) {
        if (!write(corpus.filePath(u"decode/"_s + name), bytes))
            return 1;
    }
    const QList<std::pair<QString, ValidateSeed>> validate = validateSeeds();
    for (const auto &[name, seed] : validate) {
        if (!write(corpus.filePath(u"validate/"_s + name), validateInput(seed)))
            return 1;
    }
    std::printf(
        "%lld decode and %lld validate seeds written\n", qlonglong(decodeSeeds.size()), qlonglong(validate.size()));
    return 0;
}
