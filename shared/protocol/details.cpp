// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "details.h"

#include "shared/protocol/detailcodec.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

QString detailKindName(DetailKind kind)
{
    switch (kind) {
    case DetailKind::Ping:
        return u"ping"_s;
    case DetailKind::Traceroute:
        return u"traceroute"_s;
    case DetailKind::Qos:
        return u"qos"_s;
    case DetailKind::None:
    case DetailKind::Other:
        break;
    }
    return QString();
}

QString timestampSourceName(TimestampSource source)
{
    switch (source) {
    case TimestampSource::Hardware:
        return u"hardware"_s;
    case TimestampSource::Kernel:
        return u"kernel"_s;
    case TimestampSource::User:
        break;
    }
    return u"user"_s;
}

TimestampSource weakerSource(TimestampSource a, TimestampSource b)
{
    return int(a) > int(b) ? a : b;
}

int TimestampTally::total() const
{
    return m_counts[0] + m_counts[1] + m_counts[2];
}

TimestampSource TimestampTally::weakest() const
{
    if (count(TimestampSource::User))
        return TimestampSource::User;
    if (count(TimestampSource::Kernel) || !count(TimestampSource::Hardware))
        return TimestampSource::Kernel;
    return TimestampSource::Hardware;
}

DetailKind RoundDetail::kind() const
{
    struct Kind
    {
        DetailKind operator()(std::monostate) const { return DetailKind::None; }
        DetailKind operator()(const PingDetail &) const { return DetailKind::Ping; }
        DetailKind operator()(const TracerouteDetail &) const { return DetailKind::Traceroute; }
        DetailKind operator()(const QosDetail &) const { return DetailKind::Qos; }
        DetailKind operator()(const OtherDetail &) const { return DetailKind::Other; }
    };
    return std::visit(Kind{}, m_value);
}

bool RoundDetail::operator==(const RoundDetail &other) const
{
    return kind() == other.kind() && encodeDetail(*this) == encodeDetail(other);
}

} // namespace StreamSwarm::Protocol
