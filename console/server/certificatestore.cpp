// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "certificatestore.h"

#include <memory>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QSaveFile>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "shared/util/fingerprint.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr long VALIDITY_SECONDS = 20L * 365 * 24 * 3600; // pinned, so expiry only adds outages

template <typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

// A P-256 key and a self-signed certificate naming this host, both as PEM.
bool generate(QByteArray *certificatePem, QByteArray *keyPem, QString *error)
{
    KeyPtr key(EVP_EC_gen("P-256"));
    CertPtr cert(X509_new());
    if (!key || !cert) {
        *error = CertificateStore::tr("Cannot make a key for the console's certificate (OpenSSL failed).");
        return false;
    }
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *serialNumber = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(serialNumber, X509_get_serialNumber(cert.get()));
    BN_free(serialNumber);
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), VALIDITY_SECONDS);
    X509_set_pubkey(cert.get(), key.get());
    const QByteArray commonName = QString(u"StreamSwarm console on "_s + QHostInfo::localHostName()).left(64).toUtf8();
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(commonName.data()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("StreamSwarm"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
        *error = CertificateStore::tr("Cannot sign the console's certificate (OpenSSL failed).");
        return false;
    }
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certBio.get(), cert.get())
        || !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        *error = CertificateStore::tr("Cannot write the console's certificate (OpenSSL failed).");
        return false;
    }
    *certificatePem = bioBytes(certBio.get());
    *keyPem = bioBytes(keyBio.get());
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes, QFile::Permissions permissions, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = CertificateStore::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(permissions); // before the key is in it
    file.write(bytes);
    if (!file.commit()) {
        *error = CertificateStore::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<QByteArray> readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = CertificateStore::tr("Cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return file.read(1024 * 1024);
}

// The key must belong to the certificate, or every TLS handshake would fail later.
bool keyMatchesCertificate(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    BioPtr certBio(BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    CertPtr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    KeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

QString certificatePathIn(const QString &dataDir)
{
    return dataDir + u"/console-cert.pem"_s;
}

QString keyPathIn(const QString &dataDir)
{
    return dataDir + u"/console-key.pem"_s;
}

} // namespace

CertificateStore::Found CertificateStore::findPair(const QString &dataDir, QString *error)
{
    const QString certificatePath = certificatePathIn(dataDir);
    const QString keyPath = keyPathIn(dataDir);
    const bool haveCertificate = QFile::exists(certificatePath);
    const bool haveKey = QFile::exists(keyPath);
    if (haveCertificate && haveKey)
        return Found::Both;
    if (!haveCertificate && !haveKey)
        return Found::Neither;
    // Making a new pair would silently change the fingerprint every agent has pinned.
    *error = tr("%1 exists but %2 does not; restore the missing file, or remove the other one to make a new "
                "certificate (agents will then refuse it until told the new fingerprint).")
                 .arg(haveCertificate ? certificatePath : keyPath, haveCertificate ? keyPath : certificatePath);
    return Found::OneOfTwo;
}

std::optional<bool> CertificateStore::loadExisting(const QString &dataDir, QString *error)
{
    switch (findPair(dataDir, error)) {
    case Found::Both:
        return loadFiles(certificatePathIn(dataDir), keyPathIn(dataDir), error);
    case Found::OneOfTwo:
        return false;
    case Found::Neither:
        break;
    }
    return std::nullopt;
}

bool CertificateStore::loadOrCreate(const QString &dataDir, QString *error)
{
    if (const auto loaded = loadExisting(dataDir, error))
        return *loaded;
    if (!QDir().mkpath(dataDir)) {
        *error = tr("Cannot create the folder %1; check its permissions.").arg(dataDir);
        return false;
    }
    QByteArray certificatePem;
    QByteArray keyPem;
    if (!generate(&certificatePem, &keyPem, error)
        || !writeFile(keyPathIn(dataDir), keyPem, QFile::ReadOwner | QFile::WriteOwner, error)
        || !writeFile(certificatePathIn(dataDir), certificatePem,
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther, error)) {
        return false;
    }
    return adopt(certificatePem, keyPem, dataDir, error);
}

bool CertificateStore::load(const QString &dataDir, QString *error)
{
    if (const auto loaded = loadExisting(dataDir, error))
        return *loaded;
    *error = tr("No console has been started with the data folder %1 yet, so it has no certificate; start the "
                "console once with the same --data-dir or --db (it makes the certificate on its first start) and "
                "run this again.")
                 .arg(dataDir);
    return false;
}

bool CertificateStore::loadFiles(const QString &certificatePath, const QString &keyPath, QString *error)
{
    const auto certificatePem = readFile(certificatePath, error);
    const auto keyPem = certificatePem ? readFile(keyPath, error) : std::nullopt;
    return keyPem && adopt(*certificatePem, *keyPem, certificatePath, error);
}

bool CertificateStore::adopt(
    const QByteArray &certificatePem, const QByteArray &keyPem, const QString &where, QString *error)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (certificates.isEmpty() || certificates.first().isNull()) {
        *error = tr("%1 holds no PEM certificate.").arg(where);
        return false;
    }
    QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull()) {
        *error = tr("The private key for %1 is not a readable PEM key (EC or RSA, without a passphrase).").arg(where);
        return false;
    }
    if (!keyMatchesCertificate(certificatePem, keyPem)) {
        *error = tr("The private key does not belong to the certificate %1.").arg(where);
        return false;
    }
    m_certificate = certificates.first();
    m_key = key;
    return true;
}

QString CertificateStore::fingerprint() const
{
    return fingerprintOf(m_certificate);
}

QString CertificateStore::fingerprintOf(const QSslCertificate &certificate)
{
    return formatFingerprint(certificate.digest(QCryptographicHash::Sha256));
}

QSslConfiguration CertificateStore::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(m_certificate);
    configuration.setPrivateKey(m_key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // agents prove themselves with credentials
    return configuration;
}

} // namespace StreamSwarm::Console
