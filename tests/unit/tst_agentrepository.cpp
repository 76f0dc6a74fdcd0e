// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// AgentRepository: enrollment, credentials and their rotation, revocation, the clock record, and no secret in
// plain text on disk.
#include <QSqlQuery>
#include <QTest>

#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/storage/tokenrepository.h"
#include "shared/auth/secret.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

const QString NOT_VALID_CREDENTIAL = u"The agent credential is not valid; enroll the agent again with a new token."_s;

} // namespace

class TestAgentRepository final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void enrollAndAuthenticate();
    void reenrollRekeys();
    void rotationKeepsBothUntilConfirmed();
    void revokedAgentRefused();
    void noPlaintextSecretsOnDisk();
    void recordClock();
};

void TestAgentRepository::enrollAndAuthenticate()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(credential, qPrintable(error));
    QVERIFY(credential->startsWith(u"ssa_"));
    QVERIFY(agentId > 0);

    AgentRepository agents(db);
    Protocol::EventText refusal;
    const auto presented = Auth::Secret::parse(*credential);
    QVERIFY(presented);
    QCOMPARE(presented->kind, Auth::SecretKind::AgentCredential);
    const auto agent = agents.authenticate(*presented, &refusal, &error);
    QVERIFY2(agent, qPrintable(refusal.text() + error));
    QCOMPARE(agent->id, agentId);
    QCOMPARE(agent->name, u"edge-01"_s);
    QCOMPARE(agent->host, u"host-1"_s);
    QCOMPARE(agent->os, u"Debian GNU/Linux 12"_s);
    QCOMPARE(agent->version, u"0.1.0"_s);
    QCOMPARE(agent->capabilities, (QStringList{u"ping"_s, u"dns"_s}));
    QCOMPARE(agent->enrolledAtMs, qint64(1000));
    QCOMPARE(agent->lastSeenMs, qint64(1000));
    QVERIFY(agent->online);
    QVERIFY(!agent->revoked);
    QCOMPARE(agent->lastSeq, qint64(0));

    auto wrongSecret = *presented;
    wrongSecret.secret[5] = wrongSecret.secret.at(5) == 'x' ? 'y' : 'x';
    QVERIFY(!agents.authenticate(wrongSecret, &refusal, &error));
    QCOMPARE(refusal.text(), NOT_VALID_CREDENTIAL);

    auto unknownLookup = *presented;
    unknownLookup.lookupId = u"0000000000000000"_s;
    refusal = {};
    QVERIFY(!agents.authenticate(unknownLookup, &refusal, &error));
    QCOMPARE(refusal.text(), NOT_VALID_CREDENTIAL);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestAgentRepository::reenrollRekeys()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 firstId = 0;
    qint64 secondId = 0;
    const auto oldCredential = enroll(db, u"edge-01"_s, &firstId, &error);
    QVERIFY2(oldCredential, qPrintable(error));
    AgentRepository agents(db);

    // Any token holder asking for the name of an enrolled agent is refused: no takeover.
    QVERIFY(db.beginWrite(&error));
    Protocol::EventText refusal;
    QVERIFY(!agents.enroll(agentInfo(u"edge-01"_s, u"intruder"_s), 0, 2000, &secondId, &error, &refusal));
    db.rollback();
    QVERIFY2(refusal.text().contains(u"already enrolled"_s) && refusal.text().contains(u"--replace edge-01"_s),
        qPrintable(refusal.text()));
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*oldCredential), &refusal, &error));

    // A rotation was pending when the agent was revoked; enrolled again, it is a new identity and
    // neither the old credential nor the pending one opens the door.
    QVERIFY(agents.prepareRekey(firstId, &error));
    QVERIFY(agents.revoke(u"edge-01"_s, nullptr, &error));
    QSqlQuery pending(db.connection());
    QVERIFY(pending.exec(u"SELECT next_credential_id FROM agents"_s) && pending.next());
    QVERIFY(!pending.value(0).isNull());
    pending.finish();
    const auto newCredential = enroll(db, u"edge-01"_s, &secondId, &error, u"reinstalled"_s);
    QVERIFY2(newCredential, qPrintable(error));
    QCOMPARE(secondId, firstId);
    QVERIFY(*oldCredential != *newCredential);
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*oldCredential), &refusal, &error));
    QCOMPARE(refusal.text(), NOT_VALID_CREDENTIAL);
    QVERIFY(pending.exec(u"SELECT next_credential_id FROM agents"_s) && pending.next());
    QVERIFY(pending.value(0).isNull());
    pending.finish();
    const auto agent = agents.authenticate(*Auth::Secret::parse(*newCredential), &refusal, &error);
    QVERIFY2(agent, qPrintable(refusal.text()));
    QCOMPARE(agent->id, firstId);
    QCOMPARE(agent->host, u"reinstalled"_s);

    // A token made to replace the agent moves it to a new host on purpose, whatever name it asks for.
    qint64 movedId = 0;
    QVERIFY(db.beginWrite(&error));
    const auto movedCredential
        = agents.enroll(agentInfo(u"new-host"_s, u"new-host"_s), 0, 3000, &movedId, &error, &refusal, firstId);
    QVERIFY2(movedCredential, qPrintable(error + refusal.text()));
    QVERIFY(db.commit(&error));
    QCOMPARE(movedId, firstId);
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*newCredential), &refusal, &error));
    const auto moved = agents.authenticate(*Auth::Secret::parse(*movedCredential), &refusal, &error);
    QVERIFY2(moved, qPrintable(refusal.text()));
    QCOMPARE(moved->name, u"edge-01"_s);
    QCOMPARE(moved->host, u"new-host"_s);
    QCOMPARE(agents.list(&error)->size(), 1);
}

void TestAgentRepository::rotationKeepsBothUntilConfirmed()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto current = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(current, qPrintable(error));
    AgentRepository agents(db);
    Protocol::EventText refusal;

    qint64 requestedId = 0;
    QVERIFY2(agents.requestRekey(u"edge-01"_s, &requestedId, &error), qPrintable(error));
    QCOMPARE(requestedId, agentId);
    QVERIFY(agents.findById(agentId, &error)->rekeyRequested);
    QVERIFY(!agents.requestRekey(u"ghost"_s, nullptr, &error));

    // Issued but not confirmed: both work, so a lost message never locks the agent out.
    const auto next = agents.prepareRekey(agentId, &error);
    QVERIFY2(next && next->startsWith(u"ssa_"_s), qPrintable(error));
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*current), &refusal, &error));

    // Confirmed: only the new one works, and the request is done.
    QVERIFY2(agents.completeRekey(agentId, &error), qPrintable(error));
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*current), &refusal, &error));
    QCOMPARE(refusal.text(), NOT_VALID_CREDENTIAL);
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*next), &refusal, &error));
    QVERIFY(!agents.findById(agentId, &error)->rekeyRequested);

    // A confirmation that never arrived: signing in with the next credential completes the swap.
    const auto third = agents.prepareRekey(agentId, &error);
    QVERIFY(third);
    QVERIFY(agents.authenticate(*Auth::Secret::parse(*third), &refusal, &error));
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*next), &refusal, &error));
    QCOMPARE(refusal.text(), NOT_VALID_CREDENTIAL);

    // A revoked agent gets no new credential.
    QVERIFY(agents.revoke(u"edge-01"_s, nullptr, &error));
    QVERIFY(!agents.prepareRekey(agentId, &error));
}

void TestAgentRepository::revokedAgentRefused()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(credential, qPrintable(error));

    AgentRepository agents(db);
    qint64 revokedId = 0;
    QVERIFY2(agents.revoke(u"edge-01"_s, &revokedId, &error), qPrintable(error));
    QCOMPARE(revokedId, agentId);
    QVERIFY(agents.findByName(u"edge-01"_s, &error)->revoked);

    Protocol::EventText refusal;
    QVERIFY(!agents.authenticate(*Auth::Secret::parse(*credential), &refusal, &error));
    QCOMPARE(refusal.text(), u"This agent was revoked in the console."_s);

    error.clear();
    QVERIFY(!agents.revoke(u"edge-01"_s, nullptr, &error));
    QCOMPARE(error, u"There is no active agent named \"edge-01\"; see 'agent list'."_s);
    error.clear();
    QVERIFY(!agents.revoke(u"ghost"_s, nullptr, &error));
    QVERIFY2(error.contains(u"\"ghost\""), qPrintable(error));
}

void TestAgentRepository::noPlaintextSecretsOnDisk()
{
    if (onPostgres())
        QSKIP("Reads the SQLite file's bytes; PostgreSQL stores the same rows (hashes only).");
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    const auto token = TokenRepository(db).create(u"lab"_s, 5, 0, &error);
    qint64 agentId = 0;
    const auto credential = enroll(db, u"edge-01"_s, &agentId, &error);
    QVERIFY2(token && credential, qPrintable(error));
    const auto parsedToken = Auth::Secret::parse(*token);
    const auto parsedCredential = Auth::Secret::parse(*credential);

    const auto check = [&](const QByteArray &bytes, const char *when) {
        // The lookup ids are stored on purpose: finding them shows the search can see the rows.
        QVERIFY2(bytes.contains(parsedToken->lookupId.toUtf8()), when);
        QVERIFY2(bytes.contains(parsedCredential->lookupId.toUtf8()), when);
        QVERIFY2(!bytes.contains(parsedToken->secret), when);
        QVERIFY2(!bytes.contains(parsedCredential->secret), when);
        QVERIFY2(!bytes.contains(token->toUtf8()), when);
        QVERIFY2(!bytes.contains(credential->toUtf8()), when);
        // Nor as UTF-16, in case a driver ever stores text that way.
        const QByteArray utf16(reinterpret_cast<const char *>(QString::fromLatin1(parsedToken->secret).utf16()),
            parsedToken->secret.size() * 2);
        QVERIFY2(!bytes.contains(utf16), when);
    };
    // While open the rows sit in the write-ahead log; after closing they are checkpointed into the file.
    check(readFile(dbPath()) + readFile(dbPath() + u"-wal"_s), "while open");
    if (QTest::currentTestFailed())
        return;
    db.close();
    check(readFile(dbPath()) + readFile(dbPath() + u"-wal"_s), "after close");
}

void TestAgentRepository::recordClock()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0, beta = 0, wan = 0, lan = 0;
    QVERIFY2(seed(db, &alpha, &beta, &wan, &lan, &error), qPrintable(error));
    AgentRepository agents(db);

    auto agent = agents.findById(alpha, &error);
    QVERIFY2(agent, qPrintable(error));
    QVERIFY(!agent->clockOffsetMs); // unknown until the first pong
    QCOMPARE(agent->clockErrorMs, qint64(0));
    QVERIFY(!agent->clockSkewed());

    QVERIFY2(agents.recordClock(alpha, -1234, 15, 9000, &error), qPrintable(error));
    agent = agents.findById(alpha, &error);
    QCOMPARE(agent->clockOffsetMs, std::optional<qint64>(-1234));
    QCOMPARE(agent->clockErrorMs, qint64(15));
    QVERIFY(agent->clockSkewed());
    QCOMPARE(column(db, u"SELECT clock_checked_at FROM agents WHERE id = %1"_s.arg(alpha)), QStringList{u"9000"_s});
    // The other reads carry it too; other agents are untouched.
    QCOMPARE(agents.findByName(u"alpha"_s, &error)->clockOffsetMs, std::optional<qint64>(-1234));
    const auto list = agents.list(&error);
    QVERIFY2(list, qPrintable(error));
    for (const AgentRecord &listed : *list)
        QCOMPARE(listed.clockOffsetMs, listed.id == alpha ? std::optional<qint64>(-1234) : std::nullopt);
    QVERIFY(!agents.findById(beta, &error)->clockOffsetMs);

    // In step is a measurement too (0, not unknown), and replaces the last one.
    QVERIFY2(agents.recordClock(alpha, 0, 3, 9500, &error), qPrintable(error));
    agent = agents.findById(alpha, &error);
    QCOMPARE(agent->clockOffsetMs, std::optional<qint64>(0));
    QCOMPARE(agent->clockErrorMs, qint64(3));
    QVERIFY(!agent->clockSkewed());
    QCOMPARE(column(db, u"SELECT clock_checked_at FROM agents WHERE id = %1"_s.arg(alpha)), QStringList{u"9500"_s});

    // Large offsets survive the round trip whole.
    QVERIFY2(agents.recordClock(beta, 86'400'000'123, 1, 9600, &error), qPrintable(error));
    QCOMPARE(agents.findById(beta, &error)->clockOffsetMs, std::optional<qint64>(86'400'000'123));
}

QTEST_GUILESS_MAIN(TestAgentRepository)
#include "tst_agentrepository.moc"
