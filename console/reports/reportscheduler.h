// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QObject>
#include <QProcess>
#include <QQueue>
#include <QTimer>

#include "console/reports/reportschedule.h"
#include "console/storage/database.h"

namespace StreamSwarm::Console {

class Administration;

// Makes the scheduled reports whose periods have ended, in the console and in the headless
// collector alike: at start (so a period that ended while the console was off is made up for) and
// then every minute. Each report is made by `streamswarm-console report` in a process of its own,
// so drawing never holds up the console and a collector needs no fonts of its own; with a printer
// named, `lp` prints it. One at a time. Lives on the main thread.
class ReportScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReportScheduler)
public:
    static constexpr int CHECK_EVERY_MS = 60 * 1000;
    static constexpr int RETRY_AFTER_MS = 60 * 60 * 1000; // a report that failed is tried again an hour later

    ReportScheduler(Administration *administration, DatabaseUrl database, QObject *parent = nullptr);
    ~ReportScheduler() override;

    // program: the console's own executable; empty: this one, when it is the console (not a test).
    void start(const QString &program = QString());

Q_SIGNALS:
    // A scheduled report was written (and printed, when asked), or could not be: its file or why.
    void reportMade(const QString &schedule, const QString &file);
    void reportFailed(const QString &schedule, const QString &why);

private:
    struct Job
    {
        ReportSchedule schedule;
        qint64 fromMs = 0;
        qint64 toMs = 0;
    };

    void check();
    void runNext();
    void handleReportFinished();
    void handlePrintFinished();
    void finish(const QString &why);
    QStringList reportArguments(const Job &job) const;

    Administration *m_administration;
    DatabaseUrl m_database;
    QString m_program;
    QTimer m_timer;
    QQueue<Job> m_queue;
    QProcess *m_process = nullptr; // the report or the printing under way
    bool m_printing = false;
    bool m_checking = false;
    QHash<qint64, qint64> m_retryAfterMs; // by schedule id
};

} // namespace StreamSwarm::Console
