// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/hardware/hardwareprobe.h"
#include "agent/probes/probefactory.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/detailcodec.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

// The hardware probe: its parameters, its rounds on the fixture trees with a fake smartctl, and on
// this very machine (a VM: no sensors, no drives with SMART, and still a round that succeeds).
class TestHardwareProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void params();
    void laptopRounds();
    void serverWithDrives();
    void hangingSmartctlEndsTheRoundInTime();
    void thisMachine();
};

namespace {

QString sourceDir()
{
    const QString source = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    return source.isEmpty() ? QFINDTESTDATA("../..") : source;
}

QString fixture(const QString &host)
{
    return sourceDir() + u"/tests/fixtures/hardware/"_s + host;
}

Protocol::TestSpec spec(const QMap<QString, QString> &params = {}, qint64 intervalMs = 5000)
{
    Protocol::TestSpec spec;
    spec.id = 7;
    spec.name = u"hw"_s;
    spec.type = TestTypes::hardwareType().name;
    spec.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    spec.intervalMs = intervalMs;
    spec.params = params;
    return spec;
}

Validation::HardwareParams parsed(const Protocol::TestSpec &spec)
{
    Validation::HardwareParams params;
    QString error;
    if (!Validation::parseHardwareParams(spec, &params, &error))
        qFatal("%s", qPrintable(error));
    return params;
}

Protocol::Round runRound(HardwareProbe &probe, int waitMs = 5000)
{
    QSignalSpy finished(&probe, &Probe::roundFinished);
    probe.startRound(1'800'000'000'000);
    if (finished.isEmpty())
        finished.wait(waitMs);
    if (finished.size() != 1)
        qFatal("the round finished %d times", int(finished.size()));
    return finished.at(0).at(0).value<Protocol::Round>();
}

std::optional<double> valueOf(const Protocol::Round &round, const QString &name)
{
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == name)
            return value.value;
    }
    return std::nullopt;
}

QStringList unavailable(const Protocol::Round &round)
{
    QStringList sources;
    for (const Protocol::UnavailableHardware &source : round.detail.get<Protocol::HardwareDetail>()->unavailable)
        sources.append(source.source);
    return sources;
}

// Every value a round carries is a catalogued metric with its instance, and the detail passes the
// codec's checks.
void checkRoundIsWellFormed(const Protocol::Round &round)
{
    QVERIFY(round.error.isEmpty());
    QCOMPARE(round.testId, qint64(7));
    for (const Protocol::MetricValue &value : round.values)
        QVERIFY2(MetricCatalog::findSample(value.metric), qPrintable(value.metric));
    QVERIFY(round.detail.get<Protocol::HardwareDetail>());
    Protocol::DecodeError error;
    const std::optional<Protocol::RoundDetail> decoded = Protocol::decodeDetail(encodeDetail(round.detail), &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    QVERIFY(*decoded == round.detail);
}

QString fakeSmartctl(const QTemporaryDir &dir, const QString &body)
{
    const QString path = dir.filePath(u"smartctl"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write((u"#!/bin/sh\n"_s + body).toUtf8());
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

} // namespace

void TestHardwareProbe::params()
{
    Validation::HardwareParams params = parsed(spec());
    QVERIFY(params.smart);
    QCOMPARE(params.smartTimeoutMs, qint64(5000)); // the interval
    QCOMPARE(parsed(spec({}, 60000)).smartTimeoutMs, qint64(10000)); // at most 10s by default
    QCOMPARE(parsed(spec({}, 2000)).smartTimeoutMs, qint64(2000));
    params = parsed(spec({{u"smart"_s, u"off"_s}, {u"smart-timeout"_s, u"3s"_s}}));
    QVERIFY(!params.smart);
    QCOMPARE(params.smartTimeoutMs, qint64(3000));
    QString error;
    QVERIFY(!Validation::parseHardwareParams(spec({{u"smart-timeout"_s, u"10s"_s}}), nullptr, &error));
    QVERIFY2(error.contains(u"interval"_s), qPrintable(error));
    QVERIFY(!Validation::parseHardwareParams(spec({{u"smart-timeout"_s, u"500ms"_s}}), nullptr, &error));
    QVERIFY(!Validation::parseHardwareParams(spec({{u"smart"_s, u"maybe"_s}}), nullptr, &error));
    QVERIFY(!Validation::parseHardwareParams(spec({{u"sensors"_s, u"on"_s}}), nullptr, &error));
    Protocol::TestSpec elsewhere = spec();
    elsewhere.target = u"192.0.2.1"_s;
    QVERIFY(!Validation::checkTestSpec(elsewhere, &error));
    QVERIFY(Validation::checkTestSpec(spec(), &error));
    // The factory makes it.
    QVERIFY(createProbe(spec(), &error));
    QVERIFY(probeCapabilities().contains(TestTypes::hardwareType().name));
}

void TestHardwareProbe::laptopRounds()
{
    HardwareProbe probe(spec({{u"smart"_s, u"off"_s}}), parsed(spec({{u"smart"_s, u"off"_s}})), fixture(u"laptop"_s),
        u"/nonexistent/smartctl"_s);
    const Protocol::Round first = runRound(probe);
    checkRoundIsWellFormed(first);
    QCOMPARE(valueOf(first, u"hw.temp_c{sensor=coretemp Core 0}"_s).value_or(-1), 50.0);
    QCOMPARE(valueOf(first, u"hw.fan_rpm{fan=thinkpad fan1}"_s).value_or(-1), 2650.0);
    QCOMPARE(valueOf(first, u"hw.battery_pct{battery=BAT0}"_s).value_or(-1), 81.0);
    QCOMPARE(valueOf(first, u"hw.battery_power_w{battery=BAT0}"_s).value_or(-1), 9.37);
    QCOMPARE(valueOf(first, u"hw.ac_online"_s).value_or(-1), 0.0);
    QVERIFY(!valueOf(first, u"hw.power_w{domain=package-0}"_s)); // needs two readings
    const Protocol::HardwareDetail *detail = first.detail.get<Protocol::HardwareDetail>();
    QCOMPARE(detail->batteries.size(), 1);
    QCOMPARE(detail->batteries.at(0).status, u"Discharging"_s);
    QVERIFY(detail->drives.isEmpty());
    QCOMPARE(unavailable(first), QStringList{u"memory-errors"_s}); // drives were not asked for
    QTest::qWait(20);
    const Protocol::Round second = runRound(probe);
    checkRoundIsWellFormed(second);
    QCOMPARE(valueOf(second, u"hw.power_w{domain=package-0}"_s).value_or(-1), 0.0); // the fixture stands still
}

void TestHardwareProbe::serverWithDrives()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString captures = sourceDir() + u"/tests/fixtures/smartctl/"_s;
    const QString program = fakeSmartctl(dir,
        u"case \"$*\" in\n*--scan-open*) cat '%1scan-seven-scsi.json' ;;\n*/dev/sda) cat "
        "'%1ata-hdd-seagate-st3500418as-reallocated.json' ;;\n*/dev/sdb) cat '%1nvme-intel-ssdpe2kx010t8.json' ;;\n"
        "*) cat '%1cannot-open-vm-vda.json'; exit 2 ;;\nesac\n"_s.arg(captures));
    HardwareProbe probe(spec(), parsed(spec()), fixture(u"server"_s), program);
    const Protocol::Round round = runRound(probe);
    checkRoundIsWellFormed(round);
    QCOMPARE(valueOf(round, u"hw.temp_c{sensor=nvme Composite (nvme1)}"_s).value_or(-1), 41.85);
    QCOMPARE(valueOf(round, u"hw.ecc_corrected_total{mc=mc0}"_s).value_or(-1), 3.0);
    QVERIFY(!valueOf(round, u"hw.ecc_corrected{mc=mc0}"_s)); // new errors need two readings
    QVERIFY(!valueOf(round, u"hw.ac_online"_s));
    QCOMPARE(valueOf(round, u"smart.healthy{drive=sda}"_s).value_or(-1), 1.0);
    QCOMPARE(valueOf(round, u"smart.reallocated_sectors{drive=sda}"_s).value_or(-1), 304.0);
    QCOMPARE(valueOf(round, u"smart.pending_sectors{drive=sda}"_s).value_or(-1), 0.0);
    QCOMPARE(valueOf(round, u"smart.power_on_hours{drive=sda}"_s).value_or(-1), 44668.0);
    QCOMPARE(valueOf(round, u"smart.temp_c{drive=sda}"_s).value_or(-1), 33.0);
    QCOMPARE(valueOf(round, u"smart.nvme_used_pct{drive=sdb}"_s).value_or(-1), 73.0);
    QCOMPARE(valueOf(round, u"smart.media_errors{drive=sdb}"_s).value_or(-1), 0.0);
    QVERIFY(!valueOf(round, u"smart.healthy{drive=sdc}"_s));
    const Protocol::HardwareDetail *detail = round.detail.get<Protocol::HardwareDetail>();
    QCOMPARE(detail->drives.size(), 7);
    QCOMPARE(detail->drives.at(0).model, u"ST3500418AS"_s);
    QCOMPARE(detail->drives.at(0).passed, std::optional<bool>(true));
    QVERIFY(!detail->drives.at(2).passed);
    QVERIFY(!detail->drives.at(2).problem.isEmpty());
    QCOMPARE(unavailable(round), QStringList{u"batteries"_s});
    QTest::qWait(20);
    const Protocol::Round second = runRound(probe);
    QCOMPARE(valueOf(second, u"hw.ecc_corrected{mc=mc0}"_s).value_or(-1), 0.0);
}

void TestHardwareProbe::hangingSmartctlEndsTheRoundInTime()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Protocol::TestSpec hanging = spec({{u"smart-timeout"_s, u"1s"_s}});
    HardwareProbe probe(hanging, parsed(hanging), fixture(u"vm"_s), fakeSmartctl(dir, u"exec sleep 60\n"_s));
    QElapsedTimer clock;
    clock.start();
    const Protocol::Round round = runRound(probe);
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
    checkRoundIsWellFormed(round);
    QVERIFY(round.values.isEmpty());
    QCOMPARE(unavailable(round),
        (QStringList{u"temperatures"_s, u"fans"_s, u"power"_s, u"batteries"_s, u"memory-errors"_s, u"drives"_s}));
}

// This machine, as it is: the real /sys and the real smartctl (scripts/deps test installs
// smartmontools; without it, drives are not available all the same).
void TestHardwareProbe::thisMachine()
{
    const Protocol::TestSpec real = spec({{u"smart-timeout"_s, u"5s"_s}}, 10000);
    HardwareProbe probe(real, parsed(real));
    QElapsedTimer clock;
    clock.start();
    const Protocol::Round first = runRound(probe, 8000);
    QVERIFY(clock.elapsed() < 6000);
    checkRoundIsWellFormed(first);
    const Protocol::Round second = runRound(probe, 8000);
    checkRoundIsWellFormed(second);
    for (const Protocol::MetricValue &value : second.values)
        QVERIFY2(value.value >= 0 || value.metric.startsWith(u"hw.temp_c"_s), qPrintable(value.metric));
    qInfo() << second.values.size() << "values; not available:" << unavailable(second);
}

QTEST_GUILESS_MAIN(TestHardwareProbe)
#include "tst_hardwareprobe.moc"
