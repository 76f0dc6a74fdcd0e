// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <variant>

#include <QCborMap>
#include <QString>

#include "shared/protocol/details/bandwidth.h"
#include "shared/protocol/details/dns.h"
#include "shared/protocol/details/hardware.h"
#include "shared/protocol/details/http.h"
#include "shared/protocol/details/ping.h"
#include "shared/protocol/details/qos.h"
#include "shared/protocol/details/system.h"
#include "shared/protocol/details/tcp.h"
#include "shared/protocol/details/timing.h"
#include "shared/protocol/details/tls.h"
#include "shared/protocol/details/traceroute.h"
#include "shared/protocol/details/voice.h"
#include "shared/protocol/details/wireless.h"

// The typed detail records a round may carry (traceroute path, timestamp quality ...). Each kind is
// a file pair in details/: the record, its wire form (writeTo(), readFrom()) and its limits; this
// file lists them once, in RoundDetail::Value. Probes fill them, the codec (detailcodec.h) encodes
// and checks them, the console stores and shows their fields. Their wire form is described in
// README.md beside this file. Plain values, any thread.
namespace StreamSwarm::Protocol {

// In the order of RoundDetail::Value. Only the kind's name goes on the wire (detailKindName()), so a
// new kind goes in before Other.
enum class DetailKind {
    None, // the round carries no detail
    Ping,
    Traceroute,
    Qos,
    Tcp,
    Tls,
    Dns,
    Http,
    System,
    Wireless,
    Hardware,
    Voice,
    Bandwidth,
    Other, // a kind this build does not know (a newer agent's), or a detail without one
};

// The record's KIND: "ping", "traceroute", "qos", "tcp", "tls", "dns", "http", "system", "wireless",
// "hardware", "voice", "bandwidth"; empty for None and Other.
QString detailKindName(DetailKind kind);

// A detail of a kind this build does not read, kept as it came so that storage and the export lose
// nothing; no view reads its fields.
struct OtherDetail
{
    QString kind; // empty when the detail named none
    QCborMap fields; // all of them, "kind" too
};

// A round's detail: none, or one of the typed records.
class RoundDetail
{
public:
    // Between std::monostate and OtherDetail, every typed record, in the order of DetailKind.
    using Value = std::variant<std::monostate, PingDetail, TracerouteDetail, QosDetail, TcpDetail, TlsDetail, DnsDetail,
        HttpDetail, SystemDetail, WirelessDetail, HardwareDetail, VoiceDetail, BandwidthDetail, OtherDetail>;

    RoundDetail() = default;
    template <typename T, typename = std::enable_if_t<std::is_constructible_v<Value, T &&>>>
    RoundDetail(T &&detail) // NOLINT(google-explicit-constructor): a probe assigns its record
        : m_value(std::forward<T>(detail))
    { }

    DetailKind kind() const { return DetailKind(m_value.index()); }
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

static_assert(std::variant_size_v<RoundDetail::Value> == size_t(DetailKind::Other) + 1,
    "DetailKind names each alternative of RoundDetail::Value, in its order");
static_assert(std::is_same_v<std::variant_alternative_t<size_t(DetailKind::Other), RoundDetail::Value>, OtherDetail>);

} // namespace StreamSwarm::Protocol
