// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QObject>

class QLabel;
class QStatusBar;

namespace StreamSwarm::Console {

class ConsoleService;

// The console's figures in the window's status bar: where it listens, the database and its size,
// agents online, and samples per second over the last ten seconds. The size is read through the
// application layer, never on the GUI thread. GUI thread.
class StatusFigures final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusFigures)
public:
    static constexpr int RATE_SECONDS = 10; // the samples-per-second window
    static constexpr int SIZE_EVERY_SECONDS = 10; // how often the database size is read again

    StatusFigures(ConsoleService *service, QStatusBar *bar);
    ~StatusFigures() override;

    void addSamples(qint64 count) { m_samples += count; }
    // Once a second: the rate moves on and, every SIZE_EVERY_SECONDS, the size is read again.
    void tick();
    // Agents, listen address and database name (after the lists changed).
    void update();

    double samplesPerSecond() const;
    qint64 sessionSamples() const { return m_samples; }

private:
    void readDatabaseSize();

    ConsoleService *m_service;
    QLabel *m_listen;
    QLabel *m_database;
    QLabel *m_online;
    QLabel *m_rate;
    qint64 m_samples = 0;
    QList<qint64> m_totals; // m_samples at each of the last ticks, oldest first
    int m_ticks = 0;
    bool m_sizeReading = false;
    qint64 m_sizeBytes = -1; // -1: not read yet
};

} // namespace StreamSwarm::Console
