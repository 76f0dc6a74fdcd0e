// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportscheduler.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>

#include "console/app/administration.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int REPORT_TIMEOUT_MS = 10 * 60 * 1000; // a year of data on a slow disk, and then some

// The child's last line on stderr without the program's name: its one-line reason.
QString reasonFrom(const QByteArray &stderrOutput)
{
    const QStringList lines = QString::fromUtf8(stderrOutput).split(u'\n', Qt::SkipEmptyParts);
    QString last = lines.isEmpty() ? QString() : lines.constLast().trimmed();
    const QString prefix = QCoreApplication::applicationName() + u": "_s;
    if (last.startsWith(u"streamswarm-console: "_s))
        last = last.mid(21);
    else if (last.startsWith(prefix))
        last = last.mid(prefix.size());
    return last;
}

} // namespace

ReportScheduler::ReportScheduler(Administration *administration, DatabaseUrl database, QObject *parent)
    : QObject(parent)
    , m_administration(administration)
    , m_database(std::move(database))
{
    m_timer.setInterval(CHECK_EVERY_MS);
    connect(&m_timer, &QTimer::timeout, this, &ReportScheduler::check);
}

ReportScheduler::~ReportScheduler()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void ReportScheduler::start(const QString &program)
{
    m_program = program;
    if (m_program.isEmpty()) {
        const QString self = QCoreApplication::applicationFilePath();
        if (!QFileInfo(self).fileName().startsWith(u"streamswarm-console"_s))
            return; // a test's process: it cannot make reports as the console does
        m_program = self;
    }
    m_timer.start();
    QTimer::singleShot(0, this, &ReportScheduler::check);
}

void ReportScheduler::check()
{
    if (m_checking || m_process || !m_queue.isEmpty())
        return;
    m_checking = true;
    m_administration->schedules(this, [this](const Result<QList<ReportSchedule>> &schedules) {
        m_checking = false;
        if (!schedules) {
            qCWarning(lcServer).noquote() << "Scheduled reports could not be read:" << schedules.error();
            return;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const ReportSchedule &schedule : *schedules) {
            if (m_retryAfterMs.value(schedule.id) > now)
                continue;
            for (const auto &[from, to] : schedule.duePeriods(now))
                m_queue.enqueue({schedule, from, to});
        }
        runNext();
    });
}

QStringList ReportScheduler::reportArguments(const Job &job) const
{
    const ReportRequest &request = job.schedule.request;
    // A PostgreSQL password goes to the child in its environment (PGPASSWORD), never on its command line.
    const QString database
        = m_database.kind == DatabaseUrl::Kind::Sqlite ? u"sqlite:"_s + m_database.path : m_database.displayName();
    QStringList arguments{u"report"_s, u"--db"_s, database, u"--out"_s, job.schedule.fileFor(job.fromMs),
        u"--template"_s, ReportRequest::kindKey(request.kind), u"--from"_s, formatIsoUtcMs(job.fromMs), u"--to"_s,
        formatIsoUtcMs(job.toMs), u"--latency-target"_s, QString::number(qRound64(request.targets.latencyMs)) + u"ms"_s,
        u"--loss-target"_s, QString::number(request.targets.lossPct), u"--availability-target"_s,
        QString::number(request.targets.availabilityPct)};
    if (!request.testName.isEmpty())
        arguments += {u"--test"_s, request.testName};
    if (!request.agents.isEmpty())
        arguments += {u"--agent"_s, request.agents};
    if (!request.siteName.isEmpty())
        arguments += {u"--site"_s, request.siteName};
    if (request.paper == QPageSize::Letter)
        arguments += {u"--paper"_s, u"letter"_s};
    if (request.landscape)
        arguments.append(u"--landscape"_s);
    return arguments;
}

void ReportScheduler::runNext()
{
    if (m_process || m_queue.isEmpty())
        return;
    m_printing = false;
    m_process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (m_database.kind == DatabaseUrl::Kind::Postgres && !m_database.password.isEmpty())
        environment.insert(u"PGPASSWORD"_s, m_database.password);
    m_process->setProcessEnvironment(environment);
    connect(m_process, &QProcess::finished, this, &ReportScheduler::handleReportFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(tr("%1 could not be started: %2").arg(m_process->program(), m_process->errorString()));
    });
    QTimer::singleShot(REPORT_TIMEOUT_MS, m_process, [process = m_process] { process->kill(); });
    m_process->start(m_program, reportArguments(m_queue.head()));
}

void ReportScheduler::handleReportFinished()
{
    const Job &job = m_queue.head();
    if (m_process->exitStatus() != QProcess::NormalExit || m_process->exitCode() != 0) {
        const QString reason = reasonFrom(m_process->readAllStandardError());
        finish(reason.isEmpty() ? tr("the report program stopped before it was done") : reason);
        return;
    }
    if (job.schedule.printer.isEmpty()) {
        finish(QString());
        return;
    }
    // Printing through CUPS's own client: the console core stays free of widgets and print dialogs.
    m_process->deleteLater();
    m_printing = true;
    m_process = new QProcess(this);
    connect(m_process, &QProcess::finished, this, &ReportScheduler::handlePrintFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(tr("the report was written, but it could not be printed: 'lp' (CUPS) is not installed"));
    });
    m_process->start(u"lp"_s, {u"-d"_s, job.schedule.printer, u"--"_s, job.schedule.fileFor(job.fromMs)});
}

void ReportScheduler::handlePrintFinished()
{
    if (m_process->exitStatus() != QProcess::NormalExit || m_process->exitCode() != 0) {
        const QString said = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
        finish(tr("the report was written, but printer \"%1\" did not take it: %2")
                   .arg(m_queue.head().schedule.printer, said.isEmpty() ? tr("lp failed") : said));
        return;
    }
    finish(QString());
}

void ReportScheduler::finish(const QString &why)
{
    if (!m_process || m_queue.isEmpty())
        return;
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    const Job job = m_queue.dequeue();
    const QString file = job.schedule.fileFor(job.fromMs);
    // A written report counts as made even when printing failed: the file is there.
    const bool written = why.isEmpty() || m_printing;
    m_administration->scheduleRan(job.schedule, written ? job.toMs : 0, file, why, this, [](const Result<Done> &) {});
    if (why.isEmpty()) {
        Q_EMIT reportMade(job.schedule.name, file);
    } else {
        Q_EMIT reportFailed(job.schedule.name, why);
        if (!written) {
            // Its later periods wait too, in order; an hour later it is tried again.
            m_retryAfterMs.insert(job.schedule.id, QDateTime::currentMSecsSinceEpoch() + RETRY_AFTER_MS);
            QQueue<Job> rest;
            for (const Job &queued : std::as_const(m_queue)) {
                if (queued.schedule.id != job.schedule.id)
                    rest.enqueue(queued);
            }
            m_queue = rest;
        }
    }
    m_printing = false;
    runNext();
}

} // namespace StreamSwarm::Console
