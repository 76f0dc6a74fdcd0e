// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/hardware/smartctlreport.h"
#include "agent/probes/hardware/smartctlrunner.h"
#include "tests/support/testdata.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;

// smartctl's JSON as real drives wrote it (tests/fixtures/smartctl/, see its README), and the runner
// that asks it, with fake smartctl scripts that answer from those files, fail or hang.
class TestSmartctl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ataDiskWithReallocatedSectors();
    void ataSsd();
    void ataSsdWithoutTheAttributes();
    void nvmeDrive();
    void failingNvmeDrive();
    void scsiDisk();
    void deviceThatCannotBeOpened();
    void brokenReplies_data();
    void brokenReplies();
    void scans();
    void driveNames();
    void runnerAsksEveryDrive();
    void hangingSmartctlIsStopped();
    void hangingScanIsStopped();
    void missingSmartctl();
    void endlessReplyIsCut();
    void listIsKeptBetweenRuns();
};

namespace {

QString capture(const QString &name)
{
    return StreamSwarm::Test::testsPath(u"fixtures/smartctl/"_s + name);
}

QByteArray read(const QString &name)
{
    QFile file(capture(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

DriveHealth parse(const QString &name, const QString &device = u"/dev/sda"_s, const QString &type = u"sat"_s)
{
    return SmartctlReport::parseHealth(read(name), ScannedDrive{device, type});
}

// A fake smartctl in dir: a shell script whose answer to each device is the shell code given.
QString fakeSmartctl(const QTemporaryDir &dir, const QString &scan, const QList<std::pair<QString, QString>> &answers)
{
    QString script = u"#!/bin/sh\necho \"$*\" >> '%1'\ncase \"$*\" in\n"_s.arg(dir.filePath(u"calls"_s));
    script += u"  *--scan-open*) %1 ;;\n"_s.arg(scan);
    for (const auto &[device, answer] : answers)
        script += u"  *%1) %2 ;;\n"_s.arg(device, answer);
    script += u"esac\n"_s;
    const QString path = dir.filePath(u"smartctl"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(script.toUtf8());
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

QString cat(const QString &name)
{
    return u"cat '"_s + capture(name) + u'\'';
}

QStringList calls(const QTemporaryDir &dir)
{
    QFile file(dir.filePath(u"calls"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

struct RunResult
{
    QList<DriveHealth> drives;
    QString problem;
    qint64 elapsedMs = 0;
};

RunResult runOnce(SmartctlRunner &runner, qint64 timeoutMs)
{
    QSignalSpy finished(&runner, &SmartctlRunner::finished);
    QElapsedTimer clock;
    clock.start();
    runner.start(timeoutMs);
    if (finished.isEmpty())
        finished.wait(int(timeoutMs) + 5000);
    RunResult result;
    result.elapsedMs = clock.elapsed();
    if (finished.size() != 1)
        return result;
    result.drives = finished.at(0).at(0).value<QList<DriveHealth>>();
    result.problem = finished.at(0).at(1).toString();
    return result;
}

} // namespace

void TestSmartctl::ataDiskWithReallocatedSectors()
{
    const DriveHealth drive = parse(u"ata-hdd-seagate-st3500418as-reallocated.json"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.drive, u"sda"_s);
    QCOMPARE(drive.model, u"ST3500418AS"_s);
    QCOMPARE(drive.serial, u"REDACTED"_s);
    QCOMPARE(drive.protocol, u"ATA"_s);
    QCOMPARE(drive.passed, std::optional<bool>(true));
    QCOMPARE(drive.temperatureC.value_or(-1), 33.0);
    QCOMPARE(drive.reallocatedSectors.value_or(-1), 304.0);
    QCOMPARE(drive.pendingSectors.value_or(-1), 0.0);
    QCOMPARE(drive.powerOnHours.value_or(-1), 44668.0);
    QVERIFY(!drive.nvmeUsedPct && !drive.mediaErrors);
}

void TestSmartctl::ataSsd()
{
    const DriveHealth drive = parse(u"ata-ssd-samsung-mz7lh1t9hmlt.json"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.model, u"SAMSUNG MZ7LH1T9HMLT-00005"_s);
    QCOMPARE(drive.passed, std::optional<bool>(true));
    QCOMPARE(drive.temperatureC.value_or(-1), 24.0);
    QCOMPARE(drive.reallocatedSectors.value_or(-1), 0.0);
    QCOMPARE(drive.pendingSectors.value_or(-1), 0.0);
    QCOMPARE(drive.powerOnHours.value_or(-1), 4717.0);
}

// Exit status 4 (a SMART command failed) comes with a full report; the drive has no attributes 5 and
// 197, which are then not available rather than 0.
void TestSmartctl::ataSsdWithoutTheAttributes()
{
    const DriveHealth drive = parse(u"ata-ssd-kingston-sa400m8120g.json"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.model, u"KINGSTON SA400M8120G"_s);
    QCOMPARE(drive.passed, std::optional<bool>(true));
    QCOMPARE(drive.temperatureC.value_or(-1), 38.0);
    QVERIFY(!drive.reallocatedSectors);
    QVERIFY(!drive.pendingSectors);
    QCOMPARE(drive.powerOnHours.value_or(-1), 4994.0);
}

void TestSmartctl::nvmeDrive()
{
    const DriveHealth drive = parse(u"nvme-intel-ssdpe2kx010t8.json"_s, u"/dev/nvme1"_s, u"nvme"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.drive, u"nvme1"_s);
    QCOMPARE(drive.model, u"INTEL SSDPE2KX010T8"_s);
    QCOMPARE(drive.protocol, u"NVMe"_s);
    QCOMPARE(drive.passed, std::optional<bool>(true));
    QCOMPARE(drive.temperatureC.value_or(-1), 36.0);
    QCOMPARE(drive.nvmeUsedPct.value_or(-1), 73.0);
    QCOMPARE(drive.mediaErrors.value_or(-1), 0.0);
    QCOMPARE(drive.powerOnHours.value_or(-1), 8843.0);
    QVERIFY(!drive.reallocatedSectors && !drive.pendingSectors);
}

void TestSmartctl::failingNvmeDrive()
{
    const DriveHealth drive = parse(u"nvme-samsung-mzwll3t2hajq-failing.json"_s, u"/dev/nvme0"_s, u"nvme"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.passed, std::optional<bool>(false));
    QCOMPARE(drive.temperatureC.value_or(-1), 40.0);
    QCOMPARE(drive.powerOnHours.value_or(-1), 18376.0);
    QCOMPARE(drive.nvmeUsedPct.value_or(-1), 0.0);
}

void TestSmartctl::scsiDisk()
{
    const DriveHealth drive = parse(u"scsi-hitachi-h109060sesun600g.json"_s, u"/dev/sdb"_s, u"scsi"_s);
    QVERIFY2(drive.problem.isEmpty(), qPrintable(drive.problem));
    QCOMPARE(drive.model, u"HITACHI H109060SESUN600G"_s);
    QCOMPARE(drive.protocol, u"SCSI"_s);
    QCOMPARE(drive.passed, std::optional<bool>(true));
    QCOMPARE(drive.temperatureC.value_or(-1), 26.0);
    QCOMPARE(drive.reallocatedSectors.value_or(-1), 0.0); // the grown defect list
    QCOMPARE(drive.powerOnHours.value_or(-1), 22364.0);
    QVERIFY(!drive.pendingSectors);
}

void TestSmartctl::deviceThatCannotBeOpened()
{
    const DriveHealth drive = parse(u"cannot-open-vm-vda.json"_s, u"/dev/vda"_s, {});
    QCOMPARE(drive.drive, u"vda"_s);
    QCOMPARE(drive.problem, u"smartctl: /dev/vda: Unable to detect device type"_s);
    QVERIFY(!drive.passed && !drive.temperatureC && !drive.powerOnHours);
}

void TestSmartctl::brokenReplies_data()
{
    QTest::addColumn<QByteArray>("reply");
    const QByteArray real = read(u"ata-hdd-seagate-st3500418as-reallocated.json"_s);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("cut off") << real.left(real.size() / 2);
    QTest::newRow("not JSON") << QByteArray("smartctl 6.6 2016-05-31 r4324 [x86_64-linux]\n");
    QTest::newRow("another program's JSON") << QByteArray(R"({"devices": []})");
    QTest::newRow("an array") << QByteArray("[1, 2]");
}

void TestSmartctl::brokenReplies()
{
    QFETCH(QByteArray, reply);
    const DriveHealth drive = SmartctlReport::parseHealth(reply, ScannedDrive{u"/dev/sda"_s, u"sat"_s});
    QCOMPARE(drive.drive, u"sda"_s);
    QVERIFY(!drive.problem.isEmpty());
    QVERIFY(!drive.passed && !drive.temperatureC && !drive.reallocatedSectors);
    QString problem;
    QVERIFY(!SmartctlReport::parseScan(reply, &problem));
    QVERIFY(!problem.isEmpty());
}

void TestSmartctl::scans()
{
    QString problem;
    const std::optional<QList<ScannedDrive>> seven
        = SmartctlReport::parseScan(read(u"scan-seven-scsi.json"_s), &problem);
    QVERIFY(seven);
    QCOMPARE(seven->size(), 7);
    QCOMPARE(seven->at(0).device, u"/dev/sda"_s);
    QCOMPARE(seven->at(6).device, u"/dev/sdg"_s);
    QCOMPARE(seven->at(6).type, u"scsi"_s);
    const std::optional<QList<ScannedDrive>> none
        = SmartctlReport::parseScan(read(u"scan-open-vm-none.json"_s), &problem);
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestSmartctl::driveNames()
{
    QCOMPARE(SmartctlReport::driveName({u"/dev/sda"_s, u"sat"_s}), u"sda"_s);
    QCOMPARE(SmartctlReport::driveName({u"/dev/nvme0"_s, u"nvme"_s}), u"nvme0"_s);
    QCOMPARE(SmartctlReport::driveName({u"/dev/bus/0"_s, u"megaraid,3"_s}), u"bus/0 megaraid,3"_s);
}

// Seven drives, answered in seven ways.
void TestSmartctl::runnerAsksEveryDrive()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString program = fakeSmartctl(dir, cat(u"scan-seven-scsi.json"_s),
        {{u"/dev/sda"_s, cat(u"ata-hdd-seagate-st3500418as-reallocated.json"_s)},
            {u"/dev/sdb"_s, cat(u"scsi-hitachi-h109060sesun600g.json"_s) + u"; exit 4"_s},
            {u"/dev/sdc"_s, cat(u"cannot-open-vm-vda.json"_s) + u"; exit 2"_s},
            {u"/dev/sdd"_s, u"printf '{\"json_format_ver'"_s}, {u"/dev/sde"_s, cat(u"nvme-intel-ssdpe2kx010t8.json"_s)},
            {u"/dev/sdf"_s, u"kill -9 $$"_s}, {u"/dev/sdg"_s, cat(u"nvme-samsung-mzwll3t2hajq-failing.json"_s)}});
    SmartctlRunner runner(program);
    const RunResult result = runOnce(runner, 10000);
    QVERIFY2(result.problem.isEmpty(), qPrintable(result.problem));
    QCOMPARE(result.drives.size(), 7);
    QCOMPARE(result.drives.at(0).drive, u"sda"_s);
    QCOMPARE(result.drives.at(0).reallocatedSectors.value_or(-1), 304.0);
    QCOMPARE(result.drives.at(1).model, u"HITACHI H109060SESUN600G"_s);
    QVERIFY(result.drives.at(2).problem.contains(u"Unable to detect device type"_s));
    QVERIFY(!result.drives.at(3).problem.isEmpty());
    QCOMPARE(result.drives.at(4).nvmeUsedPct.value_or(-1), 73.0);
    QVERIFY(!result.drives.at(5).problem.isEmpty());
    QCOMPARE(result.drives.at(6).passed, std::optional<bool>(false));
    // Each drive is asked with the type the scan gave, and without waking it.
    const QStringList asked = calls(dir);
    QCOMPARE(asked.size(), 8);
    QCOMPARE(asked.at(0), u"--scan-open --json"_s);
    QCOMPARE(asked.at(1), u"--json -a -n standby -d scsi /dev/sda"_s);
}

// A drive whose smartctl never returns (a dying disk, a stuck controller): the run ends at its
// deadline, the drives after it are named as not asked, and the next run lists the drives again.
void TestSmartctl::hangingSmartctlIsStopped()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString program = fakeSmartctl(dir, cat(u"scan-seven-scsi.json"_s),
        {{u"/dev/sda"_s, cat(u"ata-ssd-samsung-mz7lh1t9hmlt.json"_s)}, {u"/dev/sdb"_s, u"exec sleep 60"_s},
            {u"/dev/sd[c-g]"_s, cat(u"ata-ssd-samsung-mz7lh1t9hmlt.json"_s)}});
    SmartctlRunner runner(program);
    const RunResult result = runOnce(runner, 1000);
    QVERIFY2(result.elapsedMs >= 1000 && result.elapsedMs < 3000, qPrintable(QString::number(result.elapsedMs)));
    QVERIFY(result.problem.isEmpty());
    QCOMPARE(result.drives.size(), 7);
    QVERIFY(result.drives.at(0).problem.isEmpty());
    QCOMPARE(result.drives.at(1).drive, u"sdb"_s);
    QVERIFY2(
        result.drives.at(1).problem.contains(u"did not answer within 1s"_s), qPrintable(result.drives.at(1).problem));
    QVERIFY(result.drives.at(6).problem.contains(u"not asked"_s));
    QVERIFY(!runner.isRunning());
    runOnce(runner, 1000);
    QCOMPARE(calls(dir).count(u"--scan-open --json"_s), 2);
}

void TestSmartctl::hangingScanIsStopped()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SmartctlRunner runner(fakeSmartctl(dir, u"exec sleep 60"_s, {}));
    const RunResult result = runOnce(runner, 500);
    QVERIFY2(result.elapsedMs < 2500, qPrintable(QString::number(result.elapsedMs)));
    QVERIFY(result.drives.isEmpty());
    QVERIFY2(result.problem.contains(u"did not list the drives within 500ms"_s), qPrintable(result.problem));
}

void TestSmartctl::missingSmartctl()
{
    SmartctlRunner runner(u"/nonexistent/streamswarm/smartctl"_s);
    const RunResult result = runOnce(runner, 2000);
    QVERIFY(result.drives.isEmpty());
    QVERIFY2(result.problem.contains(u"smartmontools"_s), qPrintable(result.problem));
    QVERIFY(result.elapsedMs < 1500);
}

void TestSmartctl::endlessReplyIsCut()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SmartctlRunner runner(fakeSmartctl(dir, u"exec yes"_s, {}));
    const RunResult result = runOnce(runner, 5000);
    QVERIFY2(result.elapsedMs < 4000, qPrintable(QString::number(result.elapsedMs)));
    QVERIFY2(result.problem.contains(u"more than 1 MiB"_s), qPrintable(result.problem));
}

// The drive list is asked for once, not every round.
void TestSmartctl::listIsKeptBetweenRuns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SmartctlRunner runner(fakeSmartctl(dir, cat(u"scan-open-vm-none.json"_s), {}));
    for (int i = 0; i < 3; ++i) {
        const RunResult result = runOnce(runner, 2000);
        QVERIFY(result.problem.isEmpty() && result.drives.isEmpty());
    }
    QCOMPARE(calls(dir), QStringList{u"--scan-open --json"_s});
}

QTEST_GUILESS_MAIN(TestSmartctl)
#include "tst_smartctl.moc"
