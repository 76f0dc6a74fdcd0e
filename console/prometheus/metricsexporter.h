// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include "console/prometheus/exposition.h"
#include "console/prometheus/latestvalues.h"

namespace StreamSwarm {
struct MetricInfo;
}

namespace StreamSwarm::Console {

class ConsoleService;
class MetricsServer;

// Prometheus's view of a running console (--metrics-listen): the newest value of every series
// stored since start, named by agent and test, and the console's own health (agents, ingest,
// storage queue, database size), served on /metrics by a MetricsServer. Lives on the main thread
// beside its ConsoleService; a scrape reads memory only, the database size is read in the
// background at most every DATABASE_SIZE_PERIOD_MS.
class MetricsExporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsExporter)
public:
    static constexpr int DATABASE_SIZE_PERIOD_MS = 30000;
    // A series not refreshed for this long, or three of its test's intervals if longer, is left out
    // (a stopped test's last value would otherwise look current forever).
    static constexpr qint64 STALE_AFTER_MS = 5 * 60 * 1000;

    // How a catalog metric is named in Prometheus, which wants base units, no abbreviations and no
    // histogram suffixes (promtool refuses them): "ping.rtt_avg_ms" -> streamswarm_ping_rtt_avg_seconds
    // (the value divided by 1000), "_s" -> "_seconds", "_per_s" -> "_per_second", "hours" and "days"
    // -> "seconds", a final "_count" -> "_number"; a name ending "_total" is a counter.
    struct Family
    {
        QString name;
        QString help;
        Exposition::Type type = Exposition::Type::Gauge;
        double multiplier = 1; // value * multiplier / divisor: exact for ms to s
        double divisor = 1;
    };
    static Family familyFor(const MetricInfo &info);

    explicit MetricsExporter(ConsoleService *service, QObject *parent = nullptr);
    ~MetricsExporter() override;

    bool start(const QHostAddress &address, quint16 port, QString *error);
    QString url() const;
    QByteArray exposition() const; // what GET /metrics answers

private:
    void handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds);
    void forgetGoneSeries();
    void refreshDatabaseSize();

    ConsoleService *m_service;
    MetricsServer *m_server;
    LatestValues m_latest;
    QTimer m_sizeTimer;
    std::optional<qint64> m_databaseBytes;
    bool m_sizeAsked = false;
    qint64 m_samplesStored = 0;
    qint64 m_roundsStored = 0;
    qint64 m_startedMs = 0;
    bool m_saidFull = false;
};

} // namespace StreamSwarm::Console
