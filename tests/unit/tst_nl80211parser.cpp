// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cerrno>

#include <QDir>
#include <QFile>
#include <QTest>

#include "agent/platform/linux/wireless/nl80211capture.h"
#include "agent/platform/linux/wireless/nl80211link.h"
#include "agent/platform/linux/wireless/nl80211parser.h"
#include "agent/platform/wirelessreader.h"
#include "tests/support/testdata.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Agent;
using namespace StreamSwarm::Agent::Nl80211;

namespace {

QByteArray fixture(const QString &name)
{
    const QString folder = StreamSwarm::Test::testsPath(u"data/nl80211"_s);
    QFile file(QDir(folder).filePath(name + u".hex"_s));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return fromHexCapture(file.readAll());
}

// The link of a fixture set's first network interface, read from its four dumps.
WirelessLink linkOf(const QString &set)
{
    const QList<Interface> interfaces = networkInterfaces(parseInterfaces(fixture(set + u"-interface"_s)));
    if (interfaces.isEmpty())
        return {};
    return assembleLink(interfaces.constFirst(), parseStations(fixture(set + u"-station"_s)),
        parseScan(fixture(set + u"-scan"_s)), parseSurvey(fixture(set + u"-survey"_s)));
}

} // namespace

// The nl80211 parser on recorded replies (tests/data/nl80211/README.md says which are captured and
// which generated): every figure the kernel sends, and per-figure "not available" for figures that
// are missing, of the wrong size or absurd; cut and damaged replies never crash or hang it.
class TestNl80211Parser final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void laptopInterface();
    void laptopStation();
    void laptopScanAndSurvey();
    void laptopLink();
    void roamedLink();
    void disconnectedLink();
    void sparseDriverLeavesOutOnlyWhatIsMissing();
    void absurdValuesAreNotAvailable();
    void wrongSizedAttributesAreNotAvailable();
    void capturedError();
    void capturedAcknowledgement();
    void capturedNotificationIsNoEntry();
    void everyCutIsSafe_data();
    void everyCutIsSafe();
    void damagedLengthsStopTheReading();
    void channels_data();
    void channels();
    void linkQuality();
    void ssidText();
    void captureFormatRoundTrip();
};

void TestNl80211Parser::laptopInterface()
{
    const Dump<Interface> dump = parseInterfaces(fixture(u"laptop-interface"_s));
    QVERIFY(dump.end.done);
    QCOMPARE(dump.end.error, 0);
    QVERIFY(!dump.end.damaged);
    QCOMPARE(dump.entries.size(), 2);
    const Interface &wlan = dump.entries.at(0);
    QCOMPARE(wlan.ifindex, 3);
    QCOMPARE(wlan.name, u"wlan0"_s);
    QCOMPARE(wlan.mac, u"02:00:5e:10:00:01"_s);
    QCOMPARE(wlan.type, 2u);
    QCOMPARE(wlan.ssid, u"Harbour Lab"_s);
    QCOMPARE(wlan.frequencyMhz, 5180);
    QCOMPARE(wlan.channelWidthMhz, 80);
    QCOMPARE(wlan.txPowerDbm, 22.0);
    // wpa_supplicant's P2P device has no network interface, so a reading never chooses it.
    QCOMPARE(dump.entries.at(1).ifindex, 0);
    QCOMPARE(networkInterfaces(dump).size(), 1);
}

void TestNl80211Parser::laptopStation()
{
    const Dump<Station> dump = parseStations(fixture(u"laptop-station"_s));
    QVERIFY(dump.end.done);
    QCOMPARE(dump.entries.size(), 1);
    const Station &ap = dump.entries.constFirst();
    QCOMPARE(ap.ifindex, 3);
    QCOMPARE(ap.mac, u"02:11:22:33:44:55"_s);
    QCOMPARE(ap.signalDbm, -52);
    QCOMPARE(ap.signalAvgDbm, -50);
    QCOMPARE(ap.txBitrateMbps, 866.7);
    QCOMPARE(ap.rxBitrateMbps, 780.0);
}

void TestNl80211Parser::laptopScanAndSurvey()
{
    const Dump<Bss> scan = parseScan(fixture(u"laptop-scan"_s));
    QVERIFY(scan.end.done);
    QCOMPARE(scan.entries.size(), 2);
    QCOMPARE(scan.entries.at(0).bssid, u"02:11:22:33:44:55"_s);
    QCOMPARE(scan.entries.at(0).ssid, u"Harbour Lab"_s);
    QCOMPARE(scan.entries.at(0).frequencyMhz, 5180);
    QCOMPARE(scan.entries.at(0).signalDbm, -52.0);
    QVERIFY(scan.entries.at(0).associated);
    QCOMPARE(scan.entries.at(1).ssid, u"Harbour Guest"_s);
    QVERIFY(!scan.entries.at(1).associated);

    const Dump<Survey> survey = parseSurvey(fixture(u"laptop-survey"_s));
    QVERIFY(survey.end.done);
    QCOMPARE(survey.entries.size(), 4);
    QCOMPARE(survey.entries.at(2).frequencyMhz, 5180);
    QCOMPARE(survey.entries.at(2).noiseDbm, -92);
    QVERIFY(survey.entries.at(2).inUse);
    QVERIFY(!survey.entries.at(3).noiseDbm);
}

void TestNl80211Parser::laptopLink()
{
    const WirelessLink link = linkOf(u"laptop"_s);
    QCOMPARE(link.interfaceName, u"wlan0"_s);
    QVERIFY(link.connected);
    QCOMPARE(link.ssid, u"Harbour Lab"_s);
    QCOMPARE(link.bssid, u"02:11:22:33:44:55"_s);
    QCOMPARE(link.frequencyMhz, 5180);
    QCOMPARE(link.channel, 36);
    QCOMPARE(link.channelWidthMhz, 80);
    QCOMPARE(link.txPowerDbm, 22.0);
    QCOMPARE(link.noiseDbm, -92);
    const auto signal = signalOf(parseStations(fixture(u"laptop-station"_s)));
    QVERIFY(signal);
    QCOMPARE(signal->bssid, u"02:11:22:33:44:55"_s);
    QCOMPARE(signal->signalDbm, -52);
}

void TestNl80211Parser::roamedLink()
{
    const WirelessLink link = linkOf(u"roamed"_s);
    QVERIFY(link.connected);
    QCOMPARE(link.bssid, u"02:11:22:33:44:66"_s); // the associated BSS, not the first one listed
    QCOMPARE(link.frequencyMhz, 2437);
    QCOMPARE(link.channel, 6);
    QCOMPARE(link.channelWidthMhz, 20);
    QCOMPARE(link.txPowerDbm, 20.0);
    QCOMPARE(link.noiseDbm, -90); // of the channel now in use
}

void TestNl80211Parser::disconnectedLink()
{
    const WirelessLink link = linkOf(u"disconnected"_s);
    QCOMPARE(link.interfaceName, u"wlp2s0"_s);
    QVERIFY(!link.connected);
    QVERIFY(link.ssid.isEmpty());
    QVERIFY(link.bssid.isEmpty());
    QVERIFY(!link.frequencyMhz);
    QVERIFY(!link.channel);
    QVERIFY(!link.noiseDbm); // the survey has noise, but of no channel in use
    QCOMPARE(link.txPowerDbm, 0.0);
    QVERIFY(!signalOf(parseStations(fixture(u"disconnected-station"_s))));
}

void TestNl80211Parser::sparseDriverLeavesOutOnlyWhatIsMissing()
{
    const WirelessLink link = linkOf(u"sparse"_s);
    QVERIFY(link.connected);
    QCOMPARE(link.ssid, u"Café \u2615"_s); // from the scan's SSID element, UTF-8
    QCOMPARE(link.channel, 1);
    QVERIFY(!link.txPowerDbm);
    QVERIFY(!link.noiseDbm);
    const Station station = parseStations(fixture(u"sparse-station"_s)).entries.value(0);
    QCOMPARE(station.signalDbm, -71);
    QVERIFY(!station.signalAvgDbm);
    QCOMPARE(station.txBitrateMbps, 72.0); // the 16-bit figure, when there is no 32-bit one
    QVERIFY(!station.rxBitrateMbps);
}

void TestNl80211Parser::absurdValuesAreNotAvailable()
{
    const Interface interface = parseInterfaces(fixture(u"absurd-interface"_s)).entries.value(0);
    QCOMPARE(interface.ifindex, 6);
    QCOMPARE(interface.name.size(), 64); // cut, not refused
    QVERIFY(interface.ssid.isEmpty()); // 40 octets: longer than an SSID can be
    QVERIFY(!interface.frequencyMhz);
    QVERIFY(!interface.channelWidthMhz);
    QVERIFY(!interface.txPowerDbm);
    const Station station = parseStations(fixture(u"absurd-station"_s)).entries.value(0);
    QCOMPARE(station.mac, u"02:11:22:33:44:55"_s);
    QVERIFY(!station.signalDbm);
    QVERIFY(!station.signalAvgDbm);
    QVERIFY(!station.txBitrateMbps);
    QVERIFY(!station.rxBitrateMbps);
    const Bss bss = parseScan(fixture(u"absurd-scan"_s)).entries.value(0);
    QVERIFY(bss.associated);
    QVERIFY(bss.ssid.isEmpty()); // the element claims 200 octets of 7
    QVERIFY(!bss.signalDbm);
    const Survey survey = parseSurvey(fixture(u"absurd-survey"_s)).entries.value(0);
    QVERIFY(survey.inUse);
    QVERIFY(!survey.noiseDbm);

    const WirelessLink link = linkOf(u"absurd"_s);
    QVERIFY(link.connected);
    QCOMPARE(link.channel, 1); // the interface's 123 GHz is not believed; the associated BSS's 2412 MHz is
    QVERIFY(!link.noiseDbm);
    QVERIFY(!signalOf(parseStations(fixture(u"absurd-station"_s)))->signalDbm);
}

void TestNl80211Parser::wrongSizedAttributesAreNotAvailable()
{
    const Dump<Interface> interfaces = parseInterfaces(fixture(u"wrongsize-interface"_s));
    QVERIFY(interfaces.end.done);
    const Interface interface = interfaces.entries.value(0);
    QCOMPARE(interface.ifindex, 0);
    QCOMPARE(interface.name, u"wlan9"_s);
    QVERIFY(interface.mac.isEmpty());
    QVERIFY(!interface.frequencyMhz);
    QCOMPARE(interface.txPowerDbm, 15.0); // the one attribute of the right size still counts
    QVERIFY(networkInterfaces(interfaces).isEmpty());
    const Station station = parseStations(fixture(u"wrongsize-station"_s)).entries.value(0);
    QVERIFY(station.mac.isEmpty());
    QVERIFY(!station.signalDbm);
    QCOMPARE(station.signalAvgDbm, -60);
    QVERIFY(!station.txBitrateMbps);
}

void TestNl80211Parser::capturedError()
{
    const Dump<Bss> scan = parseScan(fixture(u"captured-scan-eopnotsupp"_s));
    QVERIFY(scan.end.done);
    QCOMPARE(scan.end.error, -EOPNOTSUPP);
    QVERIFY(!scan.end.damaged);
    QVERIFY(scan.entries.isEmpty());
    // The link goes on without the scan: only what the scan alone would have said is missing.
    const Interface interface = parseInterfaces(fixture(u"laptop-interface"_s)).entries.value(0);
    const WirelessLink link = assembleLink(
        interface, parseStations(fixture(u"laptop-station"_s)), scan, parseSurvey(fixture(u"laptop-survey"_s)));
    QVERIFY(link.connected);
    QCOMPARE(link.bssid, u"02:11:22:33:44:55"_s); // from the station entry
    QCOMPARE(link.ssid, u"Harbour Lab"_s); // from the interface
}

void TestNl80211Parser::capturedAcknowledgement()
{
    const DumpEnd end = dumpEnd(fixture(u"captured-scan-empty-ack"_s));
    QVERIFY(end.done);
    QCOMPARE(end.error, 0);
    QVERIFY(parseScan(fixture(u"captured-scan-empty-ack"_s)).entries.isEmpty());
}

void TestNl80211Parser::capturedNotificationIsNoEntry()
{
    const Dump<Bss> scan = parseScan(fixture(u"captured-scan-notification"_s));
    QVERIFY(scan.entries.isEmpty());
    QVERIFY(!scan.end.done); // a notification ends no dump
    QVERIFY(!scan.end.damaged);
}

void TestNl80211Parser::everyCutIsSafe_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"laptop-interface", "laptop-station", "laptop-scan", "laptop-survey", "sparse-station"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestNl80211Parser::everyCutIsSafe()
{
    QFETCH(QString, name);
    const QByteArray whole = fixture(name);
    for (qsizetype length = 0; length < whole.size(); ++length) {
        const QByteArrayView cut(whole.constData(), length);
        // Whatever is read from a cut reply is a prefix of the whole: never an invented entry.
        const auto interfaces = parseInterfaces(cut);
        const auto stations = parseStations(cut);
        const auto scan = parseScan(cut);
        const auto survey = parseSurvey(cut);
        QVERIFY2(!dumpEnd(cut).done, qPrintable(u"done at %1 of %2 bytes"_s.arg(length).arg(whole.size())));
        QVERIFY(interfaces.entries.size() + stations.entries.size() + scan.entries.size() + survey.entries.size() <= 4);
        for (const Station &station : stations.entries)
            QVERIFY(!station.signalDbm || *station.signalDbm < 0);
    }
    // An unaligned start does not matter to the parser, which reads its own copy.
    QByteArray shifted = "x" + whole;
    QCOMPARE(parseStations(QByteArrayView(shifted).sliced(1)).entries.size(), parseStations(whole).entries.size());
}

void TestNl80211Parser::damagedLengthsStopTheReading()
{
    QByteArray replies = fixture(u"laptop-station"_s);
    QByteArray tooLong = replies;
    tooLong[0] = char(0xff); // nlmsg_len past the end
    tooLong[1] = char(0xff);
    QVERIFY(parseStations(tooLong).end.damaged);
    QVERIFY(parseStations(tooLong).entries.isEmpty());
    QByteArray tooShort = replies;
    tooShort[0] = char(8); // shorter than a netlink header
    tooShort[1] = 0;
    QVERIFY(parseStations(tooShort).end.damaged);
    // An attribute whose length runs past its message: the attributes before it still count.
    QByteArray badAttribute = replies;
    const qsizetype staInfo = 16 + 4 + 8 + 12 + 8; // headers, IFINDEX, MAC, GENERATION
    badAttribute[staInfo] = char(0xff);
    badAttribute[staInfo + 1] = char(0x7f);
    const Dump<Station> dump = parseStations(badAttribute);
    QCOMPARE(dump.entries.size(), 1);
    QCOMPARE(dump.entries.constFirst().mac, u"02:11:22:33:44:55"_s);
    QVERIFY(!dump.entries.constFirst().signalDbm);
    QVERIFY(parseStations(QByteArray(4096, '\0')).end.damaged);
    QVERIFY(parseStations(QByteArrayView()).entries.isEmpty());
}

void TestNl80211Parser::channels_data()
{
    QTest::addColumn<int>("frequency");
    QTest::addColumn<int>("channel"); // 0: none
    QTest::newRow("2.4 GHz 1") << 2412 << 1;
    QTest::newRow("2.4 GHz 13") << 2472 << 13;
    QTest::newRow("2.4 GHz 14") << 2484 << 14;
    QTest::newRow("5 GHz 36") << 5180 << 36;
    QTest::newRow("5 GHz 165") << 5825 << 165;
    QTest::newRow("4.9 GHz 184") << 4920 << 184;
    QTest::newRow("6 GHz 1") << 5955 << 1;
    QTest::newRow("6 GHz 2") << 5935 << 2;
    QTest::newRow("6 GHz 233") << 7115 << 233;
    QTest::newRow("60 GHz 2") << 60480 << 2;
    QTest::newRow("below the bands") << 2400 << 0;
    QTest::newRow("between") << 3000 << 0;
}

void TestNl80211Parser::channels()
{
    QFETCH(int, frequency);
    QFETCH(int, channel);
    QCOMPARE(channelOfFrequency(frequency).value_or(0), channel);
}

void TestNl80211Parser::linkQuality()
{
    QCOMPARE(linkQualityPercent(-40), 100);
    QCOMPARE(linkQualityPercent(-20), 100);
    QCOMPARE(linkQualityPercent(-75), 50);
    QCOMPARE(linkQualityPercent(-110), 0);
    QCOMPARE(linkQualityPercent(-128), 0);
}

void TestNl80211Parser::ssidText()
{
    QCOMPARE(Nl80211::ssidText("Harbour Lab"), u"Harbour Lab"_s);
    QCOMPARE(Nl80211::ssidText(QByteArray(6, '\0')), QString()); // hidden
    QCOMPARE(Nl80211::ssidText("a\nb\x01"), u"a?b?"_s);
    QCOMPARE(Nl80211::ssidText("\xff\xfe"), u"\ufffd\ufffd"_s);
}

void TestNl80211Parser::captureFormatRoundTrip()
{
    const QByteArray replies = fixture(u"laptop-scan"_s);
    const QByteArray text = toHexCapture(replies, u"two lines\nof comment"_s);
    QVERIFY(text.startsWith("# two lines\n# of comment\n"));
    QCOMPARE(text.count('\n'), 2 + 3); // a line per message
    QCOMPARE(fromHexCapture(text), replies);
    // A cut capture keeps its last, partial message on a line of its own.
    QCOMPARE(fromHexCapture(toHexCapture(replies.first(37), u"cut"_s)), replies.first(37));
}

QTEST_APPLESS_MAIN(TestNl80211Parser)
#include "tst_nl80211parser.moc"
