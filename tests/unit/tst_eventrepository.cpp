// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// EventRepository: the console's events stored as a code and values and translated when read; what agents and
// older consoles wrote (text only) shown as it was written.
#include <QCoreApplication>
#include <QTest>

#include "console/storage/database.h"
#include "console/storage/eventrepository.h"
#include "tests/support/shoutingtranslator.h"
#include "tests/unit/storagefixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using namespace StreamSwarm::Test;

namespace {

// The newest events, newest first, as a reader in the shouting language sees them.
QStringList shownShouting(Database &db)
{
    ShoutingTranslator translator;
    QCoreApplication::installTranslator(&translator);
    QString error;
    const auto events = EventRepository(db).recent(100, &error);
    QStringList shown;
    for (const EventRecord &event : events.value_or(QList<EventRecord>()))
        shown.append(event.kind + u": "_s + event.text());
    QCoreApplication::removeTranslator(&translator);
    if (!events)
        return {u"ERROR: "_s + error};
    return shown;
}

} // namespace

class TestEventRepository final : public StorageTestCase
{
    Q_OBJECT
private Q_SLOTS:
    void consoleEventsStoredAsCodeAndValues();
    void textOnlyRowsShowTheirText();
    void agentEventsKeepTheirWordsAndCode();
    void eventsAreFoundByTimeKindAgentLevelAndText();
};

void TestEventRepository::consoleEventsStoredAsCodeAndValues()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    QVERIFY2(enroll(db, u"alpha"_s, &alpha, &error), qPrintable(error));
    EventRepository events(db);
    const Protocol::EventText online(u"agent-online"_s, {u"alpha.lab"_s});
    QVERIFY2(events.add(1000, u"info"_s, u"agent-online"_s, alpha, 0, online, &error), qPrintable(error));
    const Protocol::EventText added(u"test-added"_s, {u"wan"_s});
    QVERIFY2(events.audit(u"test-added"_s, Protocol::EventText(u"by-command-line"_s, {added.toJson(), u"alice"_s}), 0,
                 0, &error),
        qPrintable(error));

    // Stored: the code and its values, and the sentence untranslated beside them for plain SQL readers.
    QCOMPARE(column(db, u"SELECT kind, code, args, message FROM events ORDER BY id"_s),
        (QStringList{u"agent-online|agent-online|[\"alpha.lab\"]|Agent connected from alpha.lab."_s,
            u"test-added|by-command-line|[{\"args\":[\"wan\"],\"code\":\"test-added\"},\"alice\"]|"
            "Test \"wan\" added (by alice on the command line)"_s}));

    const auto read = events.recent(10, &error);
    QVERIFY2(read && read->size() == 2, qPrintable(error));
    QCOMPARE(read->at(1).coded, online);
    QCOMPARE(read->at(1).agentName, u"alpha"_s);
    QCOMPARE(read->at(1).text(), u"Agent connected from alpha.lab."_s);
    // Read in another language: translated when shown, the values as they were.
    QCOMPARE(shownShouting(db),
        (QStringList{u"test-added: TEST \"wan\" ADDED (BY alice ON THE COMMAND LINE)"_s,
            u"agent-online: AGENT CONNECTED FROM alpha.lab."_s}));
}

void TestEventRepository::textOnlyRowsShowTheirText()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    QVERIFY2(enroll(db, u"alpha"_s, &alpha, &error), qPrintable(error));
    // As consoles before codes wrote every event, and as this one writes probe errors.
    QVERIFY2(db.exec(u"INSERT INTO events (t, level, kind, agent_id, message) "
                     "VALUES (900, 'info', 'agent-online', %1, 'Agent connected from old.lab.')"_s.arg(alpha),
                 &error),
        qPrintable(error));
    QVERIFY2(EventRepository(db).add(
                 alpha, {1000, u"warning"_s, u"probe-error"_s, u"No echo replies from 192.0.2.1."_s, 0}, &error),
        qPrintable(error));
    QCOMPARE(column(db, u"SELECT COUNT(*) FROM events WHERE code IS NULL AND args IS NULL"_s), QStringList{u"2"_s});
    const auto read = EventRepository(db).recent(10, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(read->at(0).coded.isEmpty() && read->at(1).coded.isEmpty());
    QCOMPARE(shownShouting(db),
        (QStringList{
            u"probe-error: No echo replies from 192.0.2.1."_s, u"agent-online: Agent connected from old.lab."_s}));
}

void TestEventRepository::agentEventsKeepTheirWordsAndCode()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    QVERIFY2(enroll(db, u"alpha"_s, &alpha, &error), qPrintable(error));
    EventRepository events(db);
    // A newer agent: its message in its own language, and the code that this console translates.
    Protocol::Event dropped = Protocol::Event::withText(
        1000, u"error"_s, u"results-dropped"_s, Protocol::EventText(u"results-dropped"_s, {4, 1}));
    dropped.message = u"Der Agent hat 4 Runden und 1 Ereignis verworfen."_s;
    QVERIFY2(events.add(alpha, dropped, &error), qPrintable(error));
    // An agent newer than this console: a code it does not know shows the agent's words.
    const Protocol::Event future{
        2000, u"info"_s, u"x-future"_s, u"Something new."_s, 0, Protocol::EventText(u"x-future"_s, {1})};
    QVERIFY2(events.add(alpha, future, &error), qPrintable(error));

    QCOMPARE(column(db, u"SELECT code, args, message FROM events ORDER BY id"_s),
        (QStringList{u"results-dropped|[4,1]|Der Agent hat 4 Runden und 1 Ereignis verworfen."_s,
            u"x-future|[1]|Something new."_s}));
    QCOMPARE(shownShouting(db),
        (QStringList{u"x-future: Something new."_s,
            u"results-dropped: THE AGENT COULD NOT SAVE RESULTS TO ITS SPOOL FOR A WHILE AND DROPPED 4 ROUND(S) AND 1 "
            "EVENT(S)."_s}));
}

void TestEventRepository::eventsAreFoundByTimeKindAgentLevelAndText()
{
    Database db;
    QString error;
    QVERIFY2(db.open(url(), u"main"_s, &error), qPrintable(error));
    qint64 alpha = 0;
    qint64 beta = 0;
    QVERIFY2(enroll(db, u"alpha"_s, &alpha, &error) && enroll(db, u"beta"_s, &beta, &error), qPrintable(error));
    EventRepository events(db);
    QVERIFY(events.add(1000, u"info"_s, u"agent-online"_s, alpha, 0,
        Protocol::EventText(u"agent-online"_s, {u"alpha.lab"_s}), &error));
    QVERIFY(events.add(2000, u"error"_s, u"alert-fired"_s, beta, 0,
        Protocol::EventText(u"alert-fired"_s, {u"wan_loss"_s, u"ping.loss_pct above 20"_s, u"beta"_s, u"50"_s}),
        &error));
    QVERIFY(events.add(3000, u"info"_s, u"alert-cleared"_s, beta, 0,
        Protocol::EventText(u"alert-cleared"_s, {u"wan_loss"_s}), &error));
    QVERIFY(events.add(
        4000, u"info"_s, u"agent-online"_s, beta, 0, Protocol::EventText(u"agent-online"_s, {u"100% beta"_s}), &error));
    const auto found = [&](const EventQuery &query) {
        QStringList kinds;
        const auto read = events.find(query, &error);
        if (!read)
            return QStringList{u"ERROR "_s + error};
        for (const EventRecord &event : *read)
            kinds.append(u"%1:%2"_s.arg(event.timeMs).arg(event.kind));
        return kinds;
    };
    EventQuery all;
    QCOMPARE(found(all),
        (QStringList{u"4000:agent-online"_s, u"3000:alert-cleared"_s, u"2000:alert-fired"_s, u"1000:agent-online"_s}));
    EventQuery query;
    query.kinds = {u"alert-fired"_s, u"alert-cleared"_s};
    QCOMPARE(found(query), (QStringList{u"3000:alert-cleared"_s, u"2000:alert-fired"_s}));
    query = {};
    query.agentName = u"alpha"_s;
    QCOMPARE(found(query), QStringList{u"1000:agent-online"_s});
    query = {};
    query.level = u"error"_s;
    QCOMPARE(found(query), QStringList{u"2000:alert-fired"_s});
    query = {};
    query.fromMs = 2000;
    query.toMs = 4000;
    QCOMPARE(found(query), (QStringList{u"3000:alert-cleared"_s, u"2000:alert-fired"_s}));
    query = {};
    query.limit = 1;
    QCOMPARE(found(query), QStringList{u"4000:agent-online"_s});
    // Any case; '_' and '%' are letters here, not wildcards.
    query = {};
    query.text = u"WAN_LOSS"_s;
    QCOMPARE(found(query), (QStringList{u"3000:alert-cleared"_s, u"2000:alert-fired"_s}));
    query.text = u"wan%loss"_s;
    QCOMPARE(found(query), QStringList{});
    query.text = u"100%"_s;
    QCOMPARE(found(query), QStringList{u"4000:agent-online"_s});
}

QTEST_GUILESS_MAIN(TestEventRepository)
#include "tst_eventrepository.moc"
