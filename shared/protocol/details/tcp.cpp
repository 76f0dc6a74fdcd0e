// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tcp.h"

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

void TcpDetail::writeTo(QCborMap &map) const
{
    map.insert(u"address"_s, address);
    map.insert(u"port"_s, port);
}

TcpDetail TcpDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    TcpDetail detail;
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH);
    detail.port = int(reader.count(map, u"port"_s, 1, 65535));
    return detail;
}

} // namespace StreamSwarm::Protocol
