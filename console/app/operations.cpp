// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "operations.h"

#include <algorithm>

#include <QDateTime>
#include <QMap>

#include "console/models/hostmetricsmodel.h"
#include "console/models/pathhistory.h"
#include "console/storage/storageservice.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// What an edit changes, as the audit line says it: "interval 1s → 5s; agents a → tag:core".
QString describeChanges(const TestRecord &before, const TestRecord &after)
{
    QStringList changes;
    const auto note = [&changes](const QString &what, const QString &from, const QString &to) {
        if (from != to)
            changes.append(what + u' ' + (from.isEmpty() ? u"-"_s : from) + u" → "_s + (to.isEmpty() ? u"-"_s : to));
    };
    const auto paramsOf = [](const TestRecord &test) {
        QStringList params;
        for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
            params.append(it.key() + u'=' + it.value());
        return params.join(u' ');
    };
    note(u"name"_s, before.name, after.name);
    note(u"target"_s, before.target, after.target);
    note(u"interval"_s, formatDurationMs(before.intervalMs), formatDurationMs(after.intervalMs));
    note(u"duration"_s, before.durationMs ? formatDurationMs(before.durationMs) : u"continuous"_s,
        after.durationMs ? formatDurationMs(after.durationMs) : u"continuous"_s);
    note(u"start"_s, before.startsAtMs ? formatIsoUtcMs(before.startsAtMs) : QString(),
        after.startsAtMs ? formatIsoUtcMs(after.startsAtMs) : QString());
    note(u"agents"_s, before.agentsText(), after.agentsText());
    note(u"params"_s, paramsOf(before), paramsOf(after));
    return changes.join(u"; "_s);
}

template <typename T>
Result<T> failure(const QString &error)
{
    return Result<T>::failure(error);
}

} // namespace

Operations::Operations(Repositories &repositories, Actor actor)
    : m_repos(repositories)
    , m_actor(std::move(actor))
{ }

Protocol::EventText Operations::auditText(const Protocol::EventText &what, const Actor &actor)
{
    return Protocol::EventText(
        actor.origin == Actor::Origin::CommandLine ? u"by-command-line"_s : u"by-console-window"_s,
        {what.toJson(), actor.user});
}

bool Operations::beginWrite(QString *error)
{
    return m_repos.db.beginWrite(error);
}

bool Operations::commitWrite(QString *error)
{
    // Other consoles on the same PostgreSQL show the change at once (SQLite's readers see its version).
    if (!m_repos.db.announceChange(error) || !m_repos.db.commit(error)) {
        m_repos.db.rollback();
        return false;
    }
    return true;
}

void Operations::rollbackWrite()
{
    m_repos.db.rollback();
}

bool Operations::audit(
    const QString &kind, const Protocol::EventText &what, qint64 agentId, qint64 testId, QString *error)
{
    return m_repos.events.audit(kind, auditText(what, m_actor), agentId, testId, error);
}

bool Operations::checkTokenRequest(const TokenRequest &request, QString *error)
{
    if (!Validation::checkName(tr("token name"), request.name, error))
        return false;
    if (!request.replaceAgent.isEmpty() && request.uses != 1) {
        *error = tr("A token that moves an agent to a new host lets exactly one agent enroll.");
        return false;
    }
    if (request.uses < 1 || request.uses > MAX_TOKEN_USES) {
        *error = tr("A token lets 1 to %1 agents enroll.").arg(MAX_TOKEN_USES);
        return false;
    }
    if (request.validForMs <= 0) {
        *error = tr("A token must stay valid for longer than zero; one that has already expired lets no agent join.");
        return false;
    }
    if (request.validForMs > MAX_TOKEN_VALIDITY_MS) {
        *error = tr("A token may stay valid for at most %1 (about 27 years).")
                     .arg(formatDurationMs(MAX_TOKEN_VALIDITY_MS));
        return false;
    }
    return true;
}

bool Operations::checkTest(const TestRecord &test, QString *error)
{
    if (!Validation::checkName(tr("test name"), test.name, error))
        return false;
    if (test.target.trimmed().isEmpty()) {
        *error = tr("Give a target: the host name or address to test.");
        return false;
    }
    if (!test.allAgents && test.agentNames.isEmpty() && test.agentTags.isEmpty()) {
        *error = tr("Choose the agents that should run the test: by name, by tag, or all agents.");
        return false;
    }
    for (const QString &agent : test.agentNames) {
        if (!Validation::checkName(tr("agent name"), agent, error))
            return false;
    }
    for (const QString &tag : test.agentTags) {
        if (!Validation::checkName(tr("tag"), tag, error))
            return false;
    }
    // The very checks the agent makes, with the same messages.
    return Validation::checkTestSpec(test.toSpec(test.createdAtMs ? test.createdAtMs : nowMs()), error);
}

Result<IssuedToken> Operations::createToken(const TokenRequest &request)
{
    if (QString invalid; !checkTokenRequest(request, &invalid))
        return failure<IssuedToken>(invalid);
    return write<IssuedToken>([&]() -> Result<IssuedToken> {
        QString error;
        IssuedToken issued{request.name, {}, request.uses, nowMs() + request.validForMs, request.replaceAgent};
        const QString until = formatIsoUtcMs(issued.expiresAtMs);
        if (request.replaceAgent.isEmpty()) {
            const auto text = m_repos.tokens.create(request.name, request.uses, issued.expiresAtMs, &error);
            if (!text
                || !audit(u"token-created"_s,
                    Protocol::EventText(u"token-created"_s, {request.name, request.uses, until}), 0, 0, &error)) {
                return failure<IssuedToken>(error);
            }
            issued.text = *text;
            return issued;
        }
        const auto agent = m_repos.agents.findActive(request.replaceAgent, &error);
        if (!agent)
            return failure<IssuedToken>(error);
        const auto text = m_repos.tokens.createReplacement(request.name, agent->id, issued.expiresAtMs, &error);
        if (!text
            || !audit(u"token-created"_s,
                Protocol::EventText(u"token-created-to-move"_s, {request.name, request.replaceAgent, until}), agent->id,
                0, &error)) {
            return failure<IssuedToken>(error);
        }
        issued.text = *text;
        return issued;
    });
}

Result<Done> Operations::revokeToken(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        if (!m_repos.tokens.revoke(name, &error)
            || !audit(u"token-revoked"_s, Protocol::EventText(u"token-revoked"_s, {name}), 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<Done> Operations::addSchedule(const ReportSchedule &schedule)
{
    QString error;
    if (!schedule.check(&error))
        return failure<Done>(error);
    return write<Done>([&]() -> Result<Done> {
        QString why;
        ReportSchedule added = schedule;
        added.createdAtMs = QDateTime::currentMSecsSinceEpoch();
        added.reportedUntilMs = ReportSchedule::periodStart(added.every, added.createdAtMs);
        const Protocol::EventText text(
            u"report-scheduled"_s, {added.name, ReportSchedule::everyKey(added.every), added.folder});
        if (!m_repos.schedules.add(added, &why) || !audit(u"report-scheduled"_s, text, 0, 0, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<RetentionPolicy> Operations::retentionPolicy()
{
    QString error;
    const auto policy = m_repos.retention.policy(&error);
    return policy ? Result<RetentionPolicy>(*policy) : failure<RetentionPolicy>(error);
}

Result<Done> Operations::setRetentionPolicy(const RetentionPolicy &policy)
{
    QString error;
    if (!policy.check(&error))
        return failure<Done>(error);
    return write<Done>([&]() -> Result<Done> {
        QString why;
        const auto spoken = [](qint64 keepMs) {
            return keepMs ? formatDurationMs(keepMs) : u"0"_s;
        };
        const Protocol::EventText text(
            u"retention-changed"_s, {spoken(policy.rawMs), spoken(policy.minuteMs), spoken(policy.hourMs)});
        if (!m_repos.retention.setPolicy(policy, &why) || !audit(u"retention-changed"_s, text, 0, 0, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<QList<ReportSchedule>> Operations::schedules()
{
    QString error;
    auto list = m_repos.schedules.list(&error);
    return list ? Result<QList<ReportSchedule>>(std::move(*list)) : failure<QList<ReportSchedule>>(error);
}

Result<Done> Operations::removeSchedule(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        if (!m_repos.schedules.remove(name, &error)
            || !audit(u"report-unscheduled"_s, Protocol::EventText(u"report-unscheduled"_s, {name}), 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<Done> Operations::scheduleRan(
    const ReportSchedule &schedule, qint64 untilMs, const QString &file, const QString &error)
{
    return write<Done>([&]() -> Result<Done> {
        QString why;
        const bool made = error.isEmpty();
        if (untilMs > 0 && !m_repos.schedules.markReported(schedule.id, untilMs, &why))
            return failure<Done>(why);
        const Protocol::EventText text = made ? Protocol::EventText(u"report-made"_s, {schedule.name, file})
                                              : Protocol::EventText(u"report-failed"_s, {schedule.name, error});
        if (!m_repos.events.add(QDateTime::currentMSecsSinceEpoch(), made ? u"info"_s : u"warning"_s,
                made ? u"report-made"_s : u"report-failed"_s, 0, 0, text, &why))
            return failure<Done>(why);
        return Done{};
    });
}

Result<Done> Operations::recordEvidence(const QString &what, qint64 fromMs, qint64 toMs, const QString &sha256)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        const Protocol::EventText text(
            u"report-evidence"_s, {what, formatIsoUtcMs(fromMs), formatIsoUtcMs(toMs), sha256});
        if (!audit(u"report-evidence"_s, text, 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<QList<TokenRecord>> Operations::tokens()
{
    QString error;
    auto tokens = m_repos.tokens.list(&error);
    return tokens ? Result<QList<TokenRecord>>(std::move(*tokens)) : failure<QList<TokenRecord>>(error);
}

Result<Done> Operations::revokeAgent(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        qint64 agentId = 0;
        if (!m_repos.agents.revoke(name, &agentId, &error)
            || !audit(u"agent-revoked"_s, Protocol::EventText(u"agent-revoked"_s, {name}), agentId, 0, &error)) {
            return failure<Done>(error);
        }
        return Done{};
    });
}

Result<Done> Operations::requestRekey(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        qint64 agentId = 0;
        if (!m_repos.agents.requestRekey(name, &agentId, &error)
            || !audit(u"agent-rekey-requested"_s, Protocol::EventText(u"agent-rekey-requested"_s, {name}), agentId, 0,
                &error)) {
            return failure<Done>(error);
        }
        return Done{};
    });
}

Result<Done> Operations::renameAgent(const QString &name, const QString &newName)
{
    if (QString invalid; !Validation::checkName(tr("agent name"), newName, &invalid))
        return failure<Done>(invalid);
    return write<Done>([&]() -> Result<Done> {
        QString error;
        const auto agent = m_repos.agents.findByName(name, &error);
        if (!m_repos.agents.rename(name, newName, &error)
            || !audit(u"agent-renamed"_s, Protocol::EventText(u"agent-renamed"_s, {name, newName}),
                agent ? agent->id : 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<QStringList> Operations::changeAgentTags(const QString &name, const QStringList &add, const QStringList &remove)
{
    for (const QString &tag : add + remove) {
        if (QString invalid; !Validation::checkName(tr("tag"), tag, &invalid))
            return failure<QStringList>(invalid);
    }
    return write<QStringList>([&]() -> Result<QStringList> {
        QString error;
        if (!m_repos.agents.changeTags(name, add, remove, &error))
            return failure<QStringList>(error);
        const auto agent = m_repos.agents.findByName(name, &error);
        if (!agent)
            return failure<QStringList>(error);
        const QString tags = agent->tags.isEmpty() ? u"-"_s : agent->tags.join(u", ");
        if (!audit(u"agent-tags-changed"_s, Protocol::EventText(u"agent-tags-changed"_s, {name, tags}), agent->id, 0,
                &error))
            return failure<QStringList>(error);
        return agent->tags;
    });
}

Result<QList<AgentRecord>> Operations::agents()
{
    QString error;
    auto agents = m_repos.agents.list(&error);
    return agents ? Result<QList<AgentRecord>>(std::move(*agents)) : failure<QList<AgentRecord>>(error);
}

Result<std::optional<AgentRecord>> Operations::findAgent(const QString &name)
{
    QString error;
    auto agent = m_repos.agents.findByName(name, &error);
    if (!agent && !error.isEmpty())
        return failure<std::optional<AgentRecord>>(error);
    return agent;
}

Result<qint64> Operations::addTest(const TestRecord &test)
{
    if (QString invalid; !checkTest(test, &invalid))
        return failure<qint64>(invalid);
    return write<qint64>([&]() -> Result<qint64> {
        QString error;
        TestRecord added = test;
        if (!added.createdAtMs)
            added.createdAtMs = nowMs();
        if (const auto room = checkRoom(added, 0); !room)
            return failure<qint64>(room.error());
        const auto testId = m_repos.tests.add(added, &error);
        if (!testId || !audit(u"test-added"_s, Protocol::EventText(u"test-added"_s, {test.name}), 0, *testId, &error))
            return failure<qint64>(error);
        return *testId;
    });
}

Result<Done> Operations::checkRoom(const TestRecord &test, qint64 exceptTestId)
{
    if (const QString full = agentWithoutRoom(test, exceptTestId); !full.isEmpty()) {
        return failure<Done>(tr("Agent \"%1\" already runs %2 tests, the most one agent can run. Stop a test "
                                "it runs, or give this test to another agent.")
                                 .arg(full)
                                 .arg(Protocol::MAX_TESTS_PER_ASSIGN));
    }
    return Done{};
}

QString Operations::agentWithoutRoom(const TestRecord &test, qint64 exceptTestId)
{
    // What an agent runs goes to it in one assignment, which holds at most MAX_TESTS_PER_ASSIGN.
    QString error;
    const auto tests = m_repos.tests.list(&error);
    const auto agents = m_repos.agents.list(&error);
    if (!tests || !agents)
        return {}; // the add itself will say what is wrong with the database
    const qint64 now = nowMs();
    for (const AgentRecord &agent : *agents) {
        if (agent.revoked || !(test.isFor(agent) || test.agentNames.contains(agent.name)))
            continue;
        const auto running = std::count_if(tests->cbegin(), tests->cend(), [&](const TestRecord &other) {
            return other.id != exceptTestId && other.stateAt(now) == TestState::Running && other.isFor(agent);
        });
        if (running >= Protocol::MAX_TESTS_PER_ASSIGN)
            return agent.name;
    }
    return {};
}

Result<Done> Operations::stopTest(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        if (!m_repos.tests.stop(name, nowMs(), &error)
            || !audit(u"test-stopped"_s, Protocol::EventText(u"test-stopped"_s, {name}), 0, 0, &error)) {
            return failure<Done>(error);
        }
        return Done{};
    });
}

Result<Done> Operations::editTest(const QString &name, const TestRecord &changed)
{
    const auto found = findTest(name);
    if (!found)
        return failure<Done>(found.error());
    if (!*found)
        return failure<Done>(tr("There is no test named \"%1\"; see 'test list'.").arg(name));
    const TestRecord &before = **found;
    TestRecord after = changed;
    after.id = before.id;
    after.createdAtMs = before.createdAtMs;
    after.pausedAtMs = before.pausedAtMs;
    after.stoppedAtMs = before.stoppedAtMs;
    after.agentIds.clear(); // the names and tags say where it goes; the store resolves them
    if (after.type != before.type) {
        return failure<Done>(tr("A test keeps its type (\"%1\" is a %2 test). To measure with another type, add a "
                                "new test, or duplicate this one in the window.")
                                 .arg(name, before.type));
    }
    if (QString invalid; !checkTest(after, &invalid))
        return failure<Done>(invalid);
    const QString changes = describeChanges(before, after);
    if (changes.isEmpty())
        return Done{};
    return write<Done>([&]() -> Result<Done> {
        if (const auto room = checkRoom(after, after.id); !room)
            return room;
        QString error;
        if (!m_repos.tests.update(after.id, after, &error)
            || !audit(u"test-changed"_s, Protocol::EventText(u"test-changed"_s, {name, changes}), 0, after.id, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<Done> Operations::pauseTest(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        if (!m_repos.tests.setPaused(name, true, nowMs(), &error)
            || !audit(u"test-paused"_s, Protocol::EventText(u"test-paused"_s, {name}), 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<Done> Operations::resumeTest(const QString &name)
{
    return write<Done>([&]() -> Result<Done> {
        QString error;
        if (!m_repos.tests.setPaused(name, false, nowMs(), &error)
            || !audit(u"test-unpaused"_s, Protocol::EventText(u"test-unpaused"_s, {name}), 0, 0, &error))
            return failure<Done>(error);
        return Done{};
    });
}

Result<QString> Operations::deleteTest(const QString &name, bool keepData)
{
    return write<QString>([&]() -> Result<QString> {
        QString error;
        // Its alerts go with it: nothing will measure what they watch.
        const auto test = findTest(name);
        if (test && *test && !m_repos.alerts.removeRulesOfTest((*test)->id, &error))
            return failure<QString>(error);
        const auto kept = m_repos.tests.remove(name, keepData, nowMs(), &error);
        const bool audited = kept
            && (keepData ? audit(
                    u"test-deleted-kept"_s, Protocol::EventText(u"test-deleted-kept"_s, {name, *kept}), 0, 0, &error)
                         : audit(u"test-deleted"_s, Protocol::EventText(u"test-deleted"_s, {name}), 0, 0, &error));
        if (!audited)
            return failure<QString>(error);
        return *kept;
    });
}

Result<std::optional<TestRecord>> Operations::findTest(const QString &name)
{
    const auto all = tests();
    if (!all)
        return failure<std::optional<TestRecord>>(all.error());
    for (const TestRecord &test : *all) {
        if (test.name == name)
            return std::optional<TestRecord>(test);
    }
    return std::optional<TestRecord>();
}

Result<QList<TestRecord>> Operations::tests(bool withDeleted)
{
    QString error;
    auto tests = m_repos.tests.list(&error, withDeleted);
    return tests ? Result<QList<TestRecord>>(std::move(*tests)) : failure<QList<TestRecord>>(error);
}

Result<QList<EventRecord>> Operations::recentEvents(int limit)
{
    QString error;
    auto events = m_repos.events.recent(limit, &error);
    return events ? Result<QList<EventRecord>>(std::move(*events)) : failure<QList<EventRecord>>(error);
}

Result<QList<EventRecord>> Operations::events(qint64 fromMs, qint64 toMs, int limit)
{
    QString error;
    auto events = m_repos.events.between(fromMs, toMs, limit, &error);
    return events ? Result<QList<EventRecord>>(std::move(*events)) : failure<QList<EventRecord>>(error);
}

} // namespace StreamSwarm::Console
