// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "backoff.h"

#include <QRandomGenerator>

namespace StreamSwarm::Agent {

Backoff::Backoff(qint64 initialMs, qint64 capMs, std::function<double()> random)
    : m_initialMs(initialMs)
    , m_capMs(capMs)
    , m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generateDouble(); })
{ }

qint64 Backoff::nextDelayMs()
{
    const int shift = std::min(m_attempt, 20);
    const qint64 step = std::min(m_capMs, m_initialMs << shift);
    ++m_attempt;
    return step / 2 + qint64(m_random() * double(step - step / 2));
}

} // namespace StreamSwarm::Agent
