// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "agent/probes/certificatecheck.h"
#include "tests/support/testcertificates.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using StreamSwarm::Test::CertificateRequest;
using StreamSwarm::Test::TestCertificateAuthority;

namespace {

using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

CertPtr readCertificate(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return CertPtr(nullptr, &X509_free);
    const QByteArray pem = file.readAll();
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    CertPtr certificate(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr), &X509_free);
    BIO_free(bio);
    return certificate;
}

// OpenSSL's own verdict on a leaf against the test CA, for host: the X509_V_ERR code.
long verifyError(const TestCertificateAuthority &ca, X509 *leaf, const QString &host)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_load_file(store, qPrintable(ca.caFile()));
    X509_STORE_CTX *context = X509_STORE_CTX_new();
    X509_STORE_CTX_init(context, store, leaf, nullptr);
    X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(context), qPrintable(host), 0);
    X509_verify_cert(context);
    const long error = X509_STORE_CTX_get_error(context);
    X509_STORE_CTX_free(context);
    X509_STORE_free(store);
    return error;
}

} // namespace

// The certificate facts the tls and http probes report, read from certificates the suite's own
// authority made with known names and dates, and the sentences for OpenSSL's real verdicts on them.
class CertificateCheckTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_directory.isValid());
        m_ca = std::make_unique<TestCertificateAuthority>(m_directory.path());
        QVERIFY2(m_ca->isValid(), qPrintable(m_ca->error()));
    }

    void summaryNamesSubjectIssuerDatesAndAlternativeNames()
    {
        CertificateRequest request;
        request.names = {u"www.example.test"_s, u"192.0.2.7"_s};
        request.notAfterSeconds = 40LL * 86400 + 600;
        QString error;
        QVERIFY2(m_ca->issue(u"server"_s, request, &error), qPrintable(error));
        const CertPtr leaf = readCertificate(m_ca->leafFile(u"server"_s));
        QVERIFY(leaf);
        const Protocol::CertificateSummary summary = Agent::summarizeCertificate(leaf.get());
        QVERIFY2(summary.subject.contains(u"CN=www.example.test"_s), qPrintable(summary.subject));
        QVERIFY2(summary.issuer.contains(u"CN=StreamSwarm Test CA"_s), qPrintable(summary.issuer));
        QCOMPARE(summary.names, u"DNS:www.example.test,IP:192.0.2.7"_s);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(qAbs(summary.notAfterMs - (now + request.notAfterSeconds * 1000)) < 5000);
        QVERIFY(qAbs(summary.notBeforeMs - (now - 3600 * 1000)) < 5000);
        QCOMPARE(summary.sha256.size(), 64);
        QVERIFY(!summary.serial.isEmpty());
        QCOMPARE(Agent::daysUntilExpiry(leaf.get()), 40);
    }

    void expiredCertificateIsSaidInDaysAgo()
    {
        CertificateRequest request;
        request.notBeforeSeconds = -30LL * 86400;
        request.notAfterSeconds = -3LL * 86400 - 600;
        QString error;
        QVERIFY2(m_ca->issue(u"old"_s, request, &error), qPrintable(error));
        const CertPtr leaf = readCertificate(m_ca->leafFile(u"old"_s));
        const long verdict = verifyError(*m_ca, leaf.get(), u"localhost"_s);
        QCOMPARE(verdict, long(X509_V_ERR_CERT_HAS_EXPIRED));
        const QString sentence = Agent::describeVerifyError(verdict, leaf.get(), u"localhost"_s);
        QVERIFY2(sentence.startsWith(u"the certificate expired 3 days ago (on "_s), qPrintable(sentence));
        QCOMPARE(Agent::daysUntilExpiry(leaf.get()), -3);
    }

    void otherNameAndSelfSignedAreSaidPlainly()
    {
        CertificateRequest other;
        other.names = {u"other.example.test"_s};
        CertificateRequest self;
        self.selfSigned = true;
        QString error;
        QVERIFY2(m_ca->issue(u"other"_s, other, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(u"self"_s, self, &error), qPrintable(error));
        const CertPtr otherLeaf = readCertificate(m_ca->leafFile(u"other"_s));
        const long mismatch = verifyError(*m_ca, otherLeaf.get(), u"localhost"_s);
        QCOMPARE(mismatch, long(X509_V_ERR_HOSTNAME_MISMATCH));
        QCOMPARE(Agent::describeVerifyError(mismatch, otherLeaf.get(), u"localhost"_s),
            u"the certificate is for other.example.test, not localhost"_s);
        const CertPtr selfLeaf = readCertificate(m_ca->leafFile(u"self"_s));
        const long untrusted = verifyError(*m_ca, selfLeaf.get(), u"localhost"_s);
        QCOMPARE(untrusted, long(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT));
        QCOMPARE(Agent::describeVerifyError(untrusted, selfLeaf.get(), u"localhost"_s),
            u"the certificate is self-signed and not trusted"_s);
        QCOMPARE(Agent::describeVerifyError(X509_V_OK, selfLeaf.get(), u"localhost"_s), QString());
    }

private:
    QTemporaryDir m_directory;
    std::unique_ptr<TestCertificateAuthority> m_ca;
};

QTEST_GUILESS_MAIN(CertificateCheckTest)
#include "tst_certificatecheck.moc"
