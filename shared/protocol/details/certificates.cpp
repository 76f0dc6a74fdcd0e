// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "certificates.h"

#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_NAME_LENGTH = 1024;
constexpr int MAX_NAMES_LENGTH = 4096;
constexpr int MAX_HEX_LENGTH = 128;
constexpr qint64 MAX_TIME_MS = 253402300799999; // 9999-12-31, X.509's latest GeneralizedTime
constexpr qint64 MIN_TIME_MS = -62167219200000; // year 0

} // namespace

bool CertificateSummary::operator==(const CertificateSummary &other) const
{
    return subject == other.subject && issuer == other.issuer && notBeforeMs == other.notBeforeMs
        && notAfterMs == other.notAfterMs && serial == other.serial && sha256 == other.sha256 && names == other.names;
}

QCborArray encodeChain(const QList<CertificateSummary> &chain)
{
    QCborArray array;
    for (const CertificateSummary &certificate : chain.mid(0, MAX_CHAIN_CERTIFICATES)) {
        QCborMap map{{u"subject"_s, certificate.subject.left(MAX_NAME_LENGTH)},
            {u"issuer"_s, certificate.issuer.left(MAX_NAME_LENGTH)}, {u"notBefore"_s, certificate.notBeforeMs},
            {u"notAfter"_s, certificate.notAfterMs}, {u"serial"_s, certificate.serial.left(MAX_HEX_LENGTH)},
            {u"sha256"_s, certificate.sha256.left(MAX_HEX_LENGTH)}};
        if (!certificate.names.isEmpty())
            map.insert(u"names"_s, certificate.names.left(MAX_NAMES_LENGTH));
        array.append(map);
    }
    return array;
}

QList<CertificateSummary> readChain(const QCborMap &parent, FieldReader &reader)
{
    QList<CertificateSummary> chain;
    const QCborArray array = reader.array(parent, u"chain"_s, MAX_CHAIN_CERTIFICATES, false);
    for (qsizetype i = 0; i < array.size() && reader.ok(); ++i) {
        if (!array.at(i).isMap()) {
            reader.fail(u"field 'chain' must hold maps"_s);
            break;
        }
        const QCborMap map = array.at(i).toMap();
        CertificateSummary certificate;
        certificate.subject = reader.text(map, u"subject"_s, MAX_NAME_LENGTH);
        certificate.issuer = reader.text(map, u"issuer"_s, MAX_NAME_LENGTH);
        certificate.notBeforeMs = reader.count(map, u"notBefore"_s, MIN_TIME_MS, MAX_TIME_MS);
        certificate.notAfterMs = reader.count(map, u"notAfter"_s, MIN_TIME_MS, MAX_TIME_MS);
        certificate.serial = reader.text(map, u"serial"_s, MAX_HEX_LENGTH);
        certificate.sha256 = reader.text(map, u"sha256"_s, MAX_HEX_LENGTH);
        certificate.names = reader.text(map, u"names"_s, MAX_NAMES_LENGTH, false);
        chain.append(certificate);
    }
    return chain;
}

} // namespace StreamSwarm::Protocol
