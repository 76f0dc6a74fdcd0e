// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors

// libFuzzer target for Protocol::decode() on arbitrary bytes. Oracles: a failed decode says why in
// text that is safe to log; a decoded message keeps every documented limit and names each metric of a
// round once; encode() then decode() gives the same message back, and encoding that again gives the
// same bytes.
// STREAMSWARM_FUZZ_SKIP=oracle,... skips oracles with a known, reported bug during long runs.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <variant>

#include <QByteArray>
#include <QCborValue>
#include <QStringList>

#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Protocol;

namespace {

constexpr qint64 MAX_TIME_MS = 32503680000000; // year 3000, as in codec.cpp
constexpr qsizetype MAX_DUMP = 2000;

QStringList s_skippedOracles;
const QByteArray *s_input = nullptr; // printed when an oracle fails
const QByteArray *s_encoded = nullptr;

struct PrintOnFailure
{
    explicit PrintOnFailure(const QByteArray &input) { s_input = &input; }
    ~PrintOnFailure()
    {
        s_input = nullptr;
        s_encoded = nullptr;
    }
    Q_DISABLE_COPY_MOVE(PrintOnFailure)
};

QByteArray diagnostic(const QByteArray &cbor)
{
    return QCborValue::fromCbor(cbor).toDiagnosticNotation().left(MAX_DUMP).toUtf8();
}

void check(bool ok, const char *oracle, const char *condition, int line)
{
    if (ok || s_skippedOracles.contains(QLatin1String(oracle)))
        return;
    std::fprintf(stderr, "fuzz_decode.cpp:%d: oracle '%s' failed: %s\n", line, oracle, condition);
    if (s_input)
        std::fprintf(stderr, "  input:      %s\n", diagnostic(*s_input).constData());
    if (s_encoded)
        std::fprintf(stderr, "  re-encoded: %s\n", diagnostic(*s_encoded).constData());
    std::abort();
}

#define CHECK(oracle, condition) check((condition), oracle, #condition, __LINE__)

bool safeToLog(const QString &text)
{
    return std::none_of(text.cbegin(), text.cend(), [](QChar c) {
        const QChar::Category category = c.category();
        return category == QChar::Other_Control || category == QChar::Separator_Line
            || category == QChar::Separator_Paragraph;
    });
}

bool isName(const QString &name)
{
    return Validation::checkName(u"name"_s, name, nullptr);
}

// CBOR maps may repeat a key; encode() writes one value per metric name.
bool hasDuplicateMetrics(const Message &message)
{
    const auto *results = std::get_if<Results>(&message.payload);
    if (!results)
        return false;
    return std::any_of(results->rounds.cbegin(), results->rounds.cend(), [](const Round &round) {
        QStringList names;
        for (const MetricValue &value : round.values)
            names.append(value.metric);
        return names.removeDuplicates() > 0;
    });
}

bool isTime(qint64 ms)
{
    return ms >= 0 && ms <= MAX_TIME_MS;
}

// Every limit codec.h and validation.h document for what decode() lets through.
struct LimitChecker
{
    void operator()(const Hello &hello) const
    {
        CHECK("limits", isName(hello.agent.name));
        CHECK("limits", hello.agent.host.size() <= MAX_TEXT_LENGTH);
        CHECK("limits", hello.agent.os.size() <= MAX_TEXT_LENGTH);
        CHECK("limits", hello.agent.version.size() <= MAX_TEXT_LENGTH);
        CHECK("limits", hello.agent.capabilities.size() <= MAX_CAPABILITIES);
        for (const QString &capability : hello.agent.capabilities)
            CHECK("limits", capability.size() <= Validation::MAX_NAME_LENGTH);
    }
    void operator()(const Welcome &welcome) const
    {
        CHECK("limits", welcome.agentId >= 1);
        CHECK("limits", welcome.agentName.size() <= Validation::MAX_NAME_LENGTH);
        CHECK("limits", welcome.credential.size() <= MAX_TEXT_LENGTH);
        CHECK("limits", welcome.lastSeq >= 0);
    }
    void operator()(const Assign &assign) const
    {
        CHECK("limits", assign.tests.size() <= MAX_TESTS_PER_ASSIGN);
        for (const TestSpec &spec : assign.tests) {
            CHECK("limits", spec.id >= 1);
            CHECK("limits", isName(spec.name));
            CHECK("limits", spec.type.size() <= Validation::MAX_NAME_LENGTH);
            CHECK("limits", spec.target.size() <= MAX_TEXT_LENGTH * 8);
            CHECK("limits", Validation::checkInterval(spec.intervalMs, nullptr));
            CHECK("limits", Validation::checkDuration(spec.durationMs, nullptr));
            CHECK("limits", spec.remainingMs >= 0);
            CHECK("limits", spec.params.size() <= Validation::MAX_PARAMS);
            for (const QString &value : spec.params)
                CHECK("limits", value.size() <= MAX_TEXT_LENGTH * 8);
            // What the agent does next with an assigned test; only crashes and silent failures count here.
            QString why;
            if (!Validation::checkTestSpec(spec, &why))
                CHECK("error-reason", !why.isEmpty());
            Validation::PingParams params;
            why.clear();
            if (!Validation::parsePingParams(spec, &params, &why))
                CHECK("error-reason", !why.isEmpty());
        }
    }
    void operator()(const Results &results) const
    {
        CHECK("limits", results.seq >= 1);
        CHECK("limits", results.rounds.size() <= MAX_ROUNDS_PER_BATCH);
        for (const Round &round : results.rounds) {
            CHECK("limits", round.testId >= 1);
            CHECK("limits", isTime(round.timeMs));
            CHECK("limits", round.error.size() <= MAX_MESSAGE_TEXT_LENGTH);
            CHECK("limits", round.values.size() <= MAX_VALUES_PER_ROUND);
            for (const MetricValue &value : round.values) {
                CHECK("limits", value.metric.size() <= MAX_SAMPLE_NAME_LENGTH);
                CHECK("limits", std::isfinite(value.value));
            }
        }
    }
    void operator()(const Ack &ack) const { CHECK("limits", ack.seq >= 0); }
    void operator()(const Event &event) const
    {
        CHECK("limits", isTime(event.timeMs));
        CHECK("limits", event.level == u"info" || event.level == u"warning" || event.level == u"error");
        CHECK("limits", event.kind.size() <= Validation::MAX_NAME_LENGTH);
        CHECK("limits", event.message.size() <= MAX_MESSAGE_TEXT_LENGTH);
        CHECK("limits", event.testId >= 0);
    }
    void operator()(const Ping &ping) const { CHECK("limits", isTime(ping.timeMs)); }
    void operator()(const Pong &pong) const
    {
        CHECK("limits", isTime(pong.pingTimeMs));
        CHECK("limits", isTime(pong.agentTimeMs));
    }
    void operator()(const Rekey &rekey) const { CHECK("limits", rekey.credential.size() <= MAX_TEXT_LENGTH); }
    void operator()(const Rekeyed &) const { }
    void operator()(const BulkRequest &request) const
    {
        CHECK("limits", request.lease >= 1 && request.testId >= 1 && request.limitMs >= 1 && request.waitMs >= 0);
    }
    void operator()(const BulkGrant &grant) const
    {
        CHECK("limits", grant.lease >= 1 && (grant.error.isEmpty() == (grant.port != 0)));
        CHECK("limits", grant.error.size() <= MAX_MESSAGE_TEXT_LENGTH);
    }
    void operator()(const BulkRelease &release) const { CHECK("limits", release.lease >= 1); }
    void operator()(const Serve &serve) const { CHECK("limits", serve.lease >= 1 && serve.limitMs >= 1); }
    void operator()(const Serving &serving) const
    {
        CHECK("limits", serving.lease >= 1 && (serving.error.isEmpty() == (serving.port != 0)));
    }
    void operator()(const ServeStop &stop) const { CHECK("limits", stop.lease >= 1); }
};

bool same(const Hello &a, const Hello &b)
{
    return a.agent.name == b.agent.name && a.agent.host == b.agent.host && a.agent.os == b.agent.os
        && a.agent.version == b.agent.version && a.agent.capabilities == b.agent.capabilities;
}

bool same(const Welcome &a, const Welcome &b)
{
    return a.agentId == b.agentId && a.agentName == b.agentName && a.credential == b.credential
        && a.lastSeq == b.lastSeq;
}

bool same(const Assign &a, const Assign &b)
{
    return std::equal(a.tests.cbegin(), a.tests.cend(), b.tests.cbegin(), b.tests.cend(),
        [](const TestSpec &x, const TestSpec &y) { return x == y && x.remainingMs == y.remainingMs; });
}

bool same(const MetricValue &a, const MetricValue &b)
{
    return a.metric == b.metric && a.value == b.value && std::signbit(a.value) == std::signbit(b.value);
}

bool same(const Round &a, const Round &b)
{
    const auto sameValue = [](const MetricValue &x, const MetricValue &y) {
        return same(x, y);
    };
    return a.testId == b.testId && a.timeMs == b.timeMs && a.error == b.error
        && std::equal(a.values.cbegin(), a.values.cend(), b.values.cbegin(), b.values.cend(), sameValue)
        && a.detail == b.detail;
}

bool same(const Results &a, const Results &b)
{
    const auto sameRound = [](const Round &x, const Round &y) {
        return same(x, y);
    };
    return a.seq == b.seq
        && std::equal(a.rounds.cbegin(), a.rounds.cend(), b.rounds.cbegin(), b.rounds.cend(), sameRound);
}

bool same(const Ack &a, const Ack &b)
{
    return a.seq == b.seq;
}

bool same(const Event &a, const Event &b)
{
    return a.timeMs == b.timeMs && a.level == b.level && a.kind == b.kind && a.message == b.message
        && a.testId == b.testId && a.coded == b.coded;
}

bool same(const Ping &a, const Ping &b)
{
    return a.timeMs == b.timeMs;
}

bool same(const Pong &a, const Pong &b)
{
    return a.pingTimeMs == b.pingTimeMs && a.agentTimeMs == b.agentTimeMs;
}

bool same(const Rekey &a, const Rekey &b)
{
    return a.credential == b.credential;
}

bool same(const Rekeyed &, const Rekeyed &)
{
    return true;
}

// The bulk-turn messages compare as a whole.
template <typename Turn>
bool same(const Turn &a, const Turn &b)
{
    return a == b;
}

bool sameMessage(const Message &a, const Message &b)
{
    if (a.type() != b.type())
        return false;
    return std::visit(
        [&b](const auto &first) { return same(first, std::get<std::decay_t<decltype(first)>>(b.payload)); }, a.payload);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    s_skippedOracles = qEnvironmentVariable("STREAMSWARM_FUZZ_SKIP").split(u',', Qt::SkipEmptyParts);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const PrintOnFailure subject(bytes);
    DecodeError error;
    const std::optional<Message> decoded = decode(bytes, &error);
    if (!decoded) {
        CHECK("error-reason", !error.reason.isEmpty());
        // The console logs the reason and sends it back as the close reason.
        CHECK("log-safe", safeToLog(error.reason));
        return 0;
    }
    CHECK("limits", bytes.size() <= MAX_MESSAGE_BYTES);
    std::visit(LimitChecker{}, decoded->payload);
    const bool duplicates = hasDuplicateMetrics(*decoded);
    CHECK("unique-metrics", !duplicates);
    if (duplicates) // only when that oracle is skipped: the round trip cannot keep both values
        return 0;

    const QByteArray encoded = encode(*decoded);
    // Compact encodings (half-precision floats, short keys) may grow past the size limit; nothing to compare then.
    if (encoded.size() <= MAX_MESSAGE_BYTES) {
        s_encoded = &encoded;
        DecodeError again;
        const std::optional<Message> redecoded = decode(encoded, &again);
        if (!redecoded)
            std::fprintf(stderr, "the re-encoded message fails to decode: %s\n", qPrintable(again.reason));
        CHECK("round-trip", redecoded.has_value());
        if (redecoded) {
            CHECK("round-trip", sameMessage(*decoded, *redecoded));
            CHECK("round-trip", encode(*redecoded) == encoded);
        }
    }
    return 0;
}
