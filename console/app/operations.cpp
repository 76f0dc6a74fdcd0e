// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "operations.h"

#include <algorithm>

#include <QDateTime>

#include "console/models/hostmetricsmodel.h"
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

template <typename T, typename Change>
Result<T> Operations::write(Change change)
{
    QString error;
    if (!m_repos.db.beginWrite(&error))
        return failure<T>(error);
    Result<T> result = change();
    if (!result) {
        m_repos.db.rollback();
        return result;
    }
    if (!m_repos.db.commit(&error)) {
        m_repos.db.rollback();
        return failure<T>(error);
    }
    return result;
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
    if (!test.allAgents && test.agentNames.isEmpty()) {
        *error = tr("Choose the agents that should run the test, or all agents.");
        return false;
    }
    for (const QString &agent : test.agentNames) {
        if (!Validation::checkName(tr("agent name"), agent, error))
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
        if (const QString full = agentWithoutRoom(added); !full.isEmpty()) {
            return failure<qint64>(tr("Agent \"%1\" already runs %2 tests, the most one agent can run. Stop a test "
                                      "it runs, or give this test to another agent.")
                                       .arg(full)
                                       .arg(Protocol::MAX_TESTS_PER_ASSIGN));
        }
        const auto testId = m_repos.tests.add(added, &error);
        if (!testId || !audit(u"test-added"_s, Protocol::EventText(u"test-added"_s, {test.name}), 0, *testId, &error))
            return failure<qint64>(error);
        return *testId;
    });
}

QString Operations::agentWithoutRoom(const TestRecord &test)
{
    // What an agent runs goes to it in one assignment, which holds at most MAX_TESTS_PER_ASSIGN.
    QString error;
    const auto tests = m_repos.tests.list(&error);
    const auto agents = m_repos.agents.list(&error);
    if (!tests || !agents)
        return {}; // the add itself will say what is wrong with the database
    const qint64 now = test.createdAtMs;
    for (const AgentRecord &agent : *agents) {
        if (agent.revoked || (!test.allAgents && !test.agentNames.contains(agent.name)))
            continue;
        const auto running = std::count_if(tests->cbegin(), tests->cend(), [&](const TestRecord &other) {
            return other.stateAt(now) == TestState::Running && (other.allAgents || other.agentIds.contains(agent.id));
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

Result<QList<TestRecord>> Operations::tests()
{
    QString error;
    auto tests = m_repos.tests.list(&error);
    return tests ? Result<QList<TestRecord>>(std::move(*tests)) : failure<QList<TestRecord>>(error);
}

Result<QList<EventRecord>> Operations::recentEvents(int limit)
{
    QString error;
    auto events = m_repos.events.recent(limit, &error);
    return events ? Result<QList<EventRecord>>(std::move(*events)) : failure<QList<EventRecord>>(error);
}

Result<ChartHistory> Operations::chartHistory(const ChartHistoryRequest &request)
{
    QString error;
    ChartHistory history;
    for (const QString &metric : request.metrics) {
        if (metric.isEmpty()) {
            history.series.append(Series());
            continue;
        }
        // A metric measured per instance is stored under its instances' names: the chart follows one.
        QString stored = metric;
        const MetricInfo *info = MetricCatalog::find(metric);
        if (info && !info->instanceLabel.isEmpty()) {
            if (history.instance.isEmpty()) {
                const auto names
                    = m_repos.samples.instanceNames(request.agentId, request.testId, metric, request.fromMs, &error);
                if (!names)
                    return failure<ChartHistory>(error);
                if (!names->isEmpty())
                    history.instance = parseSampleName(names->first())->instance;
            }
            stored = history.instance.isEmpty() ? QString() : sampleName(metric, info->instanceLabel, history.instance);
        }
        if (stored.isEmpty()) {
            history.series.append(Series());
            continue;
        }
        auto series = m_repos.samples.series(request.agentId, request.testId, stored, request.fromMs, &error);
        if (!series)
            return failure<ChartHistory>(error);
        history.series.append(std::move(*series));
    }
    if (request.latestDetail) {
        const auto detail = m_repos.samples.latestDetail(request.agentId, request.testId, &error);
        if (!detail)
            return failure<ChartHistory>(error);
        history.latestDetail = *detail;
    }
    if (!request.loadsOf.isEmpty()) {
        auto loads = bulkWindows(request.fromMs);
        if (!loads)
            return failure<ChartHistory>(loads.error());
        history.loads = std::move(*loads);
    }
    return history;
}

Result<QList<SeriesSummary>> Operations::summarize(const SampleFilter &filter)
{
    QString error;
    auto summary = m_repos.samples.summarize(filter, &error);
    return summary ? Result<QList<SeriesSummary>>(std::move(*summary)) : failure<QList<SeriesSummary>>(error);
}

Result<QList<SampleRow>> Operations::hostHistory(const QString &agentName, qint64 fromMs)
{
    QString error;
    QList<SampleRow> rows;
    QHash<QString, bool> isHost; // per sample name: asked of the catalog once
    SampleFilter filter;
    filter.agentName = agentName;
    filter.fromMs = fromMs;
    const bool read = m_repos.samples.forEachSample(
        filter,
        [&](const SampleRow &row) {
            auto it = isHost.constFind(row.metric);
            if (it == isHost.constEnd())
                it = isHost.insert(row.metric, HostMetricsModel::isHostMetric(row.metric));
            if (*it)
                rows.append(row);
            return true;
        },
        &error);
    if (!read)
        return failure<QList<SampleRow>>(error);
    std::stable_sort(
        rows.begin(), rows.end(), [](const SampleRow &a, const SampleRow &b) { return a.timeMs < b.timeMs; });
    if (rows.size() > MAX_HOST_HISTORY_ROWS)
        rows.remove(0, rows.size() - MAX_HOST_HISTORY_ROWS);
    return rows;
}

Result<Done> Operations::forEachSample(const SampleFilter &filter, const std::function<bool(const SampleRow &)> &row)
{
    QString error;
    return m_repos.samples.forEachSample(filter, row, &error) ? Result<Done>(Done{}) : failure<Done>(error);
}

Result<Done> Operations::forEachDetail(const SampleFilter &filter, const std::function<bool(const DetailRow &)> &row)
{
    QString error;
    return m_repos.samples.forEachDetail(filter, row, &error) ? Result<Done>(Done{}) : failure<Done>(error);
}

Result<BulkWindows> Operations::bulkWindows(qint64 fromMs, qint64 toMs)
{
    SampleFilter bandwidth;
    bandwidth.fromMs = std::max<qint64>(fromMs - BulkWindows::LOOKBACK_MS, 0);
    bandwidth.toMs = toMs;
    bandwidth.detailKind = Protocol::detailKindName(Protocol::DetailKind::Bandwidth);
    BulkWindows windows;
    QString error;
    const bool read = m_repos.samples.forEachDetail(
        bandwidth,
        [&windows](const DetailRow &row) {
            windows.add(row);
            return true;
        },
        &error);
    return read ? Result<BulkWindows>(std::move(windows)) : failure<BulkWindows>(error);
}

} // namespace StreamSwarm::Console
