// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// Translations can work: lupdate finds the user-visible strings of agent/, console/ and shared/ without a
// warning, each under the context the code looks it up in; and a translation made from lupdate's output (every
// message wrapped in ‹›) reaches the messages at run time, so nothing is looked up under a context lupdate
// does not know.
#include <cerrno>

#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include "agent/platform/linux/hardwarestamping.h"
#include "agent/platform/packetio.h"
#include "agent/probes/ping/pingstatistics.h"
#include "console/app/operations.h"
#include "console/cli/cli.h"
#include "console/cli/serveroptions.h"
#include "console/server/certificatestore.h"
#include "console/storage/database.h"
#include "console/storage/tokenrepository.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/eventtext.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

namespace {

const QString OPEN = u"‹"_s;
const QString CLOSE = u"›"_s;

QString pseudo(const QString &source)
{
    return OPEN + source + CLOSE;
}

// lupdate and lrelease of the Qt this test is built with (Debian: qt6-l10n-tools), not qtchooser's.
QString qtTool(const QString &name)
{
    const QByteArray variable = "STREAMSWARM_" + name.toUpper().toLatin1();
    const QString overridden = qEnvironmentVariable(variable.constData());
    const QString path
        = overridden.isEmpty() ? QLibraryInfo::path(QLibraryInfo::BinariesPath) + u'/' + name : overridden;
    return QFile::exists(path) ? path : QString();
}

// Runs a tool; its exit code, and stdout and stderr together in output.
int run(const QString &program, const QStringList &arguments, const QString &folder, QString *output)
{
    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(120000))
        return -1;
    *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void lupdateWarnsOfNothing();
    void messagesFoundInTheirContext_data();
    void messagesFoundInTheirContext();
    void translationReachesTheMessages();
    void descriptorsCatalogAndCommandsTranslated();
    void eventsTranslatedWhenShown();
    void germanIsCompleteAndCurrent();
    void germanIsBuiltIn();

private:
    QTemporaryDir m_dir;
    QString m_lupdateOutput;
    QHash<QString, QSet<QString>> m_sources; // context -> source texts
    QTranslator m_translator;
    bool m_installed = false;
};

void TestTranslations::initTestCase()
{
    const QString source = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    if (source.isEmpty())
        QSKIP("STREAMSWARM_SOURCE_DIR is not set (run through ctest)");
    const QString lupdate = qtTool(u"lupdate"_s);
    const QString lrelease = qtTool(u"lrelease"_s);
    if (lupdate.isEmpty() || lrelease.isEmpty()) {
        QSKIP(qPrintable(u"lupdate or lrelease is not installed in %1 (Debian package qt6-l10n-tools; "
                         "scripts/deps test installs it)"_s.arg(QLibraryInfo::path(QLibraryInfo::BinariesPath))));
    }
    QVERIFY(m_dir.isValid());
    // As the update_translations target runs it: includes from the repository root, so that a class named
    // in another file is found and its context is the one the code uses.
    const QString ts = m_dir.filePath(u"streamswarm.ts"_s);
    const int code = run(lupdate,
        {u"-I"_s, source, u"-target-language"_s, u"en"_s, u"-locations"_s, u"none"_s, u"agent"_s, u"console"_s,
            u"shared"_s, u"-ts"_s, ts},
        source, &m_lupdateOutput);
    QVERIFY2(code == 0, qPrintable(m_lupdateOutput));

    QFile file(ts);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    QString xml = QString::fromUtf8(file.readAll());
    QXmlStreamReader reader(xml);
    QString context;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && reader.name() == u"name")
            context = reader.readElementText();
        else if (reader.isStartElement() && reader.name() == u"source")
            m_sources[context].insert(reader.readElementText());
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));

    // The pseudo-translation: every message, plural ones in both English forms, wrapped in ‹›.
    static const QRegularExpression message(
        u"<message( numerus=\"yes\")?>.*?</message>"_s, QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression sourceText(
        u"<source>(.*?)</source>"_s, QRegularExpression::DotMatchesEverythingOption);
    QString translated;
    qsizetype from = 0;
    for (auto it = message.globalMatch(xml); it.hasNext();) {
        const auto match = it.next();
        QString block = match.captured(0);
        const QString text = OPEN + sourceText.match(block).captured(1) + CLOSE;
        block.replace(u"<translation type=\"unfinished\">"_s, u"<translation>"_s);
        block.replace(u"<translation></translation>"_s, u"<translation>"_s + text + u"</translation>"_s);
        block.replace(u"<numerusform></numerusform>"_s, u"<numerusform>"_s + text + u"</numerusform>"_s);
        translated += xml.mid(from, match.capturedStart() - from) + block;
        from = match.capturedEnd();
    }
    translated += xml.mid(from);
    const QString pseudoTs = m_dir.filePath(u"pseudo.ts"_s);
    QFile out(pseudoTs);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(translated.toUtf8());
    out.close();
    const QString qm = m_dir.filePath(u"pseudo.qm"_s);
    QString releaseOutput;
    QVERIFY2(run(lrelease, {pseudoTs, u"-qm"_s, qm}, m_dir.path(), &releaseOutput) == 0, qPrintable(releaseOutput));
    QVERIFY2(m_translator.load(qm), qPrintable(releaseOutput));
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
    m_installed = true;
}

void TestTranslations::cleanupTestCase()
{
    if (m_installed)
        QCoreApplication::removeTranslator(&m_translator);
}

// "Cannot invoke tr() from non-QObject context", "Qualifying with unknown namespace/class", "Class 'X' lacks
// Q_OBJECT macro": each means a message is missing or filed under a context nobody looks it up in.
void TestTranslations::lupdateWarnsOfNothing()
{
    static const QRegularExpression progress(uR"(^(Scanning directory '.*'\.\.\.|Updating '.*'\.\.\.|)"
                                             uR"(\s+Found \d+ source text\(s\) \(\d+ new and \d+ already existing\)|)"
                                             uR"(\s*)$)"_s);
    QStringList warnings;
    for (const QString &line : m_lupdateOutput.split(u'\n')) {
        if (!progress.match(line).hasMatch())
            warnings.append(line);
    }
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    qInfo().noquote() << m_lupdateOutput.trimmed().split(u'\n').constLast().trimmed();
}

void TestTranslations::messagesFoundInTheirContext_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");

    const auto row = [](const char *name, const QString &context, const QString &source) {
        QTest::newRow(name) << context << source;
    };
    row("agent options", u"StreamSwarm::Agent::AgentOptions"_s, u"Cannot read the token file %1: %2"_s);
    row("agent hardware stamps", u"StreamSwarm::Agent::HardwareStamping"_s,
        u"There is no network interface called \"%1\" on this host."_s);
    row("agent platform", u"StreamSwarm::Agent::Platform"_s, u"The host is unreachable."_s);
    row("agent spool", u"StreamSwarm::Agent::Spool"_s, u"Cannot create the spool folder %1."_s);
    row("console storage", u"StreamSwarm::Console::Database"_s,
        u"The database address must start with sqlite: or postgresql://."_s);
    row("console storage repository", u"StreamSwarm::Console::TokenRepository"_s,
        u"There is no active token named \"%1\"; see 'token list'."_s);
    row("console cli (a command)", u"StreamSwarm::Console::Cli"_s, u"Print JSON instead of a table."_s);
    row("console cli (the command table)", u"StreamSwarm::Console::Cli"_s,
        u"Make an enrollment token for agents to join with."_s);
    row("console cli options", u"StreamSwarm::Console::ServerOptions"_s, u"Run as a collector without a window."_s);
    row("console application layer", u"StreamSwarm::Console::Operations"_s,
        u"Give a target: the host name or address to test."_s);
    row("shared validation", u"StreamSwarm::Validation"_s, u"The %1 is empty."_s);
    row("shared validation in a descriptor", u"StreamSwarm::Validation"_s, u"Give either dscp or tos, not both."_s);
    row("shared validation in the registry", u"StreamSwarm::Validation"_s, u"%1 to %2"_s);
    row("shared descriptor help", u"StreamSwarm::TestTypes"_s, u"echoes per round"_s);
    row("shared durations", u"StreamSwarm::Duration"_s,
        u"The duration is empty; write it like 500ms, 10s, 5m, 2h or 7d."_s);
    row("event sentences", u"StreamSwarm::Protocol::EventText"_s, u"Test \"%1\" added"_s);
}

void TestTranslations::messagesFoundInTheirContext()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QVERIFY2(m_sources.value(context).contains(source), qPrintable(context + u": "_s + source));
    QVERIFY(!m_sources.contains(QString())); // no message without a context
}

// One message or more from each way the code translates: its own tr() helper classes, free functions,
// Q_DECLARE_TR_FUNCTIONS classes in headers and QObjects, in the agent, the console and shared/.
void TestTranslations::translationReachesTheMessages()
{
    QString error;
    QVERIFY(!parseDurationMs(u"", &error));
    QCOMPARE(error, pseudo(u"The duration is empty; write it like 500ms, 10s, 5m, 2h or 7d."_s));
    QVERIFY(!Validation::checkName(u"test name"_s, QString(), &error));
    QCOMPARE(error, pseudo(u"The test name is empty."_s));
    Protocol::TestSpec spec{
        1, u"t"_s, u"ping"_s, u"192.0.2.1"_s, 1000, 0, 0, {{u"dscp"_s, u"ef"_s}, {u"tos"_s, u"4"_s}}};
    QVERIFY(!Validation::checkTestSpec(spec, &error));
    QCOMPARE(error, pseudo(u"Give either dscp or tos, not both."_s));

    QVERIFY(!Agent::enableHardwareStamping(u"no-such-nic0"_s, &error));
    QCOMPARE(error, pseudo(u"There is no network interface called \"no-such-nic0\" on this host."_s));
    QCOMPARE(Agent::Platform::sendFailureText(EHOSTUNREACH), pseudo(u"The host is unreachable."_s));
    QVERIFY(Agent::describeIcmpError(false, 3, 1).startsWith(OPEN));

    QVERIFY(!Console::DatabaseUrl::parse(u"mysql://x"_s, &error));
    QCOMPARE(error, pseudo(u"The database address must start with sqlite: or postgresql://."_s));
    Console::Database db;
    QVERIFY2(db.open(Console::DatabaseUrl::sqliteFile(m_dir.filePath(u"t.db"_s)), u"tr"_s, &error), qPrintable(error));
    QVERIFY(!Console::TokenRepository(db).revoke(u"nope"_s, &error));
    QCOMPARE(error, pseudo(u"There is no active token named \"nope\"; see 'token list'."_s));
    QHostAddress address;
    quint16 port = 0;
    QVERIFY(!Console::parseListenAddress(u"here"_s, &address, &port, &error));
    QVERIFY2(error.startsWith(OPEN + u"--listen \"here\""_s), qPrintable(error));
    Console::CertificateStore certificates;
    QVERIFY(!certificates.load(m_dir.filePath(u"none"_s), &error));
    QVERIFY2(error.startsWith(OPEN + u"No console has been started"_s), qPrintable(error));
    QVERIFY(!Console::Operations::checkTokenRequest({u"t"_s, 0, 1000, {}}, &error));
    QVERIFY2(error.startsWith(OPEN + u"A token lets 1 to"_s), qPrintable(error));
}

// The tables of untranslated text: descriptors, the metric catalog and the commands are all marked.
void TestTranslations::descriptorsCatalogAndCommandsTranslated()
{
    QStringList missed;
    const auto check = [&](const char *untranslated, const QString &shown) {
        if (untranslated && shown != pseudo(QString::fromUtf8(untranslated)))
            missed.append(shown);
    };
    for (const TestTypes::TestType &type : TestTypes::all()) {
        check(type.summary, TestTypes::text(type.summary));
        for (const TestTypes::ParamInfo &param : type.params)
            check(param.help, TestTypes::text(param.help));
        for (const char *name : {type.chart.lineName, type.chart.bandName, type.chart.lossName, type.chart.title})
            check(name, TestTypes::text(name));
    }
    for (const MetricInfo &metric : MetricCatalog::all())
        check(metric.description, MetricCatalog::describe(metric));
    QVERIFY2(missed.isEmpty(), qPrintable(missed.join(u'\n')));

    // One line per command, each summary translated.
    const QStringList lines = Console::Cli::commandList().split(u'\n');
    QVERIFY2(lines.size() > 10, qPrintable(lines.join(u'\n')));
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(OPEN) || line.trimmed().endsWith(CLOSE), qPrintable(line));
}

void TestTranslations::eventsTranslatedWhenShown()
{
    QJsonArray values;
    for (int i = 1; i <= Protocol::EventText::MAX_ARGS; ++i)
        values.append(u"v%1"_s.arg(i));
    for (const QString &code : Protocol::EventText::codes()) {
        const Protocol::EventText text(code, values);
        QCOMPARE(text.text(), pseudo(text.sourceText()));
    }
}

// translations/streamswarm_de.ts against the code: lupdate over a copy adds every string it lacks as
// unfinished and marks every entry the code no longer has as vanished; the committed file has neither,
// and no entry is left unfinished.
void TestTranslations::germanIsCompleteAndCurrent()
{
    const QString source = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    const QString committed = source + u"/translations/streamswarm_de.ts"_s;
    const QString copy = m_dir.filePath(u"streamswarm_de.ts"_s);
    QFile::remove(copy);
    QVERIFY2(QFile::copy(committed, copy), qPrintable(committed));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QString output;
    const int code = run(qtTool(u"lupdate"_s),
        {u"-I"_s, source, u"-locations"_s, u"none"_s, u"agent"_s, u"console"_s, u"shared"_s, u"-ts"_s, copy}, source,
        &output);
    QVERIFY2(code == 0, qPrintable(output));
    QFile file(copy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader reader(&file);
    QString context;
    QString sourceText;
    QStringList unfinished;
    QStringList vanished;
    int messages = 0;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        if (reader.name() == u"name") {
            context = reader.readElementText();
        } else if (reader.name() == u"source") {
            sourceText = reader.readElementText();
            ++messages;
        } else if (reader.name() == u"translation") {
            const QString type = reader.attributes().value(u"type"_s).toString();
            const QString entry = context + u": "_s + sourceText;
            if (type == u"unfinished")
                unfinished.append(entry);
            else if (type == u"vanished" || type == u"obsolete")
                vanished.append(entry);
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QVERIFY(messages > 1000);
    const auto first = [](const QStringList &list) {
        return list.mid(0, 10).join(u'\n');
    };
    QVERIFY2(unfinished.isEmpty(),
        qPrintable(u"%1 German translations missing or unfinished (cmake --build BUILD --target "
                   "update_translations, then translate them in linguist), e.g.:\n"_s.arg(unfinished.size())
            + first(unfinished)));
    QVERIFY2(vanished.isEmpty(),
        qPrintable(
            u"%1 German entries the code no longer has (update_translations drops them), e.g.:\n"_s.arg(vanished.size())
            + first(vanished)));
    qInfo("%d German messages, all finished and current", messages);
}

// The built-in German reaches the messages: the console loads it as it does for a German user.
void TestTranslations::germanIsBuiltIn()
{
    QTranslator german;
    QVERIFY(german.load(QLocale(u"de_DE"_s), u"streamswarm"_s, u"_"_s, u":/i18n"_s));
    const QString translated
        = german.translate("StreamSwarm::Console::Cli", "Show the tests and whether they are running.");
    QVERIFY2(!translated.isEmpty() && translated != u"Show the tests and whether they are running."_s,
        qPrintable(translated));
    QCOMPARE(QStringList{QFileInfo(german.filePath()).fileName()}, QStringList{u"streamswarm_de.qm"_s});
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
