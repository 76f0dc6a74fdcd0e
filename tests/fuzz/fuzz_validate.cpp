// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors

// libFuzzer target for the validators and parsers that see user and network text: checkName,
// checkHostTarget, parseDurationMs, parseTimePoint, Secret::parse, checkTestSpec and parsePingParams.
// FuzzedDataProvider splits the input: texts from the front, choices and numbers from the back.
// Oracles: each accepted value keeps its documented rule, and every refusal says why.
// STREAMSWARM_FUZZ_SKIP=oracle,... skips oracles with a known, reported bug during long runs.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>
#include <QTimeZone>

#include <fuzzer/FuzzedDataProvider.h>

#include "shared/auth/secret.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Validation;

namespace {

constexpr size_t MAX_TEXT_BYTES = 600;
constexpr qint64 MAX_TIME_MS = 32503680000000; // year 3000, as in codec.cpp
constexpr std::array<const char16_t *, 4> PING_PARAMS{u"count", u"spacing", u"timeout", u"size"};

QStringList s_skippedOracles;
const QString *s_subject = nullptr; // printed when an oracle fails
const Protocol::TestSpec *s_spec = nullptr;

bool skipped(const char *oracle)
{
    return s_skippedOracles.contains(QLatin1String(oracle));
}

QByteArray hex(const QString &text)
{
    return QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2).toHex();
}

void check(bool ok, const char *oracle, const char *condition, int line)
{
    if (ok || skipped(oracle))
        return;
    std::fprintf(stderr, "fuzz_validate.cpp:%d: oracle '%s' failed: %s\n", line, oracle, condition);
    if (s_subject)
        std::fprintf(stderr, "  text (UTF-16 hex): %s\n", hex(*s_subject).constData());
    if (s_spec) {
        std::fprintf(stderr, "  spec: id %lld, name %s, type %s, interval %lld ms, duration %lld ms\n",
            qlonglong(s_spec->id), hex(s_spec->name).constData(), hex(s_spec->type).constData(),
            qlonglong(s_spec->intervalMs), qlonglong(s_spec->durationMs));
        for (auto it = s_spec->params.cbegin(); it != s_spec->params.cend(); ++it)
            std::fprintf(stderr, "  param (UTF-16 hex) %s = %s\n", hex(it.key()).constData(), hex(*it).constData());
    }
    std::abort();
}

#define CHECK(oracle, condition) check((condition), oracle, #condition, __LINE__)

// A text as UTF-8 (invalid sequences become U+FFFD), Latin-1, or raw UTF-16 code units (lone surrogates too).
QString text(FuzzedDataProvider &input)
{
    const int encoding = input.ConsumeIntegralInRange<int>(0, 2);
    const std::string bytes = input.ConsumeRandomLengthString(MAX_TEXT_BYTES);
    const auto size = qsizetype(bytes.size());
    if (encoding == 0)
        return QString::fromUtf8(bytes.data(), size);
    if (encoding == 1)
        return QString::fromLatin1(bytes.data(), size);
    QString units(size / 2, Qt::Uninitialized);
    std::memcpy(units.data(), bytes.data(), size_t(units.size()) * 2);
    return units;
}

qint64 milliseconds(FuzzedDataProvider &input)
{
    switch (input.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
        return input.ConsumeIntegralInRange<qint64>(0, MAX_DURATION_MS);
    case 1:
        return input.ConsumeIntegralInRange<qint64>(0, 100000);
    case 2:
        return input.ConsumeIntegral<qint64>();
    default:
        return parseDurationMs(text(input)).value_or(0);
    }
}

Protocol::TestSpec testSpec(FuzzedDataProvider &input)
{
    Protocol::TestSpec spec;
    spec.id = input.ConsumeIntegral<qint64>();
    spec.name = text(input);
    const int type = input.ConsumeIntegralInRange<int>(0, 16);
    const QStringList known = knownTestTypes();
    spec.type = type < 8 ? u"ping"_s : type < 16 ? known.value(type - 7) : text(input);
    spec.target = text(input);
    spec.intervalMs = milliseconds(input);
    spec.durationMs = milliseconds(input);
    spec.remainingMs = input.ConsumeIntegral<qint64>();
    const int params = input.ConsumeIntegralInRange<int>(0, MAX_PARAMS + 4);
    for (int i = 0; i < params; ++i) {
        const auto choice = input.ConsumeIntegralInRange<size_t>(0, PING_PARAMS.size());
        const QString key = choice < PING_PARAMS.size() ? QString::fromUtf16(PING_PARAMS[choice]) : text(input);
        spec.params.insert(key, text(input));
    }
    return spec;
}

bool hasSpaceOrControl(const QString &text)
{
    return std::any_of(
        text.cbegin(), text.cend(), [](QChar c) { return c.isSpace() || c.category() == QChar::Other_Control; });
}

void checkNameRule(const QString &name)
{
    static const QRegularExpression rule(QRegularExpression::anchoredPattern(u"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"_s));
    QString error;
    const bool accepted = checkName(u"agent name"_s, name, &error);
    CHECK("name", accepted == rule.match(name).hasMatch());
    CHECK("error-reason", accepted || !error.isEmpty());
}

void checkTargetRule(const QString &target)
{
    QString error;
    const bool accepted = checkHostTarget(target, &error);
    if (accepted) {
        CHECK("host", target.size() <= MAX_TARGET_LENGTH + 1);
        CHECK("host", !hasSpaceOrControl(target));
    }
    CHECK("error-reason", accepted || !error.isEmpty());
}

void checkDurationRule(const QString &text)
{
    QString error;
    const std::optional<qint64> ms = parseDurationMs(text, &error);
    CHECK("error-reason", ms || !error.isEmpty());
    if (ms) {
        CHECK("duration", *ms >= 0);
        CHECK("duration", parseDurationMs(formatDurationMs(*ms)) == ms);
    }
}

void checkTimePointRule(const QString &text, qint64 nowMs)
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc());
    QString error;
    const std::optional<QDateTime> time = parseTimePoint(text, now, &error);
    CHECK("error-reason", time || !error.isEmpty());
    if (time)
        CHECK("time", time->isValid());
}

void checkSecretRule(const QString &text)
{
    const std::optional<Auth::ParsedSecret> secret = Auth::Secret::parse(text);
    if (!secret)
        return;
    const QString prefix = secret->kind == Auth::SecretKind::EnrollmentToken ? u"sse"_s : u"ssa"_s;
    const QString secretText = QString::fromLatin1(secret->secret);
    CHECK("secret", text.trimmed() == prefix + u'_' + secret->lookupId + u'_' + secretText);
    CHECK("secret", secret->lookupId.size() == 16);
    CHECK("secret", std::all_of(secret->lookupId.cbegin(), secret->lookupId.cend(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    }));
    CHECK("secret", secret->secret.size() >= 40 && secret->secret.size() <= 64);
    const QByteArray salt = QByteArrayLiteral("0123456789abcdef");
    CHECK("secret", Auth::Secret::verify(*secret, salt, Auth::Secret::hash(salt, secret->secret)));
}

// What parsePingParams accepts must fit the ranges it documents and the interval.
void checkPingParams(const Protocol::TestSpec &spec, const PingParams &params)
{
    CHECK("ping", params.count >= 1 && params.count <= 100);
    CHECK("ping", params.payloadSize >= 0 && params.payloadSize <= 65507 - 8);
    CHECK("ping", params.spacingMs >= 10 && params.spacingMs <= 60000);
    CHECK("ping", params.timeoutMs >= 10 && params.timeoutMs <= 60000);
    CHECK("ping", (params.count - 1) * params.spacingMs + params.timeoutMs <= spec.intervalMs);
}

void checkTestSpecRule(const Protocol::TestSpec &spec)
{
    QString error;
    if (checkTestSpec(spec, &error)) {
        CHECK("spec", checkName(u"test name"_s, spec.name, nullptr));
        CHECK("spec", runnableTestTypes().contains(spec.type));
        CHECK("spec", checkInterval(spec.intervalMs, nullptr));
        CHECK("spec", checkDuration(spec.durationMs, nullptr));
        CHECK("spec", spec.params.size() <= MAX_PARAMS);
        if (spec.type == u"ping") {
            CHECK("spec", checkHostTarget(spec.target, nullptr));
            CHECK("host", spec.target.size() <= MAX_TARGET_LENGTH + 1 && !hasSpaceOrControl(spec.target));
            PingParams params;
            CHECK("spec", parsePingParams(spec, &params, nullptr));
            checkPingParams(spec, params);
        }
    } else {
        CHECK("error-reason", !error.isEmpty());
    }

    // Also without the interval check in front, as the ping probe's tests call it. The oracle
    // 'ping-any-interval' is no check of its own: skipping it keeps intervals to checkInterval()'s range.
    if (!checkInterval(spec.intervalMs, nullptr) && skipped("ping-any-interval"))
        return;
    PingParams params;
    error.clear();
    if (parsePingParams(spec, &params, &error))
        checkPingParams(spec, params);
    else
        CHECK("error-reason", !error.isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    s_skippedOracles = qEnvironmentVariable("STREAMSWARM_FUZZ_SKIP").split(u',', Qt::SkipEmptyParts);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider input(data, size);
    // One statement per field: the order of consumption is the input format (makecorpus.cpp writes it).
    const QString name = text(input);
    const QString target = text(input);
    const QString duration = text(input);
    const QString timePoint = text(input);
    const qint64 nowMs = input.ConsumeIntegralInRange<qint64>(0, MAX_TIME_MS);
    const QString secret = text(input);
    const Protocol::TestSpec spec = testSpec(input);

    s_subject = &name;
    checkNameRule(name);
    s_subject = &target;
    checkTargetRule(target);
    s_subject = &duration;
    checkDurationRule(duration);
    s_subject = &timePoint;
    checkTimePointRule(timePoint, nowMs);
    s_subject = &secret;
    checkSecretRule(secret);
    s_subject = &spec.target;
    s_spec = &spec;
    checkTestSpecRule(spec);
    s_subject = nullptr;
    s_spec = nullptr;
    return 0;
}
