// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <deque>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "agent/platform/wirelessreader.h"
#include "agent/probes/probefactory.h"
#include "agent/probes/wireless/wirelessprobe.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/details.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/wireless.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Agent;

namespace {

Protocol::TestSpec spec(qint64 intervalMs, const QString &samples = QString())
{
    Protocol::TestSpec result;
    result.id = 7;
    result.name = u"wifi"_s;
    result.type = u"wireless"_s;
    result.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    result.intervalMs = intervalMs;
    if (!samples.isEmpty())
        result.params.insert(u"samples"_s, samples);
    return result;
}

Validation::WirelessParams params(const Protocol::TestSpec &test)
{
    Validation::WirelessParams result;
    QString error;
    if (!Validation::parseWirelessParams(test, &result, &error))
        qFatal("%s", qPrintable(error));
    return result;
}

// A reader that answers from a script: the links of the coming rounds, and the signal readings
// between them (nullopt: a reading that failed).
class ScriptedReader final : public WirelessReader
{
public:
    std::deque<WirelessReading> links;
    std::deque<std::optional<WirelessSignal>> signals;
    int signalReads = 0;

    WirelessReading readLink(const QString &) override
    {
        WirelessReading next = links.front();
        if (links.size() > 1)
            links.pop_front();
        return next;
    }
    std::optional<WirelessSignal> readSignal(int ifindex) override
    {
        Q_ASSERT(ifindex == 3);
        ++signalReads;
        if (signals.empty())
            return std::nullopt;
        const auto next = signals.front();
        signals.pop_front();
        return next;
    }
};

WirelessReading connected(const QString &bssid, int signalDbm, std::optional<int> noise = -92)
{
    WirelessReading reading;
    reading.link.ifindex = 3;
    reading.link.interfaceName = u"wlan0"_s;
    reading.link.mac = u"02:00:5e:10:00:01"_s;
    reading.link.connected = true;
    reading.link.ssid = u"Harbour Lab"_s;
    reading.link.bssid = bssid;
    reading.link.frequencyMhz = 5180;
    reading.link.channel = 36;
    reading.link.channelWidthMhz = 80;
    reading.link.txPowerDbm = 22;
    reading.link.noiseDbm = noise;
    reading.signal = WirelessSignal{bssid, signalDbm, 866.7, 780};
    return reading;
}

WirelessSignal signal(int dbm, std::optional<double> tx = std::nullopt)
{
    return WirelessSignal{u"02:11:22:33:44:55"_s, dbm, tx, std::nullopt};
}

QMap<QString, double> valuesOf(const Protocol::Round &round)
{
    QMap<QString, double> values;
    for (const Protocol::MetricValue &value : round.values)
        values.insert(value.metric, value.value);
    return values;
}

QString sample(const char16_t *metric)
{
    return sampleName(QStringView(metric), u"if", u"wlan0");
}

Protocol::Round runRound(WirelessProbe &probe, QSignalSpy &rounds)
{
    const qsizetype before = rounds.size();
    probe.startRound(1'700'000'000'000);
    if (rounds.size() == before && !rounds.wait(5000))
        qFatal("the round did not finish");
    return rounds.constLast().at(0).value<Protocol::Round>();
}

} // namespace

// The wireless probe: on this host (no Wi-Fi, no nl80211) the real reader gives one plain "not
// available" per round, never an error; with a scripted reader, the signal readings spread over the
// round, the metrics they give, per-figure absence and the roaming event.
class TestWirelessProbe final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void thisHostHasNoWifi();
    void theFactoryMakesIt();
    void paramsShareTheInterval();
    void readingsSpreadOverTheRound();
    void missingFiguresAreLeftOut();
    void failedReadingsLeaveTheRoundWhole();
    void disconnectedInterface();
    void roamingRaisesOneEvent();
};

void TestWirelessProbe::thisHostHasNoWifi()
{
    // The build and CI machines have no Wi-Fi hardware and no nl80211 in their kernel.
    const std::unique_ptr<WirelessReader> reader = createWirelessReader();
    const WirelessReading reading = reader->readLink(QString());
    if (reading.unavailable.isEmpty()) {
        QVERIFY(!reading.link.interfaceName.isEmpty());
        QSKIP("this host has Wi-Fi: its link was read; the rest of this test is for hosts without");
    }
    QVERIFY2(reading.unavailable.contains(u"not available"_s), qPrintable(reading.unavailable));
    QVERIFY(!reader->readSignal(1));

    const Protocol::TestSpec test = spec(1000);
    WirelessProbe probe(test, params(test));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    QSignalSpy events(&probe, &Probe::event);
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer took;
        took.start();
        const Protocol::Round round = runRound(probe, rounds);
        QVERIFY(took.elapsed() < 500); // nothing to sample: the round ends at once
        QCOMPARE(round.testId, test.id);
        QVERIFY2(round.error.isEmpty(), qPrintable(round.error)); // a fact about the host, not a failure
        QVERIFY(round.values.isEmpty());
        const auto *detail = round.detail.get<Protocol::WirelessDetail>();
        QVERIFY(detail);
        QCOMPARE(detail->unavailable, reading.unavailable);
        QVERIFY(!detail->connected);
        QVERIFY(detail->signalDbm.isEmpty());
    }
    QCOMPARE(rounds.size(), 3);
    QVERIFY(events.isEmpty());
}

void TestWirelessProbe::theFactoryMakesIt()
{
    QVERIFY(probeCapabilities().contains(u"wireless"_s));
    QString error;
    const auto probe = createProbe(spec(1000, u"3"_s), &error);
    QVERIFY2(probe, qPrintable(error));
    QSignalSpy rounds(probe.get(), &Probe::roundFinished);
    probe->startRound(1);
    QVERIFY(rounds.size() == 1 || rounds.wait(2000));
}

void TestWirelessProbe::paramsShareTheInterval()
{
    QCOMPARE(params(spec(1000)).samples, 5);
    QCOMPARE(params(spec(1000)).spacingMs, 200);
    QCOMPARE(params(spec(10'000, u"20"_s)).spacingMs, 500);
    QString error;
    QVERIFY(!Validation::parseWirelessParams(spec(100, u"6"_s), nullptr, &error)); // 20 ms each at least
    QVERIFY2(error.contains(u"from 1 to 5"_s), qPrintable(error));
    Protocol::TestSpec named = spec(1000);
    named.params.insert(u"interface"_s, u"wlan0/1"_s);
    QVERIFY(!Validation::parseWirelessParams(named, nullptr, &error));
    QVERIFY2(error.contains(u"interface=wlan0/1"_s), qPrintable(error));
    named.params.insert(u"interface"_s, u"wlp2s0"_s);
    Validation::WirelessParams read;
    QVERIFY(Validation::parseWirelessParams(named, &read, &error));
    QCOMPARE(read.interface, u"wlp2s0"_s);
    Protocol::TestSpec elsewhere = spec(1000);
    elsewhere.target = u"192.0.2.1"_s;
    QVERIFY(!Validation::checkTestSpec(elsewhere, &error));
}

void TestWirelessProbe::readingsSpreadOverTheRound()
{
    auto reader = std::make_unique<ScriptedReader>();
    ScriptedReader &script = *reader;
    script.links = {connected(u"02:11:22:33:44:55"_s, -50)};
    script.signals = {signal(-54), signal(-46, 650.0), signal(-52), signal(-48)};
    const Protocol::TestSpec test = spec(500);
    WirelessProbe probe(test, params(test), std::move(reader));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    QElapsedTimer took;
    took.start();
    probe.startRound(1'700'000'000'000);
    QVERIFY(rounds.isEmpty()); // the readings are yet to come, from the event loop
    QVERIFY(rounds.wait(2000));
    QVERIFY2(took.elapsed() >= 4 * 100 - 5 && took.elapsed() < 2000, qPrintable(QString::number(took.elapsed())));
    QCOMPARE(script.signalReads, 4);
    const Protocol::Round round = rounds.constFirst().at(0).value<Protocol::Round>();
    QVERIFY(round.error.isEmpty());
    QCOMPARE(round.timeMs, 1'700'000'000'000);
    const auto *detail = round.detail.get<Protocol::WirelessDetail>();
    QVERIFY(detail);
    QCOMPARE(detail->signalDbm, (QList<int>{-50, -54, -46, -52, -48}));
    QCOMPARE(detail->ssid, u"Harbour Lab"_s);
    QCOMPARE(detail->channel, 36);
    QCOMPARE(detail->txBitrateMbps, 650.0); // the latest reading that had one
    QCOMPARE(detail->rxBitrateMbps, 780.0);
    QCOMPARE(detail->linkQualityPct, 86);
    const QMap<QString, double> values = valuesOf(round);
    QCOMPARE(values.value(sample(Metric::WifiSignalMin)), -54.0);
    QCOMPARE(values.value(sample(Metric::WifiSignalAvg)), -50.0);
    QCOMPARE(values.value(sample(Metric::WifiSignalMax)), -46.0);
    QCOMPARE(values.value(sample(Metric::WifiNoise)), -92.0);
    QCOMPARE(values.value(sample(Metric::WifiSnr)), 42.0);
    QCOMPARE(values.value(sample(Metric::WifiLinkQuality)), 86.0);
    QCOMPARE(values.value(sample(Metric::WifiTxBitrate)), 650.0);
    QCOMPARE(values.value(sample(Metric::WifiRxBitrate)), 780.0);
    QCOMPARE(values.value(sample(Metric::WifiFrequency)), 5180.0);
    QCOMPARE(values.value(sample(Metric::WifiChannel)), 36.0);
    QCOMPARE(values.value(sample(Metric::WifiTxPower)), 22.0);
    QCOMPARE(values.value(sample(Metric::WifiConnected)), 1.0);
    QCOMPARE(values.size(), 12);
    for (const QString &name : values.keys())
        QVERIFY2(MetricCatalog::findSample(name), qPrintable(name)); // every name is the catalog's, per interface
}

void TestWirelessProbe::missingFiguresAreLeftOut()
{
    auto reader = std::make_unique<ScriptedReader>();
    WirelessReading reading = connected(u"02:11:22:33:44:55"_s, -60, std::nullopt);
    reading.link.txPowerDbm.reset();
    reading.link.channel.reset();
    reading.signal.rxBitrateMbps.reset();
    reader->links = {reading};
    const Protocol::TestSpec test = spec(1000, u"1"_s);
    WirelessProbe probe(test, params(test), std::move(reader));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    const QMap<QString, double> values = valuesOf(runRound(probe, rounds));
    QVERIFY(!values.contains(sample(Metric::WifiNoise)));
    QVERIFY(!values.contains(sample(Metric::WifiSnr)));
    QVERIFY(!values.contains(sample(Metric::WifiTxPower)));
    QVERIFY(!values.contains(sample(Metric::WifiChannel)));
    QVERIFY(!values.contains(sample(Metric::WifiRxBitrate)));
    QCOMPARE(values.value(sample(Metric::WifiSignalAvg)), -60.0);
    QCOMPARE(values.value(sample(Metric::WifiFrequency)), 5180.0);
}

void TestWirelessProbe::failedReadingsLeaveTheRoundWhole()
{
    auto reader = std::make_unique<ScriptedReader>();
    ScriptedReader &script = *reader;
    script.links = {connected(u"02:11:22:33:44:55"_s, -50)};
    script.signals = {std::nullopt, signal(-70)}; // then none: each later reading fails
    const Protocol::TestSpec test = spec(250, u"5"_s);
    WirelessProbe probe(test, params(test), std::move(reader));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    const Protocol::Round round = runRound(probe, rounds);
    QCOMPARE(script.signalReads, 4);
    QCOMPARE(round.detail.get<Protocol::WirelessDetail>()->signalDbm, (QList<int>{-50, -70}));
    QCOMPARE(valuesOf(round).value(sample(Metric::WifiSignalAvg)), -60.0);
    QVERIFY(round.error.isEmpty());
}

void TestWirelessProbe::disconnectedInterface()
{
    auto reader = std::make_unique<ScriptedReader>();
    WirelessReading reading;
    reading.link.ifindex = 3;
    reading.link.interfaceName = u"wlan0"_s;
    reading.link.txPowerDbm = 0;
    reader->links = {reading};
    ScriptedReader &script = *reader;
    const Protocol::TestSpec test = spec(1000);
    WirelessProbe probe(test, params(test), std::move(reader));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    const Protocol::Round round = runRound(probe, rounds);
    QCOMPARE(script.signalReads, 0); // nothing to sample
    const QMap<QString, double> values = valuesOf(round);
    QCOMPARE(values.value(sample(Metric::WifiConnected), -1), 0.0);
    QCOMPARE(values.value(sample(Metric::WifiTxPower), -1), 0.0);
    QCOMPARE(values.size(), 2);
    QVERIFY(!round.detail.get<Protocol::WirelessDetail>()->connected);
    QVERIFY(round.error.isEmpty());
}

void TestWirelessProbe::roamingRaisesOneEvent()
{
    auto reader = std::make_unique<ScriptedReader>();
    WirelessReading down;
    down.link.ifindex = 3;
    down.link.interfaceName = u"wlan0"_s;
    reader->links = {connected(u"02:11:22:33:44:55"_s, -50), connected(u"02:11:22:33:44:55"_s, -55),
        connected(u"02:11:22:33:44:66"_s, -60), connected(u"02:11:22:33:44:66"_s, -61), down,
        connected(u"02:11:22:33:44:55"_s, -50)};
    const Protocol::TestSpec test = spec(1000, u"1"_s);
    WirelessProbe probe(test, params(test), std::move(reader));
    QSignalSpy rounds(&probe, &Probe::roundFinished);
    QSignalSpy events(&probe, &Probe::event);
    QList<Protocol::Round> seen;
    for (int i = 0; i < 6; ++i)
        seen.append(runRound(probe, rounds));
    // Only the move from one access point to the other while connected; not the first round, and not
    // the reconnection after a round without Wi-Fi.
    QCOMPARE(events.size(), 1);
    const auto event = events.constFirst().at(0).value<Protocol::Event>();
    QCOMPARE(event.kind, u"wifi-roamed"_s);
    QCOMPARE(event.level, u"info"_s);
    QCOMPARE(event.testId, test.id);
    QCOMPARE(event.coded.code(), u"wifi-roamed"_s);
    QCOMPARE(event.message,
        u"Wi-Fi wlan0 moved to another access point of network \"Harbour Lab\": from 02:11:22:33:44:55 to "
        "02:11:22:33:44:66."_s);
    QCOMPARE(seen.at(2).detail.get<Protocol::WirelessDetail>()->previousBssid, u"02:11:22:33:44:55"_s);
    QVERIFY(seen.at(3).detail.get<Protocol::WirelessDetail>()->previousBssid.isEmpty());
}

QTEST_GUILESS_MAIN(TestWirelessProbe)
#include "tst_wirelessprobe.moc"
