// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/testcertificates.h"

using namespace Qt::StringLiterals;
using StreamSwarm::Test::CertificateRequest;
using StreamSwarm::Test::TestCertificateAuthority;

// The suite's own authority, checked by OpenSSL's command line (a peer, not our code): what it
// issues verifies against it for the names asked, and what is expired, self-signed or for another
// name does not.
class TestCertificatesTest : public QObject
{
    Q_OBJECT

private:
    // `openssl verify`'s exit code and output for the leaf, against the test CA.
    static int verify(
        const TestCertificateAuthority &ca, const QString &name, const QStringList &extra, QString *output)
    {
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(u"openssl"_s, QStringList{u"verify"_s, u"-CAfile"_s, ca.caFile()} + extra << ca.leafFile(name));
        if (!openssl.waitForFinished(10000))
            return -1;
        *output = QString::fromLocal8Bit(openssl.readAll());
        return openssl.exitCode();
    }

private Q_SLOTS:
    void issuedCertificatesVerifyForTheirNames()
    {
        QTemporaryDir directory;
        TestCertificateAuthority ca(directory.path());
        QVERIFY2(ca.isValid(), qPrintable(ca.error()));
        QString error;
        QVERIFY2(ca.issue(u"server"_s, CertificateRequest(), &error), qPrintable(error));
        QString output;
        QCOMPARE(verify(ca, u"server"_s, {u"-verify_hostname"_s, u"localhost"_s}, &output), 0);
        QCOMPARE(verify(ca, u"server"_s, {u"-verify_ip"_s, u"127.0.0.1"_s}, &output), 0);
        QVERIFY(verify(ca, u"server"_s, {u"-verify_hostname"_s, u"other.example"_s}, &output) != 0);
        QVERIFY2(output.contains(u"hostname mismatch"_s), qPrintable(output));
    }

    void expiredAndSelfSignedDoNotVerify()
    {
        QTemporaryDir directory;
        TestCertificateAuthority ca(directory.path());
        QVERIFY2(ca.isValid(), qPrintable(ca.error()));
        CertificateRequest expired;
        expired.notBeforeSeconds = -30LL * 86400;
        expired.notAfterSeconds = -3LL * 86400;
        CertificateRequest selfSigned;
        selfSigned.selfSigned = true;
        QString error;
        QVERIFY2(ca.issue(u"expired"_s, expired, &error), qPrintable(error));
        QVERIFY2(ca.issue(u"self"_s, selfSigned, &error), qPrintable(error));
        QString output;
        QVERIFY(verify(ca, u"expired"_s, {}, &output) != 0);
        QVERIFY2(output.contains(u"expired"_s), qPrintable(output));
        QVERIFY(verify(ca, u"self"_s, {}, &output) != 0);
        QVERIFY2(output.contains(u"self-signed"_s) || output.contains(u"self signed"_s), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestCertificatesTest)
#include "tst_testcertificates.moc"
