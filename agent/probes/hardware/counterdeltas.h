// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "agent/platform/hardwaresensors.h"

namespace StreamSwarm::Agent {

// Turns the cumulative counters of successive rounds into the round's figures: watts from energy
// counters that wrap at their range, and memory errors new since the last round. A counter that went
// backwards without wrapping was reset (a reboot of the controller, a driver reloaded): that round
// gives no figure rather than a negative or absurd one. Main thread.
class CounterDeltas
{
public:
    struct Power
    {
        QString domain;
        double watts = 0;
    };
    struct NewErrors
    {
        QString controller;
        quint64 corrected = 0;
        quint64 uncorrected = 0;
    };

    // monoNs: a monotonic clock reading taken with the counters. The first call gives nothing.
    QList<Power> power(const QList<Platform::EnergyCounter> &counters, qint64 monoNs);
    QList<NewErrors> newErrors(const QList<Platform::EccCounter> &counters);

    // Microjoules from before to now of a counter that wraps after range (0: unknown); nullopt for a
    // reset.
    static std::optional<quint64> energyDelta(quint64 before, quint64 now, quint64 range);
    // Errors from before to now: after a reset, what was counted since.
    static quint64 errorDelta(quint64 before, quint64 now) { return now >= before ? now - before : now; }

private:
    QHash<QString, quint64> m_energyUj;
    qint64 m_energyMonoNs = 0;
    QHash<QString, Platform::EccCounter> m_ecc;
};

} // namespace StreamSwarm::Agent
