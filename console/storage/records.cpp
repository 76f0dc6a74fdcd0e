// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "records.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include "shared/protocol/detailcodec.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QString FAILED_KIND = u"failed"_s; // a failed round without a detail
const QString UNNAMED_KIND = u"detail"_s; // a detail that names no kind
const QString ERROR_KEY = u"error"_s;
constexpr int MAX_KIND_LENGTH = 64;

} // namespace

QString DetailRecord::kind() const
{
    if (detail.isEmpty())
        return FAILED_KIND;
    if (const auto *other = detail.get<Protocol::OtherDetail>())
        return other->kind.isEmpty() ? UNNAMED_KIND : other->kind.left(MAX_KIND_LENGTH);
    return Protocol::detailKindName(detail.kind());
}

QJsonObject DetailRecord::body() const
{
    QJsonObject body = Protocol::detailToJson(detail);
    if (!error.isEmpty())
        body.insert(ERROR_KEY, error);
    return body;
}

DetailRecord DetailRecord::fromStored(const QString &kind, const QString &body, QString *problem)
{
    QJsonParseError parsed{};
    QJsonObject object = QJsonDocument::fromJson(body.toUtf8(), &parsed).object();
    if (parsed.error != QJsonParseError::NoError && problem)
        *problem = parsed.errorString();
    DetailRecord record;
    record.error = object.take(ERROR_KEY).toString();
    if (kind != FAILED_KIND)
        record.detail = Protocol::detailFromJson(object, problem);
    return record;
}

TestState TestRecord::stateAt(qint64 nowMs) const
{
    if (stoppedAtMs)
        return TestState::Stopped;
    if (durationMs && nowMs >= endsAtMs())
        return TestState::Finished;
    if (pausedAtMs)
        return TestState::Paused;
    if (nowMs < startsAt())
        return TestState::Scheduled;
    return TestState::Running;
}

QString TestRecord::agentsText() const
{
    if (allAgents)
        return u"all"_s;
    QStringList agents = agentNames;
    for (const QString &tag : agentTags)
        agents.append(u"tag:"_s + tag);
    return agents.join(u',');
}

bool TestRecord::isFor(const AgentRecord &agent) const
{
    if (allAgents || agentIds.contains(agent.id))
        return true;
    for (const QString &tag : agentTags) {
        if (agent.tags.contains(tag))
            return true;
    }
    return false;
}

qint64 TestRecord::endsAtMs() const
{
    return durationMs ? startsAt() + durationMs : 0;
}

Protocol::TestSpec TestRecord::toSpec(qint64 nowMs) const
{
    Protocol::TestSpec spec;
    spec.id = id;
    spec.name = name;
    spec.type = type;
    spec.target = target;
    spec.intervalMs = intervalMs;
    spec.durationMs = durationMs;
    spec.remainingMs = durationMs ? std::max<qint64>(endsAtMs() - nowMs, 0) : 0;
    spec.params = params;
    return spec;
}

TokenState TokenRecord::stateAt(qint64 nowMs) const
{
    if (revoked)
        return TokenState::Revoked;
    if (expiresAtMs && expiresAtMs <= nowMs)
        return TokenState::Expired;
    if (usesLeft <= 0)
        return TokenState::UsedUp;
    return TokenState::Active;
}

QString describeClock(const AgentRecord &agent)
{
    if (!agent.clockOffsetMs)
        return QCoreApplication::translate("StreamSwarm::Console", "unknown");
    const QString offset = (*agent.clockOffsetMs >= 0 ? u"+"_s : QString()) + QString::number(*agent.clockOffsetMs);
    return agent.clockSkewed()
        ? QCoreApplication::translate("StreamSwarm::Console", "%1 ms: wrong, check NTP").arg(offset)
        : QCoreApplication::translate("StreamSwarm::Console", "%1 ms").arg(offset);
}

namespace {

const char *tokenStateText(TokenState state)
{
    switch (state) {
    case TokenState::Active:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "active");
    case TokenState::Expired:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "expired");
    case TokenState::UsedUp:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "used up");
    case TokenState::Revoked:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "revoked");
    }
    return "";
}

const char *testStateText(TestState state)
{
    switch (state) {
    case TestState::Scheduled:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "scheduled");
    case TestState::Running:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "running");
    case TestState::Paused:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "paused");
    case TestState::Finished:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "finished");
    case TestState::Stopped:
        return QT_TRANSLATE_NOOP("StreamSwarm::Console", "stopped");
    }
    return "";
}

} // namespace

QString tokenStateName(TokenState state)
{
    return QCoreApplication::translate("StreamSwarm::Console", tokenStateText(state));
}

QString tokenStateKey(TokenState state)
{
    return QString::fromLatin1(tokenStateText(state));
}

QString testStateName(TestState state)
{
    return QCoreApplication::translate("StreamSwarm::Console", testStateText(state));
}

QString testStateKey(TestState state)
{
    return QString::fromLatin1(testStateText(state));
}

} // namespace StreamSwarm::Console
