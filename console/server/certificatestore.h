// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

namespace StreamSwarm::Console {

// The console's TLS identity: its own key and self-signed certificate, made on first start and
// kept in the data dir (key file mode 0600), or a certificate and key the user points us at.
// Agents pin the certificate's SHA-256 fingerprint, so no CA is involved.
class CertificateStore
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::CertificateStore)
public:
    // Loads <dataDir>/console-cert.pem and console-key.pem, creating them when both are missing.
    bool loadOrCreate(const QString &dataDir, QString *error);
    // Loads the same files and never creates them: for commands that only show the certificate.
    bool load(const QString &dataDir, QString *error);
    // Loads the user's own certificate (PEM, first one used) and private key (PEM).
    bool loadFiles(const QString &certificatePath, const QString &keyPath, QString *error);

    const QSslCertificate &certificate() const { return m_certificate; }
    QString fingerprint() const; // "sha256:ab:cd:..." as shown to users and accepted by --fingerprint
    QSslConfiguration serverConfiguration() const;

    static QString fingerprintOf(const QSslCertificate &certificate);

private:
    enum class Found { Both, Neither, OneOfTwo };
    static Found findPair(const QString &dataDir, QString *error);
    // The pair in dataDir when both files are there (loaded or not), nullopt when neither is.
    std::optional<bool> loadExisting(const QString &dataDir, QString *error);
    bool adopt(const QByteArray &certificatePem, const QByteArray &keyPem, const QString &where, QString *error);

    QSslCertificate m_certificate;
    QSslKey m_key;
};

} // namespace StreamSwarm::Console
