// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <array>
#include <optional>

#include <QCborMap>
#include <QString>

// What the details of the path tests say about their own timing: where the timestamps came from and
// the agent's clock, with their wire forms ("timestamps", "clock"). Plain values, any thread.
namespace StreamSwarm::Protocol {

class FieldReader;

// Best first: a NIC's own clock, then the kernel's stamp as the packet passes the stack, then our
// own clock read around the system call.
enum class TimestampSource { Hardware, Kernel, User };

// "hardware", "kernel" or "user".
QString timestampSourceName(TimestampSource source);
// The weaker of two sources: an RTT is only as good as the worse of its two ends.
TimestampSource weakerSource(TimestampSource a, TimestampSource b);

// How one round's samples were timed: a count per source. On the wire {"source": weakest, and a
// count per source that any sample used}.
class TimestampTally
{
public:
    void add(TimestampSource source, int count = 1) { m_counts[size_t(source)] += count; }
    int count(TimestampSource source) const { return m_counts[size_t(source)]; }
    int total() const;
    // The weakest source any sample used; Kernel when there were no samples.
    TimestampSource weakest() const;
    void clear() { m_counts = {}; }

private:
    std::array<int, 3> m_counts{};
};

// The agent's clock when the round ended, from the kernel's NTP state (adjtimex).
struct ClockReading
{
    bool synchronised = false;
    double offsetUs = 0;
    double errorUs = 0;
    double maxErrorUs = 0;
};

// Clock figures in µs, either way (the kernel's bounds are at most a few seconds).
inline constexpr double MAX_CLOCK_US = 1e12;

// The wire forms, for the records that carry them: the maps themselves, and read from the parent's
// "timestamps" and "clock" (the optional ones are absent from agents before timestamp quality).
QCborMap encodeTally(const TimestampTally &tally);
QCborMap encodeClock(const ClockReading &clock);
TimestampTally readTally(const QCborMap &parent, FieldReader &reader);
ClockReading readClock(const QCborMap &parent, FieldReader &reader);
std::optional<TimestampTally> readOptionalTally(const QCborMap &parent, FieldReader &reader);
std::optional<ClockReading> readOptionalClock(const QCborMap &parent, FieldReader &reader);

} // namespace StreamSwarm::Protocol
