// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "timestamping.h"

#include <algorithm>
#include <cmath>

namespace StreamSwarm::Agent {

namespace {

// How far the wall clock may drift from the monotonic one between send and read before we call it a
// step: a fixed allowance for the gap between the paired clock reads, plus 1000 ppm of the interval
// (NTP slews at most 500 ppm).
constexpr qint64 STEP_ALLOWANCE_NS = 100'000;
constexpr qint64 STEP_ALLOWANCE_DIVISOR = 1000;

} // namespace

RttSample selectRtt(const EchoTimestamps &stamps)
{
    const qint64 monoNs = std::max<qint64>(0, stamps.readMonoNs - stamps.sendMonoNs);
    const RttSample monotonic{monoNs, TimestampSource::User};
    if (stamps.hardwareSendNs != 0 && stamps.hardwareReceiveNs != 0) {
        // One NIC clock on both ends: no wall-clock step can reach it.
        const qint64 hardwareNs = stamps.hardwareReceiveNs - stamps.hardwareSendNs;
        if (hardwareNs >= 0 && hardwareNs <= monoNs)
            return {hardwareNs, TimestampSource::Hardware};
    }
    if (stamps.kernelRealNs == 0)
        return monotonic;
    const bool kernelSendFits
        = stamps.kernelSendRealNs >= stamps.sendRealNs && stamps.kernelSendRealNs <= stamps.kernelRealNs;
    const qint64 kernelNs = stamps.kernelRealNs - (kernelSendFits ? stamps.kernelSendRealNs : stamps.sendRealNs);
    if (kernelNs < 0 || kernelNs > monoNs)
        return monotonic;
    const qint64 driftNs = (stamps.readRealNs - stamps.readMonoNs) - (stamps.sendRealNs - stamps.sendMonoNs);
    if (std::abs(driftNs) > STEP_ALLOWANCE_NS + monoNs / STEP_ALLOWANCE_DIVISOR)
        return monotonic;
    return {kernelNs, kernelSendFits ? TimestampSource::Kernel : TimestampSource::User};
}

void PacketStamp::merge(const PacketStamp &other)
{
    if (other.softwareNs != 0)
        softwareNs = other.softwareNs;
    if (other.hardwareNs != 0)
        hardwareNs = other.hardwareNs;
    ns = hardwareNs != 0 ? hardwareNs : softwareNs;
    source = hardwareNs != 0 ? TimestampSource::Hardware
        : softwareNs != 0    ? TimestampSource::Kernel
                             : TimestampSource::User;
}

Protocol::ClockReading clockReading(const ClockState &clock)
{
    return Protocol::ClockReading{clock.synchronised, double(clock.offsetNs) / 1000.0, double(clock.errorNs) / 1000.0,
        double(clock.maxErrorNs) / 1000.0};
}

} // namespace StreamSwarm::Agent
