// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testcertificates.h"

#include <memory>

#include <QDir>
#include <QFile>
#include <QHostAddress>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace StreamSwarm::Test {

namespace {

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

bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData());
    if (!extension)
        return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

QByteArray subjectAltNames(const QStringList &names)
{
    QStringList entries;
    for (const QString &name : names)
        entries << (QHostAddress(name).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) + name;
    return entries.join(u',').toLatin1();
}

// A new P-256 key and a certificate for commonName, signed by signerKey (its own key when null).
bool makeCertificate(const QString &commonName, const CertificateRequest &request, bool isAuthority, X509 *signerCert,
    EVP_PKEY *signerKey, QByteArray *certPem, QByteArray *keyPem)
{
    KeyPtr key(EVP_EC_gen("P-256"));
    CertPtr cert(X509_new());
    if (!key || !cert)
        return false;
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM *serialNumber = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(serialNumber, X509_get_serialNumber(cert.get()));
    BN_free(serialNumber);
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), long(request.notBeforeSeconds));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(request.notAfterSeconds));
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("StreamSwarm test suite"), -1, -1, 0);
    const QByteArray cn = commonName.toUtf8();
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509 *issuer = signerCert ? signerCert : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
    bool extended = true;
    if (isAuthority) {
        extended = addExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE")
            && addExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign")
            && addExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
    } else {
        extended = addExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), issuer, NID_ext_key_usage, "serverAuth")
            && (request.names.isEmpty()
                || addExtension(cert.get(), issuer, NID_subject_alt_name, subjectAltNames(request.names)));
        if (signerCert)
            extended = extended && addExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
    }
    if (!extended || X509_sign(cert.get(), signerKey ? signerKey : key.get(), EVP_sha256()) <= 0)
        return false;
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certBio.get(), cert.get())
        || !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        return false;
    }
    *certPem = bioBytes(certBio.get());
    *keyPem = bioBytes(keyBio.get());
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

} // namespace

TestCertificateAuthority::TestCertificateAuthority(const QString &directory)
    : m_directory(directory)
{
    CertificateRequest request;
    request.names.clear();
    request.notAfterSeconds = 365LL * 24 * 3600;
    if (!makeCertificate(
            QStringLiteral("StreamSwarm Test CA"), request, true, nullptr, nullptr, &m_caCertificatePem, &m_caKeyPem)) {
        m_error = QStringLiteral("OpenSSL could not make the test authority's key and certificate.");
    } else if (!writeFile(caFile(), m_caCertificatePem)) {
        m_error = QStringLiteral("Cannot write %1.").arg(caFile());
    }
}

QString TestCertificateAuthority::caFile() const
{
    return QDir(m_directory).filePath(QStringLiteral("ca.crt"));
}

QString TestCertificateAuthority::certificateFile(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral(".crt"));
}

QString TestCertificateAuthority::leafFile(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral("-leaf.crt"));
}

QString TestCertificateAuthority::keyFile(const QString &name) const
{
    return QDir(m_directory).filePath(name + QStringLiteral(".key"));
}

bool TestCertificateAuthority::issue(const QString &name, const CertificateRequest &request, QString *error)
{
    if (!isValid()) {
        *error = m_error;
        return false;
    }
    BioPtr caCertBio(BIO_new_mem_buf(m_caCertificatePem.constData(), int(m_caCertificatePem.size())));
    BioPtr caKeyBio(BIO_new_mem_buf(m_caKeyPem.constData(), int(m_caKeyPem.size())));
    CertPtr caCert(PEM_read_bio_X509(caCertBio.get(), nullptr, nullptr, nullptr));
    KeyPtr caKey(PEM_read_bio_PrivateKey(caKeyBio.get(), nullptr, nullptr, nullptr));
    QByteArray certPem;
    QByteArray keyPem;
    const QString commonName = request.names.isEmpty() ? name : request.names.constFirst();
    if (!caCert || !caKey
        || !makeCertificate(commonName, request, false, request.selfSigned ? nullptr : caCert.get(),
            request.selfSigned ? nullptr : caKey.get(), &certPem, &keyPem)) {
        *error = QStringLiteral("OpenSSL could not issue the test certificate %1.").arg(name);
        return false;
    }
    const QByteArray chain = request.selfSigned ? certPem : certPem + m_caCertificatePem;
    if (!writeFile(certificateFile(name), chain) || !writeFile(leafFile(name), certPem)
        || !writeFile(keyFile(name), keyPem)) {
        *error = QStringLiteral("Cannot write the test certificate %1 into %2.").arg(name, m_directory);
        return false;
    }
    return true;
}

} // namespace StreamSwarm::Test
