// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QTemporaryDir>
#include <QTest>

#include "console/deploy/deployment.h"
#include "console/deploy/deploytargets.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

// The hosts people give deploy, on the command line and in a CSV file, and the settings a deployed
// agent gets.
class TestDeployTargets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesHostForms_data();
    void parsesHostForms();
    void refusesBadHosts_data();
    void refusesBadHosts();
    void readsAHostsFile();
    void hostsFileErrorsNameTheLine();
    void agentSettingsAreTheAgentsOwnFormat();

private:
    static DeployTarget defaults()
    {
        DeployTarget target;
        target.user = u"ops"_s;
        target.port = 22;
        return target;
    }
};

void TestDeployTargets::parsesHostForms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::newRow("name") << u"web1.example.net"_s << u"web1.example.net"_s << 22 << u"ops"_s;
    QTest::newRow("user") << u"root@10.0.0.5"_s << u"10.0.0.5"_s << 22 << u"root"_s;
    QTest::newRow("port") << u"10.0.0.5:2222"_s << u"10.0.0.5"_s << 2222 << u"ops"_s;
    QTest::newRow("all") << u"admin@host-7:2200"_s << u"host-7"_s << 2200 << u"admin"_s;
    QTest::newRow("ipv6") << u"admin@[2001:db8::1]:2200"_s << u"2001:db8::1"_s << 2200 << u"admin"_s;
    QTest::newRow("bare ipv6") << u"2001:db8::1"_s << u"2001:db8::1"_s << 22 << u"ops"_s;
    QTest::newRow("spaces") << u"  web1  "_s << u"web1"_s << 22 << u"ops"_s;
}

void TestDeployTargets::parsesHostForms()
{
    QFETCH(QString, text);
    QString error;
    const auto target = DeployTargets::parse(text, defaults(), &error);
    QVERIFY2(target, qPrintable(error));
    QTEST(target->host, "host");
    QTEST(int(target->port), "port");
    QTEST(target->user, "user");
}

void TestDeployTargets::refusesBadHosts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << u""_s << u"\"\" is not a host name or IP address."_s;
    QTest::newRow("option") << u"-oProxyCommand=x"_s << u"is not a host name or IP address"_s;
    QTest::newRow("shell") << u"host;rm"_s << u"is not a host name or IP address"_s;
    QTest::newRow("port zero") << u"host:0"_s << u"the port must be a number from 1 to 65535"_s;
    QTest::newRow("port word") << u"host:ssh"_s << u"the port must be a number from 1 to 65535"_s;
    QTest::newRow("open bracket") << u"[2001:db8::1"_s << u"does not close it"_s;
    QTest::newRow("bad user") << u"a b@host"_s << u"\"a b\" is not a user name."_s;
    QTest::newRow("no user") << u"@host"_s << u"No user for host"_s;
}

void TestDeployTargets::refusesBadHosts()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!DeployTargets::parse(text, defaults(), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestDeployTargets::readsAHostsFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"hosts.csv"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("host,port,user,name\n"
               "# the branch offices\n"
               "\n"
               "10.1.0.5\n"
               "10.2.0.5,2222\n"
               "10.3.0.5,,root,branch-3\n"
               "admin@10.4.0.5:2200,,,branch-4\n");
    file.close();
    QString error;
    const auto targets = DeployTargets::readFile(path, defaults(), &error);
    QVERIFY2(targets, qPrintable(error));
    QCOMPARE(targets->size(), 4);
    QCOMPARE(targets->at(0).label(), u"ops@10.1.0.5"_s);
    QCOMPARE(targets->at(1).label(), u"ops@10.2.0.5:2222"_s);
    QCOMPARE(targets->at(2).label(), u"root@10.3.0.5"_s);
    QCOMPARE(targets->at(2).agentName, u"branch-3"_s);
    QCOMPARE(targets->at(3).label(), u"admin@10.4.0.5:2200"_s);
    QCOMPARE(targets->at(3).agentName, u"branch-4"_s);
}

void TestDeployTargets::hostsFileErrorsNameTheLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"hosts.csv"_s);
    const auto errorFor = [&](const QByteArray &contents) {
        QFile file(path);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(contents);
        file.close();
        QString error;
        return DeployTargets::readFile(path, defaults(), &error) ? QString() : error;
    };
    QCOMPARE(errorFor("10.0.0.1\n10.0.0.2,99999\n"),
        path + u", line 2: the port \"99999\" must be a number from 1 to 65535."_s);
    QCOMPARE(errorFor("10.0.0.1,22,root,name,extra\n"),
        path + u", line 1: expected host,port,user,name but found 5 fields."_s);
    QVERIFY(errorFor("10.0.0.1,22,root,bad name\n").startsWith(path + u", line 1: The agent name \"bad name\""_s));
    QCOMPARE(errorFor("# nothing here\n"), u"The hosts file %1 names no host."_s.arg(path));
    QVERIFY(errorFor(QByteArray(DeployTargets::MAX_FILE_BYTES + 1, 'a')).contains(u"larger than 1 MB"_s));
    QString error;
    QVERIFY(!DeployTargets::readFile(dir.filePath(u"missing.csv"_s), defaults(), &error));
    QVERIFY2(error.startsWith(u"Could not read the hosts file "_s), qPrintable(error));
}

void TestDeployTargets::agentSettingsAreTheAgentsOwnFormat()
{
    const QByteArray settings = Deployment::agentSettings(
        {u"wss://console.example.net:8765"_s, u"sha256:ab:cd"_s}, u"sse_token"_s, u"branch-3"_s);
    QVERIFY(settings.contains("\n[agent]\n"));
    QVERIFY(settings.contains("\nserver = wss://console.example.net:8765\n"));
    QVERIFY(settings.contains("\nfingerprint = sha256:ab:cd\n"));
    QVERIFY(settings.contains("\ntoken = sse_token\n"));
    QVERIFY(settings.endsWith("\nname = branch-3\n"));
}

QTEST_GUILESS_MAIN(TestDeployTargets)
#include "tst_deploytargets.moc"
