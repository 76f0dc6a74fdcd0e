// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "agent/platform/hardwaresensors.h"
#include "agent/probes/hardware/counterdeltas.h"
#include "tests/support/testdata.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;
using namespace StreamSwarm::Agent::Platform;

// The Linux readers of the hardware test (hwmon, RAPL, power_supply, EDAC) on the fixture trees in
// tests/fixtures/hardware/, and the rates worked out from their counters.
class TestHardwareSensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void laptop();
    void server();
    void virtualMachineHasNoneOfIt();
    void brokenFilesAreLeftOut();
    void missingRootIsNotAnError();
    void energyDeltaWrapsAndResets();
    void powerFromTwoReadings();
    void powerIsNeverNegativeOrAbsurd();
    void newErrorsSurviveAReset();
    void countersOfAFixtureTreeWrap();
};

namespace {

QString fixture(const QString &host)
{
    return StreamSwarm::Test::testsPath(u"fixtures/hardware/"_s + host);
}

HardwareReadings readHost(const QString &host)
{
    return createHardwareSensors(fixture(host))->read();
}

std::optional<double> valueOf(const QList<SensorReading> &readings, const QString &name)
{
    for (const SensorReading &reading : readings) {
        if (reading.name == name)
            return reading.value;
    }
    return std::nullopt;
}

QStringList namesOf(const QList<SensorReading> &readings)
{
    QStringList names;
    for (const SensorReading &reading : readings)
        names.append(reading.name);
    return names;
}

QStringList unavailableSources(const HardwareReadings &readings)
{
    QStringList sources;
    for (const UnavailableSource &source : readings.unavailable) {
        sources.append(source.source);
        if (source.reason.isEmpty())
            qWarning() << "no reason for" << source.source;
    }
    return sources;
}

const PowerSupply *supply(const HardwareReadings &readings, const QString &name)
{
    for (const PowerSupply &supply : readings.supplies) {
        if (supply.name == name)
            return &supply;
    }
    return nullptr;
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

} // namespace

void TestHardwareSensors::laptop()
{
    const HardwareReadings readings = readHost(u"laptop"_s);
    QCOMPARE(namesOf(readings.temperatures),
        (QStringList{u"acpitz temp1"_s, u"coretemp Package id 0"_s, u"coretemp Core 0"_s, u"coretemp Core 1"_s,
            u"thinkpad CPU"_s, u"iwlwifi_1 temp1"_s}));
    QCOMPARE(valueOf(readings.temperatures, u"coretemp Package id 0"_s).value_or(-1), 52.0);
    QCOMPARE(valueOf(readings.temperatures, u"acpitz temp1"_s).value_or(-1), 47.0);
    QCOMPARE(namesOf(readings.fans), QStringList{u"thinkpad fan1"_s});
    QCOMPARE(valueOf(readings.fans, u"thinkpad fan1"_s).value_or(-1), 2650.0);

    // The MMIO copy of package-0 is left out; parts are named after their package.
    QCOMPARE(readings.energy.size(), 3);
    QCOMPARE(readings.energy.at(0).domain, u"package-0"_s);
    QCOMPARE(readings.energy.at(0).energyUj, 73468238190ULL);
    QCOMPARE(readings.energy.at(0).rangeUj, 262143328850ULL);
    QCOMPARE(readings.energy.at(1).domain, u"package-0/core"_s);
    QCOMPARE(readings.energy.at(2).domain, u"package-0/uncore"_s);

    // The mouse's battery is not the host's.
    QCOMPARE(readings.supplies.size(), 2);
    const PowerSupply *battery = supply(readings, u"BAT0"_s);
    QVERIFY(battery && battery->battery);
    QCOMPARE(battery->capacityPct.value_or(-1), 81.0);
    QCOMPARE(battery->powerW.value_or(-1), 9.37);
    QCOMPARE(battery->status, u"Discharging"_s);
    const PowerSupply *mains = supply(readings, u"AC"_s);
    QVERIFY(mains && !mains->battery);
    QVERIFY(mains->online && !*mains->online);

    QVERIFY(readings.ecc.isEmpty());
    QCOMPARE(unavailableSources(readings), QStringList{u"memory-errors"_s});
}

void TestHardwareSensors::server()
{
    const HardwareReadings readings = readHost(u"server"_s);
    // Two coretemp chips label their cores alike, and so do two NVMe drives: the later one says
    // which device it belongs to.
    QCOMPARE(namesOf(readings.temperatures),
        (QStringList{u"coretemp Package id 0"_s, u"coretemp Core 0"_s, u"coretemp Core 1"_s, u"coretemp Package id 1"_s,
            u"coretemp Core 0 (coretemp.1)"_s, u"coretemp Core 1 (coretemp.1)"_s, u"nct6775 SYSTIN"_s,
            u"nct6775 CPUTIN"_s, u"nvme Composite"_s, u"nvme Sensor 1"_s, u"nvme Composite (nvme1)"_s,
            u"nvme Sensor 1 (nvme1)"_s}));
    QCOMPARE(valueOf(readings.temperatures, u"nct6775 CPUTIN"_s).value_or(-1), 45.5);
    QCOMPARE(valueOf(readings.temperatures, u"nvme Composite (nvme1)"_s).value_or(-1), 41.85);
    // A stopped fan reads 0; the one marked faulty is left out.
    QCOMPARE(namesOf(readings.fans), (QStringList{u"nct6775 fan1"_s, u"nct6775 fan2"_s}));
    QCOMPARE(valueOf(readings.fans, u"nct6775 fan2"_s).value_or(-1), 0.0);

    QCOMPARE(readings.energy.size(), 4);
    QCOMPARE(readings.energy.at(1).domain, u"package-0/dram"_s);
    QCOMPARE(readings.energy.at(3).domain, u"package-1/dram"_s);
    QCOMPARE(readings.energy.at(3).rangeUj, 65712999613ULL);

    QCOMPARE(readings.ecc.size(), 2);
    QCOMPARE(readings.ecc.at(0).controller, u"mc0"_s);
    QCOMPARE(readings.ecc.at(0).corrected, 3ULL);
    QCOMPARE(readings.ecc.at(0).uncorrected, 0ULL);
    QCOMPARE(readings.ecc.at(1).controller, u"mc1"_s);

    QVERIFY(readings.supplies.isEmpty());
    QCOMPARE(unavailableSources(readings), QStringList{u"batteries"_s});
}

void TestHardwareSensors::virtualMachineHasNoneOfIt()
{
    const HardwareReadings readings = readHost(u"vm"_s);
    QVERIFY(readings.temperatures.isEmpty() && readings.fans.isEmpty() && readings.energy.isEmpty()
        && readings.supplies.isEmpty() && readings.ecc.isEmpty());
    QCOMPARE(unavailableSources(readings),
        (QStringList{u"temperatures"_s, u"fans"_s, u"power"_s, u"batteries"_s, u"memory-errors"_s}));
}

void TestHardwareSensors::brokenFilesAreLeftOut()
{
    const HardwareReadings readings = readHost(u"broken"_s);
    // Empty, cut-off, junk-trailed and placeholder readings are left out; a chip without a name is
    // named after its directory.
    QCOMPARE(namesOf(readings.temperatures), QStringList{u"hwmon1 temp1"_s});
    QVERIFY(readings.fans.isEmpty());
    QVERIFY(readings.energy.isEmpty());
    QCOMPARE(readings.supplies.size(), 2); // BAT1's bay is empty
    const PowerSupply *battery = supply(readings, u"BAT0"_s);
    QVERIFY(battery);
    QVERIFY(!battery->capacityPct);
    QVERIFY(!battery->powerW);
    QCOMPARE(battery->status, u"Unknown"_s);
    QVERIFY(!supply(readings, u"AC"_s)->online);
    QVERIFY(readings.ecc.isEmpty());
    QCOMPARE(unavailableSources(readings), (QStringList{u"fans"_s, u"power"_s, u"memory-errors"_s}));
}

void TestHardwareSensors::missingRootIsNotAnError()
{
    const HardwareReadings readings = createHardwareSensors(u"/nonexistent/streamswarm"_s)->read();
    QCOMPARE(readings.unavailable.size(), 5);
}

void TestHardwareSensors::energyDeltaWrapsAndResets()
{
    QCOMPARE(CounterDeltas::energyDelta(100, 250, 1000).value_or(0), 150ULL);
    QCOMPARE(CounterDeltas::energyDelta(900, 100, 1000).value_or(0), 200ULL); // wrapped at the range
    QCOMPARE(CounterDeltas::energyDelta(5, 5, 1000).value_or(0), 0ULL);
    QVERIFY(!CounterDeltas::energyDelta(900, 100, 0)); // no range known: a reset
    QVERIFY(!CounterDeltas::energyDelta(2000, 100, 1000)); // was beyond its range: a reset
    QCOMPARE(CounterDeltas::errorDelta(3, 5), 2ULL);
    QCOMPARE(CounterDeltas::errorDelta(7, 2), 2ULL); // reset: what was counted since
}

void TestHardwareSensors::powerFromTwoReadings()
{
    CounterDeltas deltas;
    QVERIFY(deltas.power({{u"package-0"_s, 1'000'000, 262'143'328'850}}, 1'000'000'000).isEmpty());
    // 15 J over 1.5 s.
    const QList<CounterDeltas::Power> power
        = deltas.power({{u"package-0"_s, 16'000'000, 262'143'328'850}}, 2'500'000'000);
    QCOMPARE(power.size(), 1);
    QCOMPARE(power.at(0).domain, u"package-0"_s);
    QCOMPARE(power.at(0).watts, 10.0);
    // Across the wrap: 262,143,328,850 - 262,140,000,000 + 1,671,150 = 5,000,000 µJ in 1 s.
    deltas.power({{u"package-0"_s, 262'140'000'000, 262'143'328'850}}, 3'500'000'000);
    const QList<CounterDeltas::Power> wrapped
        = deltas.power({{u"package-0"_s, 1'671'150, 262'143'328'850}}, 4'500'000'000);
    QCOMPARE(wrapped.size(), 1);
    QCOMPARE(wrapped.at(0).watts, 5.0);
}

void TestHardwareSensors::powerIsNeverNegativeOrAbsurd()
{
    CounterDeltas deltas;
    deltas.power({{u"package-0"_s, 50'000'000, 0}}, 1'000'000'000);
    // Backwards without a known range: a reset, no figure.
    QVERIFY(deltas.power({{u"package-0"_s, 1'000'000, 0}}, 2'000'000'000).isEmpty());
    // A jump of 10 MJ in a second is not a CPU.
    QVERIFY(deltas.power({{u"package-0"_s, 10'000'000'000'000, 0}}, 3'000'000'000).isEmpty());
    // Two readings in the same instant give nothing rather than a division by zero.
    deltas.power({{u"package-0"_s, 10'000'000'000'000, 0}}, 4'000'000'000);
    QVERIFY(deltas.power({{u"package-0"_s, 10'000'000'000'001, 0}}, 4'000'000'000).isEmpty());
    // A domain seen for the first time gives nothing yet; the others go on.
    deltas.power({{u"package-0"_s, 0, 0}}, 5'000'000'000);
    const QList<CounterDeltas::Power> power
        = deltas.power({{u"package-0"_s, 2'000'000, 0}, {u"package-1"_s, 7, 0}}, 6'000'000'000);
    QCOMPARE(power.size(), 1);
    QCOMPARE(power.at(0).watts, 2.0);
    for (const CounterDeltas::Power &figure : power)
        QVERIFY(figure.watts >= 0);
}

void TestHardwareSensors::newErrorsSurviveAReset()
{
    CounterDeltas deltas;
    QVERIFY(deltas.newErrors({{u"mc0"_s, 3, 0}}).isEmpty());
    QList<CounterDeltas::NewErrors> errors = deltas.newErrors({{u"mc0"_s, 5, 1}});
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).corrected, 2ULL);
    QCOMPARE(errors.at(0).uncorrected, 1ULL);
    // The counters were reset (echo 0 > reset_counters) and one error came since.
    errors = deltas.newErrors({{u"mc0"_s, 1, 0}});
    QCOMPARE(errors.at(0).corrected, 1ULL);
    QCOMPARE(errors.at(0).uncorrected, 0ULL);
}

// The server tree, copied and rewritten between reads as the kernel would: package-0 wraps,
// package-1 goes backwards (the driver was reloaded), mc0's counters are reset.
void TestHardwareSensors::countersOfAFixtureTreeWrap()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QCOMPARE(QProcess::execute(u"cp"_s, {u"-R"_s, fixture(u"server"_s) + u"/."_s, root.path()}), 0);
    const auto sensors = createHardwareSensors(root.path());
    const QString powercap = root.filePath(u"sys/class/powercap"_s);
    CounterDeltas deltas;
    HardwareReadings before = sensors->read();
    QVERIFY(deltas.power(before.energy, 1'000'000'000).isEmpty());
    QVERIFY(deltas.newErrors(before.ecc).isEmpty());

    writeFile(powercap + u"/intel-rapl:0/energy_uj"_s, "262143328850\n");
    writeFile(powercap + u"/intel-rapl:1/energy_uj"_s, "152060000000\n");
    deltas.power(sensors->read().energy, 2'000'000'000);
    writeFile(powercap + u"/intel-rapl:0/energy_uj"_s, "40000000\n");
    writeFile(powercap + u"/intel-rapl:1/energy_uj"_s, "1000\n");
    writeFile(root.filePath(u"sys/devices/system/edac/mc/mc0/ce_count"_s), "0\n");
    const HardwareReadings after = sensors->read();
    const QList<CounterDeltas::Power> power = deltas.power(after.energy, 3'000'000'000);
    // The dram domains stood still (0 W); package-0 wrapped (40 W); package-1 has no figure.
    QStringList domains;
    for (const CounterDeltas::Power &figure : power) {
        domains.append(figure.domain);
        QVERIFY2(figure.watts >= 0 && figure.watts < 1000, qPrintable(figure.domain));
        if (figure.domain == u"package-0"_s)
            QCOMPARE(figure.watts, 40.0);
    }
    QCOMPARE(domains, (QStringList{u"package-0"_s, u"package-0/dram"_s, u"package-1/dram"_s}));
    const QList<CounterDeltas::NewErrors> errors = deltas.newErrors(after.ecc);
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors.at(0).corrected, 0ULL);
}

QTEST_APPLESS_MAIN(TestHardwareSensors)
#include "tst_hardwaresensors.moc"
