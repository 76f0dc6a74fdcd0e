// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTemporaryDir>
#include <QTest>

#include "shared/util/configfile.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

namespace {

const ConfigFile::Rules RULES{u"agent"_s, {u"server"_s, u"name"_s, u"spool-size"_s, u"insecure"_s}, {u"insecure"_s}};

} // namespace

class TestConfigFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsSettings();
    void refusesMistakes_data();
    void refusesMistakes();
    void commandLineWins();
    void missingFiles();
};

void TestConfigFile::readsSettings()
{
    QString error;
    const auto config = ConfigFile::parse(u"agent.conf"_s,
        "# StreamSwarm agent\r\n"
        "[agent]\r\n"
        "\r\n"
        "server = wss://console.example.net:8765\r\n"
        "; a comment\n"
        "  name=\"branch office\"  \n"
        "--spool-size = 2GB\n"
        "insecure = Yes\n",
        RULES, &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->value(u"server"_s), u"wss://console.example.net:8765"_s);
    QCOMPARE(config->value(u"name"_s), u"branch office"_s); // quotes keep the spaces
    QCOMPARE(config->value(u"spool-size"_s), u"2GB"_s); // copied from a command line, "--" and all
    QVERIFY(config->isOn(u"insecure"_s));
    QCOMPARE(config->where(u"name"_s), u"agent.conf, line 6"_s);
    QVERIFY(!config->contains(u"token"_s));
}

void TestConfigFile::refusesMistakes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("typo") << QByteArray("server = wss://h:1\nsever = x\n")
                          << u"a.conf, line 2: \"sever\" is not a setting; did you mean \"server\"?"_s;
    QTest::newRow("unknown") << QByteArray("colour = blue\n")
                             << u"a.conf, line 1: \"colour\" is not a setting. The settings are: server, name, "
                                "spool-size, insecure."_s;
    QTest::newRow("twice") << QByteArray("name = a\n\nname = b\n")
                           << u"a.conf, line 3: name is set twice (first on line 1); keep one."_s;
    QTest::newRow("no equals") << QByteArray("server wss://h:1\n")
                               << u"a.conf, line 1: \"server wss://h:1\" is not a setting; write it as name = "
                                  "value."_s;
    QTest::newRow("no name") << QByteArray("= 4\n")
                             << u"a.conf, line 1: a value without a name; write it as name = value."_s;
    QTest::newRow("switch") << QByteArray("insecure = maybe\n")
                            << u"a.conf, line 1: insecure = maybe: say yes or no."_s;
    QTest::newRow("other section") << QByteArray("[console]\nname = a\n")
                                   << u"a.conf, line 1: \"[console]\" is not a section this file can have; it holds "
                                      "only [agent], or no section."_s;
    QTest::newRow("late section") << QByteArray("name = a\n[agent]\n")
                                  << u"a.conf, line 2: [agent] must come before the settings."_s;
    QTest::newRow("not utf-8") << QByteArray("name = \xff\xfe\n") << u"The settings file a.conf is not UTF-8 text."_s;
    QTest::newRow("long line") << QByteArray("name = ") + QByteArray(5000, 'x') + "\n"
                               << u"a.conf, line 1: the line is longer than 4096 characters."_s;
}

void TestConfigFile::refusesMistakes()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!ConfigFile::parse(u"a.conf"_s, text, RULES, &why));
    QCOMPARE(why, error);
}

void TestConfigFile::commandLineWins()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"agent.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("server = wss://from-file:1\nname = from-file\ninsecure = no\n");
    file.close();
    QCommandLineParser parser;
    parser.addOptions({{u"config"_s, u"c"_s, u"FILE"_s}, {u"server"_s, u"s"_s, u"URL"_s},
        {u"name"_s, u"n"_s, u"NAME"_s}, {u"spool-size"_s, u"z"_s, u"SIZE"_s, u"256MB"_s}, {u"insecure"_s, u"i"_s}});
    QVERIFY(parser.parse({u"agent"_s, u"--config"_s, path, u"--name"_s, u"from-cli"_s, u"--insecure"_s}));
    QString error;
    const auto options = ConfiguredOptions::load(parser, {}, RULES, &error);
    QVERIFY2(options, qPrintable(error));
    QCOMPARE(options->value(u"server"_s), u"wss://from-file:1"_s);
    QCOMPARE(options->value(u"name"_s), u"from-cli"_s);
    QCOMPARE(options->value(u"spool-size"_s), u"256MB"_s); // the parser's default when neither says
    QVERIFY(options->isOn(u"insecure"_s)); // the command line's switch over the file's "no"
    QVERIFY(!options->isSet(u"spool-size"_s));
    // A message about a value says where it came from, in the file's words.
    QCOMPARE(options->blame(u"server"_s, u"--server \"x\" is wrong."_s), path + u", line 1: server \"x\" is wrong."_s);
    QCOMPARE(options->blame(u"name"_s, u"--name \"x\" is wrong."_s), u"--name \"x\" is wrong."_s);
}

void TestConfigFile::missingFiles()
{
    QTemporaryDir dir;
    QCommandLineParser parser;
    parser.addOption({u"config"_s, u"c"_s, u"FILE"_s});
    QString error;
    // No default file: the command line alone.
    QVERIFY(parser.parse({u"agent"_s}));
    const auto alone = ConfiguredOptions::load(parser, dir.filePath(u"none.conf"_s), RULES, &error);
    QVERIFY(alone);
    QVERIFY(!alone->file());
    // A file asked for must be there.
    const QString missing = dir.filePath(u"missing.conf"_s);
    QVERIFY(parser.parse({u"agent"_s, u"--config"_s, missing}));
    QVERIFY(!ConfiguredOptions::load(parser, {}, RULES, &error));
    QCOMPARE(error, u"The settings file %1 does not exist."_s.arg(missing));
    // Something that is not a settings file at all.
    const QString big = dir.filePath(u"big.conf"_s);
    QFile file(big);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(100 * 1024, '#'));
    file.close();
    QVERIFY(parser.parse({u"agent"_s, u"--config"_s, big}));
    QVERIFY(!ConfiguredOptions::load(parser, {}, RULES, &error));
    QVERIFY2(error.contains(u"is 102400 bytes"), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_configfile.moc"
