// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "shared/auth/secret.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Auth;

Q_DECLARE_METATYPE(StreamSwarm::Auth::SecretKind)

namespace {

// A well-formed token: 16 hex digits of lookup id, then 43 base64url characters (32 bytes, no padding).
const QString LOOKUP = u"0123456789abcdef"_s;
const QString SECRET_43 = u"AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"_s;

QString secretOf(const QString &text)
{
    return text.section(u'_', 2);
}

} // namespace

class TestSecret : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void issueFormat_data();
    void issueFormat();
    void issuedSecretsAreDistinct();
    void verify();
    void hashIsHmacSha256();
    void parse_data();
    void parse();
    void secretWithUnderscoreAndDash();
    void constantTimeEquals_data();
    void constantTimeEquals();
};

void TestSecret::issueFormat_data()
{
    QTest::addColumn<SecretKind>("kind");
    QTest::addColumn<QString>("prefix");

    QTest::newRow("enrollment token") << SecretKind::EnrollmentToken << u"sse"_s;
    QTest::newRow("agent credential") << SecretKind::AgentCredential << u"ssa"_s;
}

void TestSecret::issueFormat()
{
    QFETCH(SecretKind, kind);
    QFETCH(QString, prefix);

    const IssuedSecret issued = Secret::issue(kind);
    static const QRegularExpression format(u"^(ss[ea])_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$"_s);
    const QRegularExpressionMatch match = format.match(issued.text);
    QVERIFY2(match.hasMatch(), qPrintable(issued.text));
    QCOMPARE(match.captured(1), prefix);
    QCOMPARE(match.captured(2), issued.lookupId);

    // 43 base64url characters carry 258 bits; they must decode to exactly 32 bytes = 256 bits.
    const auto decoded = QByteArray::fromBase64Encoding(
        match.captured(3).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(decoded.decoded.size(), 32);

    QCOMPARE(issued.salt.size(), 16);
    QCOMPARE(issued.hash.size(), 32); // SHA-256
    QVERIFY(issued.hash != decoded.decoded);
    QVERIFY(issued.hash != match.captured(3).toLatin1());
    QVERIFY(!issued.text.contains(QString::fromLatin1(issued.hash.toHex())));
}

void TestSecret::issuedSecretsAreDistinct()
{
    QSet<QString> texts;
    QSet<QString> lookups;
    QSet<QString> secrets;
    QSet<QByteArray> salts;
    QSet<QByteArray> hashes;
    constexpr int COUNT = 200;
    for (int i = 0; i < COUNT; ++i) {
        const IssuedSecret issued = Secret::issue(i % 2 ? SecretKind::AgentCredential : SecretKind::EnrollmentToken);
        texts.insert(issued.text);
        lookups.insert(issued.lookupId);
        secrets.insert(secretOf(issued.text));
        salts.insert(issued.salt);
        hashes.insert(issued.hash);
    }
    QCOMPARE(texts.size(), COUNT);
    QCOMPARE(lookups.size(), COUNT);
    QCOMPARE(secrets.size(), COUNT);
    QCOMPARE(salts.size(), COUNT);
    QCOMPARE(hashes.size(), COUNT);
}

void TestSecret::verify()
{
    const IssuedSecret issued = Secret::issue(SecretKind::EnrollmentToken);
    const auto parsed = Secret::parse(issued.text);
    QVERIFY(parsed);
    QCOMPARE(parsed->kind, SecretKind::EnrollmentToken);
    QCOMPARE(parsed->lookupId, issued.lookupId);
    QCOMPARE(parsed->secret, secretOf(issued.text).toLatin1());
    QVERIFY(Secret::verify(*parsed, issued.salt, issued.hash));

    // One character of the secret changed: refused.
    QString tampered = issued.text;
    const qsizetype last = tampered.size() - 1;
    tampered[last] = tampered.at(last) == u'A' ? u'B' : u'A';
    const auto wrong = Secret::parse(tampered);
    QVERIFY(wrong);
    QVERIFY(!Secret::verify(*wrong, issued.salt, issued.hash));

    // Right secret, but another secret's salt or hash: refused.
    const IssuedSecret other = Secret::issue(SecretKind::EnrollmentToken);
    QVERIFY(!Secret::verify(*parsed, other.salt, issued.hash));
    QVERIFY(!Secret::verify(*parsed, issued.salt, other.hash));
    QVERIFY(!Secret::verify(*parsed, issued.salt, QByteArray()));
    // The stored hash itself is not a password.
    ParsedSecret hashAsSecret = *parsed;
    hashAsSecret.secret = issued.hash;
    QVERIFY(!Secret::verify(hashAsSecret, issued.salt, issued.hash));
}

void TestSecret::hashIsHmacSha256()
{
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    QCOMPARE(Secret::hash("Jefe", "what do ya want for nothing?").toHex(),
        QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

void TestSecret::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");

    const QString good = u"sse_"_s + LOOKUP + u'_' + SECRET_43;
    QTest::newRow("token") << good << true;
    QTest::newRow("credential") << u"ssa_"_s + LOOKUP + u'_' + SECRET_43 << true;
    QTest::newRow("surrounding whitespace") << u"  "_s + good + u"\n"_s << true;
    QTest::newRow("secret 40 characters") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(40) << true;
    QTest::newRow("secret 64 characters") << u"sse_"_s + LOOKUP + u'_' + QString(64, u'x') << true;

    QTest::newRow("empty") << QString() << false;
    QTest::newRow("no separators") << u"sse"_s + LOOKUP + SECRET_43 << false;
    QTest::newRow("one separator") << u"sse_"_s + LOOKUP + SECRET_43 << false;
    QTest::newRow("unknown prefix") << u"ssx_"_s + LOOKUP + u'_' + SECRET_43 << false;
    QTest::newRow("prefix in capitals") << u"SSE_"_s + LOOKUP + u'_' + SECRET_43 << false;
    QTest::newRow("empty prefix") << u"_"_s + LOOKUP + u'_' + SECRET_43 << false;
    QTest::newRow("lookup 15 digits") << u"sse_"_s + LOOKUP.left(15) + u'_' + SECRET_43 << false;
    QTest::newRow("lookup 17 digits") << u"sse_"_s + LOOKUP + u"0_"_s + SECRET_43 << false;
    QTest::newRow("lookup upper-case hex") << u"sse_0123456789ABCDEF_"_s + SECRET_43 << false;
    QTest::newRow("lookup not hex") << u"sse_0123456789abcdeg_"_s + SECRET_43 << false;
    QTest::newRow("lookup with dash") << u"sse_01234567-9abcdef_"_s + SECRET_43 << false;
    QTest::newRow("secret 39 characters") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(39) << false;
    QTest::newRow("secret 65 characters") << u"sse_"_s + LOOKUP + u'_' + QString(65, u'x') << false;
    QTest::newRow("secret with plus") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(42) + u'+' << false;
    QTest::newRow("secret with slash") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(42) + u'/' << false;
    QTest::newRow("secret with padding") << u"sse_"_s + LOOKUP + u'_' + SECRET_43 + u'=' << false;
    QTest::newRow("secret with space") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(20) + u' ' + SECRET_43.left(22)
                                       << false;
    QTest::newRow("secret with unicode") << u"sse_"_s + LOOKUP + u'_' + SECRET_43.left(42) + u'ä' << false;
    QTest::newRow("secret empty") << u"sse_"_s + LOOKUP + u'_' << false;
}

void TestSecret::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);

    const auto parsed = Secret::parse(text);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(parsed->lookupId, LOOKUP);
    QCOMPARE(
        parsed->kind, text.trimmed().startsWith(u"sse") ? SecretKind::EnrollmentToken : SecretKind::AgentCredential);
    QCOMPARE(QString::fromLatin1(parsed->secret), secretOf(text.trimmed()));
}

void TestSecret::secretWithUnderscoreAndDash()
{
    // Regression: base64url secrets contain '_' and '-'; only the first two '_' separate the parts.
    const QString secret = u"_b_cd-ef_gh--ij__kl_mnopqrstuvwxyz012345678"_s;
    QCOMPARE(secret.size(), 43);
    const auto parsed = Secret::parse(QString(u"ssa_"_s + LOOKUP + u'_' + secret));
    QVERIFY(parsed);
    QCOMPARE(parsed->kind, SecretKind::AgentCredential);
    QCOMPARE(parsed->lookupId, LOOKUP);
    QCOMPARE(parsed->secret, secret.toLatin1());

    // And such a secret verifies against the hash of exactly that text.
    const QByteArray salt("0123456789abcdef");
    QVERIFY(Secret::verify(*parsed, salt, Secret::hash(salt, secret.toLatin1())));
    QVERIFY(!Secret::verify(*parsed, salt, Secret::hash(salt, secret.mid(1).toLatin1())));

    // Issued secrets with '_' or '-' in them parse back whole: issue until both characters were seen.
    bool sawUnderscore = false;
    bool sawDash = false;
    for (int i = 0; i < 2000 && !(sawUnderscore && sawDash); ++i) {
        const IssuedSecret issued = Secret::issue(SecretKind::AgentCredential);
        const QString issuedSecret = secretOf(issued.text);
        const auto back = Secret::parse(issued.text);
        QVERIFY2(back, qPrintable(issued.text));
        QCOMPARE(back->secret, issuedSecret.toLatin1());
        QVERIFY(Secret::verify(*back, issued.salt, issued.hash));
        sawUnderscore = sawUnderscore || issuedSecret.contains(u'_');
        sawDash = sawDash || issuedSecret.contains(u'-');
    }
    QVERIFY(sawUnderscore);
    QVERIFY(sawDash);
}

void TestSecret::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("last byte differs") << QByteArray("abcdef") << QByteArray("abcdeg") << false;
    QTest::newRow("first byte differs") << QByteArray("abcdef") << QByteArray("Abcdef") << false;
    QTest::newRow("one bit differs") << QByteArray("\x01", 1) << QByteArray("\x03", 1) << false;
    QTest::newRow("high bit differs") << QByteArray("\x80", 1) << QByteArray("\x00", 1) << false;
    QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcd") << false;
    QTest::newRow("longer first") << QByteArray("abcd") << QByteArray("abc") << false;
    QTest::newRow("empty and one zero byte") << QByteArray() << QByteArray("\0", 1) << false;
    QTest::newRow("embedded zero") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestSecret::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(Secret::constantTimeEquals(a, b), equal);
}

QTEST_APPLESS_MAIN(TestSecret)

#include "tst_secret.moc"
