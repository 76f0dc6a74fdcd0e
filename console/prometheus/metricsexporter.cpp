// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "metricsexporter.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>

#include "console/prometheus/exposition.h"
#include "console/prometheus/metricsserver.h"
#include "console/server/consoleservice.h"
#include "console/storage/storageservice.h"
#include "shared/metrics/catalog.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

using Type = Exposition::Type;

qint64 staleAfterMs(const TestRecord &test)
{
    return std::max(MetricsExporter::STALE_AFTER_MS, 3 * test.intervalMs);
}

} // namespace

MetricsExporter::Family MetricsExporter::familyFor(const MetricInfo &info)
{
    // Words as promtool reads them: the catalog's '.' becomes '_' in the name anyway.
    QStringList parts = info.name.split(QRegularExpression(u"[._]"_s));
    QString unit = info.unit;
    double multiplier = 1;
    double divisor = 1;
    QString &last = parts.last();
    if (last == u"ms") {
        last = u"seconds"_s;
        unit = last;
        divisor = 1000;
    } else if (last == u"s") {
        const bool rate = parts.size() > 1 && parts[parts.size() - 2] == u"per";
        last = rate ? u"second"_s : u"seconds"_s;
        unit = rate ? unit : last;
    } else if (last == u"count") {
        last = u"number"_s;
    }
    for (QString &part : parts) {
        if (part == u"hours" || part == u"days") {
            multiplier = part == u"hours" ? 3600 : 86400;
            part = u"seconds"_s;
            unit = part;
        }
    }
    const QString base = parts.join(u'_');
    // HELP stays in English whatever the console's language: Prometheus and the dashboards on it read
    // it, and a series must not change its description with a setting.
    return {Exposition::metricName(base), QString::fromUtf8(info.description) + u" ("_s + unit + u')',
        base.endsWith(u"_total") ? Type::Counter : Type::Gauge, multiplier, divisor};
}

MetricsExporter::MetricsExporter(ConsoleService *service, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_server(new MetricsServer([this] { return exposition(); }, this))
{
    connect(m_service, &ConsoleService::roundsStored, this, &MetricsExporter::handleRoundsStored);
    connect(m_service, &ConsoleService::agentsChanged, this, &MetricsExporter::forgetGoneSeries);
    connect(m_service, &ConsoleService::testsChanged, this, &MetricsExporter::forgetGoneSeries);
    m_sizeTimer.setInterval(DATABASE_SIZE_PERIOD_MS);
    connect(&m_sizeTimer, &QTimer::timeout, this, &MetricsExporter::refreshDatabaseSize);
    connect(&m_sizeTimer, &QTimer::timeout, this, &MetricsExporter::forgetGoneSeries);
}

MetricsExporter::~MetricsExporter() = default;

bool MetricsExporter::start(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_server->listen(address, port, error))
        return false;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    refreshDatabaseSize();
    m_sizeTimer.start();
    return true;
}

QString MetricsExporter::url() const
{
    return m_server->url();
}

void MetricsExporter::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    m_roundsStored += rounds.size();
    for (const Protocol::Round &round : rounds)
        m_samplesStored += round.values.size();
    m_latest.record(agentId, rounds, QDateTime::currentMSecsSinceEpoch());
    if (m_latest.refused() > 0 && !std::exchange(m_saidFull, true)) {
        qCWarning(lcServer).noquote()
            << tr("/metrics holds at most %1 series; newer ones are left out of it.").arg(LatestValues::MAX_SERIES);
    }
}

void MetricsExporter::forgetGoneSeries()
{
    QHash<qint64, qint64> staleAfter; // test id -> ms
    for (const TestRecord &test : m_service->tests()) {
        if (!test.deletedAtMs)
            staleAfter.insert(test.id, staleAfterMs(test));
    }
    QSet<qint64> agents;
    for (const AgentRecord &agent : m_service->agents()) {
        if (!agent.revoked)
            agents.insert(agent.id);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_latest.retain([&](const LatestValues::Key &key, const LatestValues::Value &value) {
        return agents.contains(key.agentId) && staleAfter.contains(key.testId)
            && now - value.receivedMs <= staleAfter.value(key.testId);
    });
}

void MetricsExporter::refreshDatabaseSize()
{
    if (std::exchange(m_sizeAsked, true))
        return; // the last question is still waiting behind other storage work
    m_service->storage()->run(
        this,
        [](Repositories &repos) {
            QString error;
            const auto bytes = repos.db.sizeBytes(&error);
            return std::make_pair(bytes, error);
        },
        [this](const std::pair<std::optional<qint64>, QString> &answer) {
            m_sizeAsked = false;
            m_databaseBytes = answer.first;
            if (!answer.first)
                qCWarning(lcStorage).noquote() << answer.second;
        });
}

QByteArray MetricsExporter::exposition() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<qint64, const AgentRecord *> agents;
    int online = 0;
    int enrolled = 0;
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.revoked)
            continue;
        agents.insert(agent.id, &agent);
        ++enrolled;
        online += agent.online ? 1 : 0;
    }
    QHash<qint64, const TestRecord *> tests;
    for (const TestRecord &test : m_service->tests()) {
        if (!test.deletedAtMs)
            tests.insert(test.id, &test);
    }

    Exposition out;
    const auto &series = m_latest.series();
    for (auto it = series.cbegin(); it != series.cend(); ++it) {
        const AgentRecord *agent = agents.value(it.key().agentId);
        const TestRecord *test = tests.value(it.key().testId);
        const MetricInfo *info = MetricCatalog::findSample(it.key().sampleName);
        const auto name = parseSampleName(it.key().sampleName);
        if (!agent || !test || !info || !name || now - it->receivedMs > staleAfterMs(*test))
            continue;
        Exposition::Labels labels{{u"agent"_s, agent->name}, {u"test"_s, test->name}};
        if (!name->label.isEmpty()) {
            QString label = Exposition::labelName(name->label);
            if (label == u"agent" || label == u"test")
                label += u"_instance"_s;
            labels.append({label, name->instance});
        }
        const Family family = familyFor(*info);
        out.add(family.name, family.help, family.type, labels, it->value * family.multiplier / family.divisor);
    }

    out.add(u"streamswarm_build_info"_s, u"The console's version, as a label; the value is always 1."_s, Type::Gauge,
        {{u"version"_s, QStringLiteral(STREAMSWARM_VERSION)}}, 1);
    out.add(u"streamswarm_start_time_seconds"_s, u"When this console started serving metrics, in Unix time."_s,
        Type::Gauge, {}, double(m_startedMs) / 1000);
    out.add(u"streamswarm_agents_online"_s, u"Agents connected to this console now."_s, Type::Gauge, {}, online);
    out.add(u"streamswarm_agents_enrolled"_s, u"Agents enrolled and not revoked."_s, Type::Gauge, {}, enrolled);
    out.add(u"streamswarm_ingest_rounds_total"_s, u"Test rounds stored since this console started."_s, Type::Counter,
        {}, double(m_roundsStored));
    out.add(u"streamswarm_ingest_samples_total"_s, u"Samples (one value of one metric) stored since start."_s,
        Type::Counter, {}, double(m_samplesStored));
    out.add(u"streamswarm_storage_queue_depth"_s, u"Jobs waiting for the storage thread."_s, Type::Gauge, {},
        m_service->storage()->queueDepth());
    if (m_databaseBytes) {
        out.add(u"streamswarm_database_size_bytes"_s,
            u"Disk space the database takes (read at most every 30 seconds)."_s, Type::Gauge, {},
            double(*m_databaseBytes));
    }
    return out.text();
}

} // namespace StreamSwarm::Console
