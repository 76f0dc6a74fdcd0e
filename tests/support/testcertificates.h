// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QStringList>

// A certificate authority of the test's own, for the suite's TLS and HTTPS servers: a CA made fresh in
// a folder the test owns, and server certificates it issues (or that sign themselves), valid, expired
// or for another name, as PEM files. Nothing here is trusted outside that folder. Test thread only.
namespace StreamSwarm::Test {

struct CertificateRequest
{
    QStringList names = {QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    // Validity relative to now, in seconds: expired is e.g. {-30 days, -3 days}.
    qint64 notBeforeSeconds = -3600;
    qint64 notAfterSeconds = 90LL * 24 * 3600;
    bool selfSigned = false; // otherwise the authority signs it
};

class TestCertificateAuthority
{
public:
    // Makes the authority's key and certificate ("StreamSwarm Test CA") in directory, which must exist.
    explicit TestCertificateAuthority(const QString &directory);

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString caFile() const; // the authority's certificate, PEM: what a client trusts

    // Writes NAME.crt (the certificate, then the authority's unless self-signed: a full chain),
    // NAME.key and NAME-leaf.crt (the certificate alone). False and a sentence when it cannot.
    bool issue(const QString &name, const CertificateRequest &request, QString *error);
    QString certificateFile(const QString &name) const; // the chain
    QString leafFile(const QString &name) const;
    QString keyFile(const QString &name) const;

private:
    QString m_directory;
    QString m_error;
    QByteArray m_caCertificatePem;
    QByteArray m_caKeyPem;
};

} // namespace StreamSwarm::Test
