// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportrequest.h"

#include <algorithm>
#include <cmath>

#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

bool ReportRequest::check(QString *error) const
{
    if (fromMs <= 0 || toMs <= fromMs) {
        *error = tr("The report's period is empty: its start must come before its end.");
        return false;
    }
    const qint64 longest = kind == ReportKind::Evidence ? MAX_INCIDENT_MS : MAX_PERIOD_MS;
    if (toMs - fromMs > longest) {
        *error = kind == ReportKind::Evidence
            ? tr("An evidence report covers one incident of at most %1; this period is %2. Give the incident's "
                 "start and end.")
                  .arg(formatDurationMs(longest), formatDurationMs(toMs - fromMs))
            : tr("A report covers at most %1; this period is %2. Make one report per year.")
                  .arg(formatDurationMs(longest), formatDurationMs(toMs - fromMs));
        return false;
    }
    if (!std::isfinite(targets.latencyMs) || targets.latencyMs <= 0 || targets.latencyMs > 1e6) {
        *error = tr("The latency target must be more than 0 ms and at most 1,000,000 ms.");
        return false;
    }
    for (double percent : {targets.lossPct, targets.availabilityPct}) {
        if (!std::isfinite(percent) || percent < 0 || percent > 100) {
            *error = tr("Loss and availability targets are percentages, from 0 to 100.");
            return false;
        }
    }
    if (agents == u"tag:") {
        *error = tr("\"tag:\" needs a tag after it, e.g. tag:site-a.");
        return false;
    }
    return true;
}

qint64 ReportRequest::contextMs() const
{
    if (kind != ReportKind::Evidence)
        return 0;
    // As long as the incident, at least 30 minutes and at most a day, each side.
    return std::clamp<qint64>(toMs - fromMs, 30 * 60 * 1000, DAY_MS);
}

QString ReportRequest::tagSelected() const
{
    return agents.startsWith(u"tag:"_s) ? agents.mid(4) : QString();
}

QString ReportRequest::kindKey(ReportKind kind)
{
    switch (kind) {
    case ReportKind::Executive:
        return u"executive"_s;
    case ReportKind::Engineering:
        return u"engineering"_s;
    case ReportKind::Evidence:
        return u"evidence"_s;
    }
    return {};
}

std::optional<ReportKind> ReportRequest::kindFromKey(const QString &key)
{
    for (ReportKind kind : {ReportKind::Executive, ReportKind::Engineering, ReportKind::Evidence}) {
        if (key == kindKey(kind))
            return kind;
    }
    return std::nullopt;
}

QString ReportRequest::kindName(ReportKind kind)
{
    switch (kind) {
    case ReportKind::Executive:
        return tr("Network service report");
    case ReportKind::Engineering:
        return tr("Engineering report");
    case ReportKind::Evidence:
        return tr("Incident evidence");
    }
    return {};
}

} // namespace StreamSwarm::Console
