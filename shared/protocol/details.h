// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <array>
#include <optional>
#include <variant>

#include <QCborMap>
#include <QList>
#include <QString>

// The typed detail records a round may carry (traceroute path, timestamp quality ...). Probes fill
// them, the codec (detailcodec.h) encodes and checks them, the console stores and shows their
// fields. Their wire form is described in README.md beside this file. Plain values, any thread.
namespace StreamSwarm::Protocol {

// Append-only, like MessageType: the wire carries the kind's name (detailKindName()).
enum class DetailKind {
    None, // the round carries no detail
    Ping,
    Traceroute,
    Qos,
    Other, // a kind this build does not know (a newer agent's), or a detail without one
};

// "ping", "traceroute", "qos"; empty for None and Other.
QString detailKindName(DetailKind kind);

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

struct PingDetail
{
    TimestampTally timestamps;
    ClockReading clock;
};

// One address a traceroute hop answered from (several at a load-balanced hop).
struct HopAddress
{
    QString address;
    QString name; // reverse DNS; empty when unknown
    qint64 received = 0;
    double avgMs = 0;
    double bestMs = 0;
};

// One TTL of a traced path. Its address and name are those of its most frequent address; counts and
// RTTs cover every address of the hop.
struct TracerouteHop
{
    int ttl = 0;
    QString address; // empty when nothing answered (the wire says "*")
    QString name;
    qint64 sent = 0;
    qint64 received = 0;
    double lossPct = 0;
    bool hasRtt = false; // the RTT figures below are there (something answered)
    double lastMs = 0;
    double avgMs = 0;
    double bestMs = 0;
    double worstMs = 0;
    double stddevMs = 0;
    QList<HopAddress> addresses; // most frequent first
};

// Where loss (step: percentage points) or latency (step: ms) starts along the path.
struct HopStep
{
    int ttl = 0;
    QString address;
    double step = 0;
};

struct TracerouteDetail
{
    QString target;
    QString address; // what the target resolved to; empty when it did not
    QString protocol; // "icmp", "udp", "tcp"; empty from agents before TCP and UDP probing (icmp)
    int port = 0; // udp and tcp; 0 for icmp
    QList<TracerouteHop> hops;
    bool reached = false;
    bool routeChanged = false;
    std::optional<TimestampTally> timestamps; // agents before timestamp quality sent neither
    std::optional<ClockReading> clock;
    std::optional<HopStep> lossHop;
    std::optional<HopStep> latencyHop;
    QList<int> rateLimited; // TTLs that limit their own ICMP replies
};

// One DSCP class of a qos round; jitter, marking and clocks are absent when nothing came back.
struct QosClassDetail
{
    QString className; // "ef", "af41", "be" ...
    int dscp = 0;
    qint64 sent = 0;
    qint64 received = 0;
    // Per direction; agents before per-direction figures sent none of these.
    std::optional<qint64> lostThere;
    std::optional<qint64> lostBack;
    std::optional<qint64> reorderedThere;
    std::optional<qint64> reorderedBack;
    std::optional<qint64> duplicatesThere;
    std::optional<qint64> duplicatesBack;
    std::optional<double> jitterThereMs;
    std::optional<double> jitterBackMs;
    std::optional<bool> markingKeptThere;
    std::optional<bool> markingKeptBack;
    std::optional<bool> clocksSynchronised;
    std::optional<QString> oneWayDelaysLeftOut; // why, when one-way delays were left out
};

struct QosDetail
{
    QList<QosClassDetail> classes;
    qint64 duplicates = 0; // all classes, both ways
    std::optional<TimestampTally> timestamps; // agents before timestamp quality sent neither
    std::optional<ClockReading> clock;
};

// A detail of a kind this build does not read, kept as it came so that storage and the export lose
// nothing; no view reads its fields.
struct OtherDetail
{
    QString kind; // empty when the detail named none
    QCborMap fields; // all of them, "kind" too
};

// A round's detail: none, or one of the typed records above.
class RoundDetail
{
public:
    using Value = std::variant<std::monostate, PingDetail, TracerouteDetail, QosDetail, OtherDetail>;

    RoundDetail() = default;
    template <typename T, typename = std::enable_if_t<std::is_constructible_v<Value, T &&>>>
    RoundDetail(T &&detail) // NOLINT(google-explicit-constructor): a probe assigns its record
        : m_value(std::forward<T>(detail))
    { }

    DetailKind kind() const;
    bool isEmpty() const { return std::holds_alternative<std::monostate>(m_value); }
    // The record, when the detail is of this type; nullptr otherwise.
    template <typename T>
    const T *get() const
    {
        return std::get_if<T>(&m_value);
    }
    const Value &value() const { return m_value; }

    // Equal when their encodings are.
    bool operator==(const RoundDetail &other) const;
    bool operator!=(const RoundDetail &other) const { return !(*this == other); }

private:
    Value m_value;
};

} // namespace StreamSwarm::Protocol
