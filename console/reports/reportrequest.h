// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QPageSize>
#include <QString>

namespace StreamSwarm::Console {

// Who a report is for: a manager (executive), an engineer (engineering), or a provider's support
// desk (evidence of one incident).
enum class ReportKind { Executive, Engineering, Evidence };

// The service levels a report measures against, set by the user.
struct ReportTargets
{
    double latencyMs = 100; // a latency round at or under this met the target
    double lossPct = 1; // mean packet loss at or under this
    double availabilityPct = 99.9; // share of rounds that got through
};

// What to report on: the period, which tests and agents, and the paper.
struct ReportRequest
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportRequest)
public:
    static constexpr qint64 DAY_MS = 24LL * 3600 * 1000;
    static constexpr qint64 MAX_PERIOD_MS = 366 * DAY_MS; // a year's report; longer is a typo
    static constexpr qint64 MAX_INCIDENT_MS = 7 * DAY_MS; // evidence is about one incident

    ReportKind kind = ReportKind::Executive;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QString testName; // empty: every test
    QString agents; // empty: every agent; a name; or "tag:TAG"
    ReportTargets targets;
    QString siteName; // on every page's header; empty: the console's host name
    QPageSize::PageSizeId paper = QPageSize::A4;
    bool landscape = false;

    // Checks what needs no database: the period and the targets. False with a plain sentence.
    bool check(QString *error) const;
    // Evidence shows the hours around the incident too.
    qint64 contextMs() const;
    QString tagSelected() const; // the TAG of "tag:TAG"; empty otherwise

    static QString kindKey(ReportKind kind); // "executive", for the command line and settings
    static std::optional<ReportKind> kindFromKey(const QString &key);
    static QString kindName(ReportKind kind); // "Executive report", in the user's language
};

} // namespace StreamSwarm::Console
