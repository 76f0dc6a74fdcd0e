// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

// The systemd units in installers/linux: systemd-analyze verify passes on each (with ExecStart
// pointing at the programs just built, as a package puts them in /usr/bin), their exposure scores
// stay as low as they are, and the agent does its job with the one privilege its unit gives it,
// CAP_NET_RAW, as an unprivileged user (setpriv stands in for systemd, which is not PID 1 here).
class TestServiceUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unitsVerify_data();
    void unitsVerify();
    void agentMeasuresWithOnlyNetRaw();

private:
    QString installers() const;
    QTemporaryDir m_dir;
};

QString TestServiceUnits::installers() const
{
    return qEnvironmentVariable("STREAMSWARM_SOURCE_DIR") + u"/installers/linux/"_s;
}

void TestServiceUnits::initTestCase()
{
    QVERIFY2(!QStandardPaths::findExecutable(u"systemd-analyze"_s).isEmpty(),
        "systemd-analyze is missing (Debian package systemd; scripts/deps test installs it)");
    QVERIFY(QFile::exists(installers() + u"streamswarm-agent.service"_s));
}

void TestServiceUnits::unitsVerify_data()
{
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("program");
    QTest::addColumn<double>("highestExposure"); // systemd-analyze security's score today
    QTest::newRow("agent") << u"streamswarm-agent.service"_s << agentBinary() << 1.5;
    QTest::newRow("console") << u"streamswarm-console.service"_s << consoleBinary() << 1.1;
}

void TestServiceUnits::unitsVerify()
{
    QFETCH(QString, unit);
    QFETCH(QString, program);
    QFETCH(double, highestExposure);
    QFile source(installers() + unit);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray text = source.readAll();
    const QByteArray installed = "/usr/bin/" + QFile::encodeName(QFileInfo(program).fileName());
    const QByteArray installedStart = "ExecStart=" + installed;
    QVERIFY(text.contains(QByteArray(installedStart + ' ')));
    text.replace(installedStart, QByteArray("ExecStart=" + QFile::encodeName(program)));
    const QString copy = m_dir.filePath(unit);
    QFile file(copy);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();

    const CommandResult verify = runCommand(u"systemd-analyze"_s, {u"verify"_s, copy});
    QVERIFY2(verify.exitCode == 0 && verify.out.isEmpty() && verify.err.isEmpty(), qPrintable(verify.out + verify.err));

    const CommandResult security
        = runCommand(u"systemd-analyze"_s, {u"security"_s, u"--offline=yes"_s, u"--no-pager"_s, copy});
    const auto match = QRegularExpression(u"Overall exposure level for \\S+: ([0-9.]+)"_s).match(security.out);
    QVERIFY2(match.hasMatch(), qPrintable(security.out + security.err));
    const double exposure = match.captured(1).toDouble();
    qInfo().noquote() << unit << "exposure" << exposure;
    QVERIFY2(exposure <= highestExposure,
        qPrintable(
            u"%1 is exposed %2, more than %3:\n%4"_s.arg(unit).arg(exposure).arg(highestExposure).arg(security.out)));
}

void TestServiceUnits::agentMeasuresWithOnlyNetRaw()
{
    if (::geteuid() != 0)
        QSKIP("Starting a program as another user with one capability needs root (CI runs as root).");
    ConsoleHarness console(m_dir.filePath(u"console"_s));
    QVERIFY2(console.start(), qPrintable(console.process().output()));
    const CommandResult token = console.cli({u"token"_s, u"create"_s, u"service"_s});
    QVERIFY(token.exitCode == 0);
    // The state folder belongs to the agent's user, as StateDirectory= makes it.
    const QString stateDir = m_dir.filePath(u"agent-state"_s);
    QVERIFY(QDir().mkpath(stateDir));
    QVERIFY(QFile::setPermissions(m_dir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
            | QFile::ExeOther)); // others may pass through to their own folder
    QVERIFY(::chown(QFile::encodeName(stateDir).constData(), 65534, 65534) == 0);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_ENABLE_REGEXP_JIT"_s, u"0"_s); // as the unit sets it
    environment.insert(u"STREAMSWARM_TOKEN"_s, token.out.trimmed());
    ManagedProcess agent(u"setpriv"_s,
        {u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, u"--inh-caps=-all,+net_raw"_s,
            u"--ambient-caps=-all,+net_raw"_s, u"--bounding-set=-all,+net_raw"_s, u"--no-new-privs"_s, agentBinary(),
            u"--server"_s, console.serverUrl(), u"--insecure"_s, u"--name"_s, u"service"_s, u"--state-dir"_s, stateDir},
        environment);
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"online as service"_s, 10000), qPrintable(agent.output()));
    // The credential is the agent user's own and nobody else's.
    const QFileInfo credential(stateDir + u"/credential.json"_s);
    QCOMPARE(credential.ownerId(), 65534u);
    QCOMPARE(credential.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());

    const CommandResult add = console.cli({u"test"_s, u"add"_s, u"--name"_s, u"beat"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, u"127.0.0.1"_s, u"--interval"_s, u"500ms"_s, u"--agents"_s, u"service"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const auto received = [&] {
        const QString csv = console.cli({u"export"_s, u"--format"_s, u"csv"_s, u"--test"_s, u"beat"_s}).out;
        return csv.count(u",ping.received,"_s) > 0 && !csv.contains(u",ping.received,0"_s);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(received(), qPrintable(agent.output()), 15000);
    QVERIFY2(!agent.output().contains(u"permission"_s, Qt::CaseInsensitive), qPrintable(agent.output()));
}

QTEST_GUILESS_MAIN(TestServiceUnits)
#include "tst_serviceunits.moc"
