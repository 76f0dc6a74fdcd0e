// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// TokenRepository: enrollment tokens made, listed, revoked and consumed.
#include <QDateTime>
#include <QTest>

#include "console/storage/database.h"
#include "console/storage/tokenrepository.h"
#include "shared/auth/secret.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

class TestTokenRepository final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void tokensCreateListRevoke();
    void duplicateTokenName();
    void consumeToken_data();
    void consumeToken();
    void tokenUsedUp();
};

void TestTokenRepository::tokensCreateListRevoke()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const auto lab = tokens.create(u"lab"_s, 3, 0, &error);
    const auto ops = tokens.create(u"ops"_s, 1, 1'900'000'000'000, &error);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(lab && ops, qPrintable(error));
    QVERIFY(lab->startsWith(u"sse_"));
    QVERIFY(Auth::Secret::parse(*lab));
    QVERIFY(*lab != *ops);

    auto list = tokens.list(&error);
    QVERIFY2(list, qPrintable(error));
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).name, u"lab"_s);
    QCOMPARE(list->at(0).usesLeft, 3);
    QCOMPARE(list->at(0).expiresAtMs, qint64(0));
    QVERIFY(!list->at(0).revoked);
    QVERIFY(list->at(0).createdAtMs >= before && list->at(0).createdAtMs <= after);
    QCOMPARE(list->at(1).name, u"ops"_s);
    QCOMPARE(list->at(1).usesLeft, 1);
    QCOMPARE(list->at(1).expiresAtMs, qint64(1'900'000'000'000));

    QVERIFY2(tokens.revoke(u"lab"_s, &error), qPrintable(error));
    list = tokens.list(&error);
    QVERIFY(list->at(0).revoked);
    QVERIFY(!list->at(1).revoked);

    QVERIFY(!tokens.revoke(u"lab"_s, &error));
    QCOMPARE(error, u"There is no active token named \"lab\"; see 'token list'."_s);
    QVERIFY(!tokens.revoke(u"nope"_s, &error));
    QVERIFY2(error.contains(u"\"nope\""), qPrintable(error));
}

void TestTokenRepository::duplicateTokenName()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    QVERIFY(tokens.create(u"lab"_s, 1, 0, &error));
    QVERIFY(!tokens.create(u"lab"_s, 5, 0, &error));
    QCOMPARE(error,
        u"A token named \"lab\" exists already (names stay taken after a token is revoked); pick another name."_s);
    // Revoked names stay taken: the name identifies the token in the audit trail.
    QVERIFY(tokens.revoke(u"lab"_s, &error));
    QVERIFY(!tokens.create(u"lab"_s, 5, 0, &error));
    QCOMPARE(tokens.list(&error)->size(), 1);
}

void TestTokenRepository::consumeToken_data()
{
    QTest::addColumn<QString>("tamper"); // what to do to the good token
    QTest::addColumn<QString>("expiry"); // never, later, now or past
    QTest::addColumn<bool>("revoke");
    QTest::addColumn<QString>("refusal"); // empty = accepted

    QTest::newRow("good") << QString() << u"never"_s << false << QString();
    QTest::newRow("good, expires later") << QString() << u"later"_s << false << QString();
    QTest::newRow("wrong secret") << u"secret"_s << u"never"_s << false << u"The enrollment token is not valid."_s;
    QTest::newRow("unknown lookup id") << u"lookup"_s << u"never"_s << false << u"The enrollment token is not valid."_s;
    QTest::newRow("revoked") << QString() << u"never"_s << true << u"The enrollment token was revoked."_s;
    QTest::newRow("expired") << QString() << u"past"_s << false << u"The enrollment token has expired."_s;
    QTest::newRow("expires this very ms") << QString() << u"now"_s << false << u"The enrollment token has expired."_s;
    // A wrong secret learns nothing about the token's state.
    QTest::newRow("wrong secret, revoked")
        << u"secret"_s << u"never"_s << true << u"The enrollment token is not valid."_s;
    QTest::newRow("wrong secret, expired")
        << u"secret"_s << u"past"_s << false << u"The enrollment token is not valid."_s;
}

void TestTokenRepository::consumeToken()
{
    QFETCH(QString, tamper);
    QFETCH(QString, expiry);
    QFETCH(bool, revoke);
    QFETCH(QString, refusal);

    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    constexpr qint64 NOW = 1'795'680'000'000;
    const qint64 expiresAt = expiry == u"later" ? NOW + 60'000
        : expiry == u"now"                      ? NOW
        : expiry == u"past"                     ? NOW - 1000
                                                : 0;
    const auto text = tokens.create(u"lab"_s, 2, expiresAt, &error);
    QVERIFY2(text, qPrintable(error));
    if (revoke)
        QVERIFY(tokens.revoke(u"lab"_s, &error));
    auto presented = Auth::Secret::parse(*text);
    QVERIFY(presented);
    if (tamper == u"secret")
        presented->secret[0] = presented->secret.at(0) == 'A' ? 'B' : 'A';
    else if (tamper == u"lookup")
        presented->lookupId = u"ffffffffffffffff"_s;

    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    Protocol::EventText why;
    const auto tokenId = tokens.consume(*presented, NOW, &why, &error);
    QVERIFY2(db.commit(&error), qPrintable(error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto list = tokens.list(&error);
    if (refusal.isEmpty()) {
        QVERIFY2(tokenId, qPrintable(why.text()));
        QCOMPARE(*tokenId, list->first().id);
        QCOMPARE(list->first().usesLeft, 1);
    } else {
        QVERIFY(!tokenId);
        QCOMPARE(why.text(), refusal);
        QCOMPARE(list->first().usesLeft, 2);
    }
    QVERIFY(!why.text().contains(QString::fromLatin1(presented->secret)));
}

void TestTokenRepository::tokenUsedUp()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    const auto text = tokens.create(u"once"_s, 1, 0, &error);
    QVERIFY(text);
    const auto presented = Auth::Secret::parse(*text);
    Protocol::EventText why;
    QVERIFY(db.beginWrite(&error));
    QVERIFY2(tokens.consume(*presented, 1000, &why, &error), qPrintable(why.text()));
    QVERIFY(db.commit(&error));
    QVERIFY(db.beginWrite(&error));
    QVERIFY(!tokens.consume(*presented, 2000, &why, &error));
    QVERIFY(db.commit(&error));
    QCOMPARE(why.text(), u"The enrollment token has been used up."_s);
    QCOMPARE(tokens.list(&error)->first().usesLeft, 0);
}

QTEST_GUILESS_MAIN(TestTokenRepository)
#include "tst_tokenrepository.moc"
