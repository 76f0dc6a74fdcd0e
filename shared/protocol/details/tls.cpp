// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tls.h"

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_VERSION_LENGTH = 32;
constexpr int MAX_CIPHER_LENGTH = 128;
constexpr int MAX_ALPN_LENGTH = 255; // one ALPN protocol id, as RFC 7301 bounds it
constexpr int MAX_PROBLEM_LENGTH = 512;

} // namespace

void TlsDetail::writeTo(QCborMap &map) const
{
    map.insert(u"address"_s, address);
    map.insert(u"port"_s, port);
    if (!serverName.isEmpty())
        map.insert(u"serverName"_s, serverName);
    map.insert(u"version"_s, version);
    map.insert(u"cipher"_s, cipher);
    if (!alpn.isEmpty())
        map.insert(u"alpn"_s, alpn);
    map.insert(u"trusted"_s, trusted);
    if (!problem.isEmpty())
        map.insert(u"problem"_s, problem.left(MAX_PROBLEM_LENGTH));
    map.insert(u"chain"_s, encodeChain(chain));
}

TlsDetail TlsDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    TlsDetail detail;
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH);
    detail.port = int(reader.count(map, u"port"_s, 1, 65535));
    detail.serverName = reader.text(map, u"serverName"_s, MAX_HOST_NAME_LENGTH, false);
    detail.version = reader.text(map, u"version"_s, MAX_VERSION_LENGTH);
    detail.cipher = reader.text(map, u"cipher"_s, MAX_CIPHER_LENGTH);
    detail.alpn = reader.text(map, u"alpn"_s, MAX_ALPN_LENGTH, false);
    detail.trusted = reader.boolean(map, u"trusted"_s);
    detail.problem = reader.text(map, u"problem"_s, MAX_PROBLEM_LENGTH, false);
    detail.chain = readChain(map, reader);
    return detail;
}

} // namespace StreamSwarm::Protocol
