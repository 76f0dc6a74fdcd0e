// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "certificatecheck.h"

#include <chrono>
#include <ctime>
#include <memory>

#include <arpa/inet.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

struct CertificateText
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::CertificateText)
};

QString nameText(const X509_NAME *name)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0)
        return QString();
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, qsizetype(size));
}

qint64 timeMs(const ASN1_TIME *time)
{
    struct tm parts = {};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1)
        return 0;
    return qint64(timegm(&parts)) * 1000;
}

QString serialText(X509 *certificate)
{
    BIGNUM *number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
    if (!number)
        return QString();
    char *hex = BN_bn2hex(number);
    const QString text = hex ? QString::fromLatin1(hex) : QString();
    OPENSSL_free(hex);
    BN_free(number);
    return text;
}

QString fingerprint(X509 *certificate)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1)
        return QString();
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex());
}

// "DNS:www.example.com,IP:192.0.2.1": the subject alternative names, as openssl x509 -text prints them.
QString alternativeNames(X509 *certificate)
{
    auto *names = static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (!names)
        return QString();
    QStringList entries;
    for (int i = 0; i < sk_GENERAL_NAME_num(names) && i < 100; ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type == GEN_DNS) {
            const ASN1_STRING *text = name->d.dNSName;
            entries << u"DNS:"_s
                    + QString::fromLatin1(
                        reinterpret_cast<const char *>(ASN1_STRING_get0_data(text)), ASN1_STRING_length(text));
        } else if (name->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *address = name->d.iPAddress;
            char text[64] = {};
            const int family = ASN1_STRING_length(address) == 16 ? AF_INET6 : AF_INET;
            if (ASN1_STRING_length(address) == 4 || ASN1_STRING_length(address) == 16)
                inet_ntop(family, ASN1_STRING_get0_data(address), text, sizeof text);
            entries << u"IP:"_s + QString::fromLatin1(text);
        }
    }
    GENERAL_NAMES_free(names);
    return entries.join(u',');
}

// The names a certificate is for, for a sentence: its alternative names without their kinds, else
// its common name.
QString namesForSentence(X509 *leaf)
{
    QString names = alternativeNames(leaf);
    names.replace(u"DNS:"_s, QString()).replace(u"IP:"_s, QString()).replace(u","_s, u", "_s);
    if (!names.isEmpty())
        return names;
    char commonName[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, commonName, sizeof commonName);
    return QString::fromUtf8(commonName);
}

QString dateText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd"_s);
}

// "3 days", "5 hours": how long a span of seconds is, roughly.
QString spanText(qint64 seconds)
{
    if (seconds >= 2 * 86400)
        return CertificateText::tr("%1 days").arg(seconds / 86400);
    if (seconds >= 2 * 3600)
        return CertificateText::tr("%1 hours").arg(seconds / 3600);
    if (seconds >= 120)
        return CertificateText::tr("%1 minutes").arg(seconds / 60);
    return CertificateText::tr("a minute");
}

int timedVerify(X509_STORE_CTX *storeContext, void *argument)
{
    auto *validation = static_cast<ChainValidation *>(argument);
    const auto start = std::chrono::steady_clock::now();
    const int verified = X509_verify_cert(storeContext);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    validation->ran = true;
    validation->milliseconds += took.count();
    validation->trusted = verified == 1;
    validation->error = verified == 1 ? X509_V_OK : X509_STORE_CTX_get_error(storeContext);
    return validation->acceptUntrusted ? 1 : verified;
}

} // namespace

Protocol::CertificateSummary summarizeCertificate(X509 *certificate)
{
    Protocol::CertificateSummary summary;
    if (!certificate)
        return summary;
    summary.subject = nameText(X509_get_subject_name(certificate));
    summary.issuer = nameText(X509_get_issuer_name(certificate));
    summary.notBeforeMs = timeMs(X509_get0_notBefore(certificate));
    summary.notAfterMs = timeMs(X509_get0_notAfter(certificate));
    summary.serial = serialText(certificate);
    summary.sha256 = fingerprint(certificate);
    summary.names = alternativeNames(certificate);
    return summary;
}

QList<Protocol::CertificateSummary> summarizeChain(STACK_OF(X509) * chain)
{
    QList<Protocol::CertificateSummary> summaries;
    for (int i = 0; chain && i < sk_X509_num(chain) && i < Protocol::MAX_CHAIN_CERTIFICATES; ++i)
        summaries.append(summarizeCertificate(sk_X509_value(chain, i)));
    return summaries;
}

int daysUntilExpiry(X509 *certificate)
{
    int days = 0;
    int seconds = 0;
    if (!certificate || ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(certificate)) != 1)
        return 0;
    // ASN1_TIME_diff splits the span into whole days and the rest, both with the span's sign.
    return days;
}

QString describeVerifyError(long x509Error, X509 *leaf, const QString &host)
{
    const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();
    switch (x509Error) {
    case X509_V_OK:
        return QString();
    case X509_V_ERR_CERT_HAS_EXPIRED:
        if (leaf) {
            const qint64 notAfterMs = timeMs(X509_get0_notAfter(leaf));
            return CertificateText::tr("the certificate expired %1 ago (on %2)")
                .arg(spanText(nowSeconds - notAfterMs / 1000), dateText(notAfterMs));
        }
        return CertificateText::tr("the certificate has expired");
    case X509_V_ERR_CERT_NOT_YET_VALID:
        if (leaf) {
            const qint64 notBeforeMs = timeMs(X509_get0_notBefore(leaf));
            return CertificateText::tr("the certificate is not valid yet; it starts in %1 (on %2)")
                .arg(spanText(notBeforeMs / 1000 - nowSeconds), dateText(notBeforeMs));
        }
        return CertificateText::tr("the certificate is not valid yet");
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return CertificateText::tr("the certificate is for %1, not %2")
            .arg(leaf ? namesForSentence(leaf) : CertificateText::tr("other names"), host);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return CertificateText::tr("the certificate is self-signed and not trusted");
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: // the server sent its root too, which is not ours
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return CertificateText::tr("the certificate's issuer (%1) is not trusted")
            .arg(leaf ? nameText(X509_get_issuer_name(leaf)) : CertificateText::tr("unknown"));
    case X509_V_ERR_CERT_REVOKED:
        return CertificateText::tr("the certificate has been revoked");
    default:
        break;
    }
    return CertificateText::tr("the certificate was not accepted: %1")
        .arg(QString::fromLatin1(X509_verify_cert_error_string(x509Error)));
}

void timeChainValidation(SSL_CTX *context, ChainValidation *validation)
{
    SSL_CTX_set_cert_verify_callback(context, &timedVerify, validation);
}

} // namespace StreamSwarm::Agent
