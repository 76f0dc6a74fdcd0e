// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "smartctlrunner.h"

#include <QCoreApplication>

#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

SmartctlRunner::SmartctlRunner(const QString &program, QObject *parent)
    : QObject(parent)
    , m_program(program)
    , m_deadline([this] { handleDeadline(); })
{ }

SmartctlRunner::~SmartctlRunner()
{
    abort();
    // Processes killed before are normally gone by now; ~QProcess would wait up to 30 s for one that
    // is not (stuck in the kernel on a dying disk), so such a one is let go rather than waited for.
    for (QProcess *process : findChildren<QProcess *>(Qt::FindDirectChildrenOnly)) {
        if (process->state() != QProcess::NotRunning && !process->waitForFinished(100))
            process->setParent(nullptr); // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): see above
    }
}

void SmartctlRunner::start(qint64 timeoutMs)
{
    abort();
    m_timeoutMs = timeoutMs;
    m_results.clear();
    m_deadline.start(std::chrono::milliseconds(timeoutMs));
    if (!m_scannedAt.isValid() || m_scannedAt.hasExpired(SCAN_AGE_MS)) {
        m_scanning = true;
        run({u"--scan-open"_s, u"--json"_s});
        return;
    }
    m_next = 0;
    askNextDrive();
}

void SmartctlRunner::abort()
{
    m_deadline.stop();
    dropProcess();
}

void SmartctlRunner::run(const QStringList &arguments)
{
    m_reply.clear();
    m_process = new QProcess(this);
    m_process->setStandardErrorFile(QProcess::nullDevice());
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this, &SmartctlRunner::handleOutput);
    connect(m_process, &QProcess::finished, this, &SmartctlRunner::handleProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &SmartctlRunner::handleProcessError);
    m_process->start(m_program, arguments);
}

void SmartctlRunner::askNextDrive()
{
    if (m_next >= m_drives.size()) {
        finish(QString());
        return;
    }
    const ScannedDrive &drive = m_drives.at(m_next);
    // -n standby: a drive that has spun down is left asleep rather than woken every round.
    QStringList arguments{u"--json"_s, u"-a"_s, u"-n"_s, u"standby"_s};
    if (!drive.type.isEmpty())
        arguments << u"-d"_s << drive.type;
    arguments << drive.device;
    run(arguments);
}

void SmartctlRunner::handleOutput()
{
    m_reply += m_process->readAllStandardOutput();
    if (m_reply.size() > MAX_REPLY_BYTES) {
        dropProcess();
        finish(QCoreApplication::translate("StreamSwarm::Agent::Hardware", "smartctl wrote more than %1 MiB")
                   .arg(MAX_REPLY_BYTES / (1024 * 1024)));
    }
}

void SmartctlRunner::handleProcessFinished()
{
    m_reply += m_process->readAllStandardOutput();
    const QByteArray reply = m_reply;
    dropProcess();
    if (m_scanning) {
        m_scanning = false;
        QString problem;
        const std::optional<QList<ScannedDrive>> drives = SmartctlReport::parseScan(reply, &problem);
        if (!drives) {
            finish(problem);
            return;
        }
        m_drives = *drives;
        m_scannedAt.start();
        m_next = 0;
        askNextDrive();
        return;
    }
    DriveHealth health = SmartctlReport::parseHealth(reply, m_drives.at(m_next));
    // A drive that is gone (unplugged, renamed) makes the next run list the drives again.
    if (!health.problem.isEmpty())
        m_scannedAt.invalidate();
    m_results.append(health);
    ++m_next;
    askNextDrive();
}

void SmartctlRunner::handleProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes and kills end in finished() as well
    dropProcess();
    m_scanning = false;
    finish(QCoreApplication::translate(
        "StreamSwarm::Agent::Hardware", "smartctl could not be run (is smartmontools installed?)"));
}

void SmartctlRunner::handleDeadline()
{
    const QString limit = formatDurationMs(m_timeoutMs);
    if (m_process && !m_scanning && m_next < m_drives.size()) {
        DriveHealth silent;
        silent.drive = SmartctlReport::driveName(m_drives.at(m_next));
        silent.problem = QCoreApplication::translate(
            "StreamSwarm::Agent::Hardware", "smartctl did not answer within %1 and was stopped")
                             .arg(limit);
        m_results.append(silent);
        m_scannedAt.invalidate();
        for (qsizetype i = m_next + 1; i < m_drives.size(); ++i) {
            DriveHealth unasked;
            unasked.drive = SmartctlReport::driveName(m_drives.at(i));
            unasked.problem = QCoreApplication::translate(
                "StreamSwarm::Agent::Hardware", "not asked: the time for smartctl (%1) ran out on an earlier drive")
                                  .arg(limit);
            m_results.append(unasked);
        }
    }
    const bool listing = m_scanning;
    dropProcess();
    m_scanning = false;
    finish(listing ? QCoreApplication::translate(
               "StreamSwarm::Agent::Hardware", "smartctl did not list the drives within %1 and was stopped")
                         .arg(limit)
                   : QString());
}

void SmartctlRunner::finish(const QString &problem)
{
    m_deadline.stop();
    const QList<DriveHealth> results = std::exchange(m_results, {});
    Q_EMIT finished(results, problem);
}

void SmartctlRunner::dropProcess()
{
    if (!m_process)
        return;
    QProcess *process = std::exchange(m_process, nullptr);
    process->disconnect(this);
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
        return;
    }
    connect(process, &QProcess::finished, process, &QObject::deleteLater);
    process->kill();
}

} // namespace StreamSwarm::Agent
