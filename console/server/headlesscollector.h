// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QObject>
#include <QTimer>

#include "console/cli/serveroptions.h"

namespace StreamSwarm {
class SignalWatcher;
}

namespace StreamSwarm::Console {

class ConsoleService;

// The console without a window: runs the service, reports progress on stderr, stops cleanly on
// SIGINT/SIGTERM or after --stop-after, and prints what it collected before exiting.
class HeadlessCollector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessCollector)
public:
    explicit HeadlessCollector(QObject *parent = nullptr);
    ~HeadlessCollector() override;

    // Starts the service; on failure returns false with one line in error.
    bool start(const ServerOptions &options, QString *error);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void shutDown();
    void printProgress();

    ConsoleService *m_service;
    SignalWatcher *m_signals;
    QTimer m_stopTimer;
    QTimer m_progressTimer;
    qint64 m_samplesThisRun = 0;
    bool m_shuttingDown = false;
};

} // namespace StreamSwarm::Console
