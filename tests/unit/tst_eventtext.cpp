// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QRegularExpression>
#include <QTest>

#include "shared/protocol/eventtext.h"
#include "shared/protocol/messages.h"
#include "tests/support/shoutingtranslator.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Protocol;
using StreamSwarm::Test::ShoutingTranslator;

// The table of event sentences and how a code and its values become a sentence.
class TestEventText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCodeRendersWithItsValues();
    void valuesFillOnePass();
    void nestedSentences();
    void translatedWhenShown();
    void unknownOrIllFittingFallsBack();
    void storedFormRoundTrips();
    void eventShowsCodedOrMessage();
};

// Every sentence of the table fills in with as many values as it has placeholders, and needs all.
void TestEventText::everyCodeRendersWithItsValues()
{
    QVERIFY(EventText::codes().size() > 30);
    // A code used twice would give its events the first one's sentence (and its number of values).
    const QStringList codes = EventText::codes();
    for (const QString &code : codes)
        QVERIFY2(codes.count(code) == 1, qPrintable(code + u" is in the table more than once"_s));
    for (const QString &code : EventText::codes()) {
        QVERIFY(EventText::isKnown(code));
        int highest = 0;
        const QString source
            = EventText(code, {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s, u"f"_s, u"g"_s, u"h"_s, u"i"_s}).sourceText();
        QVERIFY2(!source.isEmpty(), qPrintable(code));
        QVERIFY2(!source.contains(u'%'), qPrintable(code + u": "_s + source));
        // Find how many values it takes from a rendering with numbered markers.
        QJsonArray markers;
        for (int i = 1; i <= EventText::MAX_ARGS; ++i)
            markers.append(u"<%1>"_s.arg(i));
        const QString marked = EventText(code, markers).sourceText();
        auto it = QRegularExpression(u"<([1-9])>"_s).globalMatch(marked);
        while (it.hasNext())
            highest = std::max(highest, it.next().captured(1).toInt());
        if (highest > 0) {
            QJsonArray fewer = markers;
            while (fewer.size() >= highest)
                fewer.removeLast();
            QVERIFY2(EventText(code, fewer).sourceText().isEmpty(), qPrintable(code));
        }
    }
    QCOMPARE(EventText(u"test-added"_s, {u"wan"_s}).sourceText(), u"Test \"wan\" added"_s);
    QCOMPARE(EventText(u"auth-lockout"_s, {u"192.0.2.7"_s, 300}).sourceText(),
        u"Too many failed sign-in attempts from 192.0.2.7; connections from it are refused for 300 s."_s);
}

void TestEventText::valuesFillOnePass()
{
    // A value that holds a placeholder itself (a name, an agent's words) is not filled in again.
    QCOMPARE(EventText(u"test-resumed"_s, {u"%2"_s, u"edge"_s, u"%1"_s}).sourceText(),
        u"Test \"%2\" runs again: its target agent \"edge\" is connected from %1."_s);
    // %1 twice.
    QCOMPARE(EventText(u"database-readable"_s, {u"/srv/s.db"_s, u"0644"_s}).sourceText(),
        u"The console's database /srv/s.db can be read by other users of this computer (mode 0644). Make it private "
        "with: chmod 600 /srv/s.db*"_s);
    // Whole numbers as digits, however JSON keeps them.
    QCOMPARE(EventText(u"results-dropped"_s, {qint64(1) << 40, 2.0}).sourceText(),
        u"The agent could not save results to its spool for a while and dropped 1099511627776 round(s) and 2 "
        "event(s)."_s);
}

void TestEventText::nestedSentences()
{
    const EventText what(u"token-revoked"_s, {u"lab"_s});
    const EventText audit(u"by-command-line"_s, {what.toJson(), u"alice"_s});
    QCOMPARE(audit.sourceText(), u"Token \"lab\" revoked (by alice on the command line)"_s);
    const EventText refused(u"agent-refused"_s,
        {u"edge"_s, u"192.0.2.7:4000"_s,
            EventText(u"name-taken"_s, {u"edge"_s, EventText(u"unknown-host"_s).toJson()}).toJson()});
    QCOMPARE(refused.sourceText(),
        u"Refused agent \"edge\" from 192.0.2.7:4000: The name \"edge\" belongs to an agent that is already enrolled "
        "(host unknown). Start this agent with another --name, or, to move that agent to this host, make a token "
        "with 'streamswarm-console token create NAME --replace edge'."_s);
    // A sentence nested deeper than anyone writes is refused, not followed for ever.
    EventText deep(u"last-saved-result"_s);
    for (int i = 0; i <= EventText::MAX_DEPTH; ++i)
        deep = EventText(u"test-added"_s, {deep.toJson()});
    QVERIFY(deep.sourceText().isEmpty());
    QCOMPARE(deep.text(u"as stored"_s), u"as stored"_s);
}

void TestEventText::translatedWhenShown()
{
    const EventText audit(u"by-console-window"_s, {EventText(u"test-added"_s, {u"wan"_s}).toJson(), u"alice"_s});
    QCOMPARE(audit.text(), u"Test \"wan\" added (by alice in the console window)"_s);
    ShoutingTranslator translator;
    QVERIFY(QCoreApplication::installTranslator(&translator));
    const QString shown = audit.text();
    const QString source = audit.sourceText();
    QCoreApplication::removeTranslator(&translator);
    // The values stay as they were; every sentence around them, the inner one too, is translated.
    QCOMPARE(shown, u"TEST \"wan\" ADDED (BY alice IN THE CONSOLE WINDOW)"_s);
    QCOMPARE(source, u"Test \"wan\" added (by alice in the console window)"_s);
}

void TestEventText::unknownOrIllFittingFallsBack()
{
    // A newer console's or agent's code: the words it stored or sent.
    QCOMPARE(EventText(u"x-future"_s, {1}).text(u"Something new happened."_s), u"Something new happened."_s);
    QVERIFY(EventText(u"x-future"_s).sourceText().isEmpty());
    // Too few values, or values of a kind no sentence takes.
    QCOMPARE(EventText(u"test-added"_s).text(u"stored"_s), u"stored"_s);
    QCOMPARE(EventText(u"test-added"_s, {true}).text(u"stored"_s), u"stored"_s);
    QCOMPARE(EventText(u"test-added"_s, QJsonArray{QJsonValue(QJsonArray{1})}).text(u"stored"_s), u"stored"_s);
    // Nothing stored either: say what is there rather than nothing.
    QCOMPARE(EventText(u"x-future"_s, {1, u"a"_s}).text(), u"x-future [1,\"a\"]"_s);
    QCOMPARE(EventText().text(u"plain"_s), u"plain"_s);
}

void TestEventText::storedFormRoundTrips()
{
    const EventText text(
        u"agent-refused"_s, {u"edge"_s, u"[::1]:5"_s, EventText(u"token-expired"_s).toJson(), 42, u"ü 目标"_s});
    QCOMPARE(text.argsJson(), u"[\"edge\",\"[::1]:5\",{\"args\":[],\"code\":\"token-expired\"},42,\"ü 目标\"]"_s);
    QCOMPARE(EventText::fromStored(text.code(), text.argsJson()), text);
    QCOMPARE(EventText::fromJson(text.toJson()), text);
    // A damaged args column: the code stays, the values are gone, the message is what shows.
    const EventText damaged = EventText::fromStored(u"test-added"_s, u"[not json"_s);
    QCOMPARE(damaged.code(), u"test-added"_s);
    QCOMPARE(damaged.text(u"Test \"wan\" added"_s), u"Test \"wan\" added"_s);
}

void TestEventText::eventShowsCodedOrMessage()
{
    const Event coded
        = Event::withText(5, u"error"_s, u"results-dropped"_s, EventText(u"results-dropped"_s, {3, 0}), 0);
    QCOMPARE(coded.message,
        u"The agent could not save results to its spool for a while and dropped 3 round(s) and 0 event(s)."_s);
    QCOMPARE(coded.text(), coded.message);
    // What agents sent before codes existed, and probe errors: their words.
    const Event plain{5, u"warning"_s, u"probe-error"_s, u"No echo replies."_s, 7};
    QVERIFY(plain.coded.isEmpty());
    QCOMPARE(plain.text(), u"No echo replies."_s);
}

QTEST_GUILESS_MAIN(TestEventText)
#include "tst_eventtext.moc"
