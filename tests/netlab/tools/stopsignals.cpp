// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stopsignals.h"

#include <ctime>

#include <pthread.h>

namespace StreamSwarm::NetLab {

StopSignals::StopSignals()
{
    std::signal(SIGPIPE, SIG_IGN);
    sigemptyset(&m_signals);
    sigaddset(&m_signals, SIGTERM);
    sigaddset(&m_signals, SIGINT);
    sigaddset(&m_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &m_signals, nullptr);
}

bool StopSignals::arrivedWithin(long timeoutNs) const
{
    const timespec timeout{0, timeoutNs};
    return sigtimedwait(&m_signals, nullptr, &timeout) > 0;
}

} // namespace StreamSwarm::NetLab
