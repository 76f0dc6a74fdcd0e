// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>

#include "agent/probes/hardware/smartctlreport.h"
#include "agent/scheduler/deadline.h"

namespace StreamSwarm::Agent {

// Asks smartctl about every drive, one process at a time, without blocking the event loop: first
// `smartctl --scan-open --json` (again every SCAN_AGE_MS, or after a drive could not be opened),
// then `smartctl --json -a -n standby -d TYPE DEVICE` per drive. The whole run has a hard deadline:
// a smartctl that hangs (a dying disk, a stuck controller) is killed and its drive reported as not
// answering, so a round never waits longer. Lives on the agent's main thread.
class SmartctlRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmartctlRunner)
public:
    // program: "smartctl" (looked up in PATH), or a path (tests use a fake).
    explicit SmartctlRunner(const QString &program, QObject *parent = nullptr);
    ~SmartctlRunner() override;

    // Starts a run that ends, with finished(), within timeoutMs. A run still going is abandoned first.
    void start(qint64 timeoutMs);
    // Abandons the run without finished().
    void abort();
    bool isRunning() const { return m_process != nullptr || m_deadline.isActive(); }

    static constexpr qint64 SCAN_AGE_MS = 10 * 60 * 1000;
    static constexpr qint64 MAX_REPLY_BYTES = 1024 * 1024; // smartctl -a writes some 20 kB per drive

Q_SIGNALS:
    // The drives asked about, each with its figures or its problem; problem is set when smartctl
    // could not be run or could not list the drives at all.
    void finished(const QList<StreamSwarm::Agent::DriveHealth> &drives, const QString &problem);

private:
    void run(const QStringList &arguments);
    void askNextDrive();
    void handleOutput();
    void handleProcessFinished();
    void handleProcessError(QProcess::ProcessError error);
    void handleDeadline();
    void finish(const QString &problem);
    // Stops the current process; one that does not die at once is left to be reaped when it does,
    // so that waiting for it never blocks the event loop.
    void dropProcess();

    QString m_program;
    QProcess *m_process = nullptr;
    QByteArray m_reply;
    Deadline m_deadline;
    qint64 m_timeoutMs = 0;
    bool m_scanning = false;
    QList<ScannedDrive> m_drives; // from the last scan
    QElapsedTimer m_scannedAt; // invalid: scan first
    qsizetype m_next = 0; // the drive asked about now, in m_drives
    QList<DriveHealth> m_results;
};

} // namespace StreamSwarm::Agent
