// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "console/server/certificatestore.h"
#include "shared/util/fingerprint.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;

// The console's TLS identity: made once, kept, reloaded unchanged, and refused when it is broken.
class TestCertificateStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void createsOnceAndReloadsTheSame();
    void fingerprintMatchesOpenSsl();
    void refusesHalfAPair();
    void loadsTheUsersOwnFiles();
    void refusesAKeyOfAnotherCertificate();
    void refusesGarbage();
    void fingerprintText_data();
    void fingerprintText();

private:
    QTemporaryDir m_dir;
};

void TestCertificateStore::createsOnceAndReloadsTheSame()
{
    const QString dir = m_dir.filePath(u"console"_s);
    CertificateStore first;
    QString error;
    QVERIFY2(first.loadOrCreate(dir, &error), qPrintable(error));
    QVERIFY(!first.certificate().isNull());
    QCOMPARE(QFile::permissions(dir + u"/console-key.pem"_s) & 0x0077, QFile::Permissions());
    QVERIFY(first.fingerprint().startsWith(u"sha256:"_s));
    QCOMPARE(first.fingerprint().size(), 7 + 32 * 3 - 1);

    CertificateStore second;
    QVERIFY2(second.loadOrCreate(dir, &error), qPrintable(error));
    QCOMPARE(second.fingerprint(), first.fingerprint());
    const QSslConfiguration server = second.serverConfiguration();
    QCOMPARE(server.localCertificate(), first.certificate());
    QVERIFY(!server.privateKey().isNull());

    CertificateStore elsewhere;
    QVERIFY(elsewhere.loadOrCreate(m_dir.filePath(u"other"_s), &error));
    QVERIFY(elsewhere.fingerprint() != first.fingerprint());
}

void TestCertificateStore::fingerprintMatchesOpenSsl()
{
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("the openssl program is not installed");
    CertificateStore store;
    QString error;
    QVERIFY(store.loadOrCreate(m_dir.filePath(u"console"_s), &error));
    QProcess process;
    process.start(openssl,
        {u"x509"_s, u"-noout"_s, u"-fingerprint"_s, u"-sha256"_s, u"-in"_s,
            m_dir.filePath(u"console/console-cert.pem"_s)});
    QVERIFY(process.waitForFinished(10000));
    // "sha256 Fingerprint=DB:37:..." from OpenSSL itself, the known truth.
    const QString theirs = QString::fromLatin1(process.readAllStandardOutput()).section(u'=', 1).trimmed().toLower();
    QCOMPARE(store.fingerprint(), u"sha256:"_s + theirs);
}

void TestCertificateStore::refusesHalfAPair()
{
    const QString dir = m_dir.filePath(u"half"_s);
    CertificateStore store;
    QString error;
    QVERIFY(store.loadOrCreate(dir, &error));
    QVERIFY(QFile::remove(dir + u"/console-key.pem"_s));
    CertificateStore again;
    QVERIFY(!again.loadOrCreate(dir, &error));
    QVERIFY2(error.contains(u"console-key.pem"_s) && error.contains(u"console-cert.pem"_s), qPrintable(error));
    QVERIFY(!QFile::exists(dir + u"/console-key.pem"_s)); // nothing made behind the user's back
}

void TestCertificateStore::loadsTheUsersOwnFiles()
{
    CertificateStore made;
    QString error;
    QVERIFY(made.loadOrCreate(m_dir.filePath(u"own"_s), &error));
    CertificateStore store;
    QVERIFY2(
        store.loadFiles(m_dir.filePath(u"own/console-cert.pem"_s), m_dir.filePath(u"own/console-key.pem"_s), &error),
        qPrintable(error));
    QCOMPARE(store.fingerprint(), made.fingerprint());
}

void TestCertificateStore::refusesAKeyOfAnotherCertificate()
{
    CertificateStore a;
    CertificateStore b;
    QString error;
    QVERIFY(a.loadOrCreate(m_dir.filePath(u"a"_s), &error));
    QVERIFY(b.loadOrCreate(m_dir.filePath(u"b"_s), &error));
    CertificateStore mixed;
    QVERIFY(!mixed.loadFiles(m_dir.filePath(u"a/console-cert.pem"_s), m_dir.filePath(u"b/console-key.pem"_s), &error));
    QVERIFY2(error.contains(u"does not belong"_s), qPrintable(error));
}

void TestCertificateStore::refusesGarbage()
{
    QFile garbage(m_dir.filePath(u"garbage.pem"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    garbage.close();
    CertificateStore store;
    QString error;
    QVERIFY(!store.loadFiles(garbage.fileName(), garbage.fileName(), &error));
    QVERIFY2(error.contains(u"garbage.pem"_s), qPrintable(error));
    QVERIFY(!store.loadFiles(m_dir.filePath(u"missing.pem"_s), garbage.fileName(), &error));
    QVERIFY2(error.contains(u"missing.pem"_s), qPrintable(error));
}

void TestCertificateStore::fingerprintText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    const QString hex = u"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"_s;
    QTest::newRow("formatted") << formatFingerprint(QByteArray::fromHex(hex.toLatin1())) << true;
    QTest::newRow("plain hex") << hex << true;
    QTest::newRow("upper case, colons") << QString::fromLatin1(QByteArray::fromHex(hex.toLatin1()).toHex(':')).toUpper()
                                        << true;
    QTest::newRow("SHA256 prefix, spaces")
        << u"SHA256: "_s + QString::fromLatin1(QByteArray::fromHex(hex.toLatin1()).toHex(' ')) << true;
    QTest::newRow("one byte short") << hex.left(62) << false;
    QTest::newRow("one byte long") << hex + u"00"_s << false;
    QTest::newRow("not hex") << QString(hex).replace(0, 1, u"g"_s) << false;
    QTest::newRow("empty") << QString() << false;
}

void TestCertificateStore::fingerprintText()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto parsed = parseFingerprint(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->toHex(), QByteArray("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
        QCOMPARE(parseFingerprint(formatFingerprint(*parsed)), parsed);
    }
}

QTEST_GUILESS_MAIN(TestCertificateStore)
#include "tst_certificatestore.moc"
