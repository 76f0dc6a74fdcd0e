// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cmath>
#include <cstring>
#include <limits>

#include <QCborArray>
#include <QCborMap>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "console/storage/records.h"
#include "shared/protocol/codec.h"
#include "shared/protocol/detailcodec.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Protocol;
using StreamSwarm::Console::DetailRecord;

Q_DECLARE_METATYPE(StreamSwarm::Protocol::RoundDetail)

namespace {

constexpr qint64 T0 = 1'795'680'000'000;

QString dataDir()
{
    const QString sourceDir = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    return sourceDir.isEmpty() ? QFINDTESTDATA("../data") : sourceDir + u"/tests/data"_s;
}

QByteArray readData(const QString &name)
{
    QFile file(dataDir() + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

QString diagnostic(const RoundDetail &detail)
{
    return encodeDetail(detail).toCborValue().toDiagnosticNotation(QCborValue::Compact);
}

TimestampTally tally(int hardware, int kernel, int user)
{
    TimestampTally result;
    result.add(TimestampSource::Hardware, hardware);
    result.add(TimestampSource::Kernel, kernel);
    result.add(TimestampSource::User, user);
    return result;
}

// A detail's wire form with one top-level field replaced (or added).
QCborMap withField(const RoundDetail &detail, const QString &key, const QCborValue &value)
{
    QCborMap map = encodeDetail(detail);
    map.insert(key, value);
    return map;
}

// A detail's wire form with one field of the first entry of its list replaced (or added).
QCborMap withFirstEntryField(
    const RoundDetail &detail, const QString &list, const QString &key, const QCborValue &value)
{
    QCborMap map = encodeDetail(detail);
    QCborArray entries = map.value(list).toArray();
    QCborMap first = entries.at(0).toMap();
    first.insert(key, value);
    entries[0] = first;
    map.insert(list, entries);
    return map;
}

PingDetail pingDetail()
{
    return PingDetail{tally(1, 3, 0), ClockReading{true, -12.345, 250.5, 16000}};
}

TracerouteDetail tracerouteDetail()
{
    TracerouteDetail detail;
    detail.target = u"dest.example"_s;
    detail.address = u"2001:db8::9"_s;
    detail.protocol = u"tcp"_s;
    detail.port = 443;
    TracerouteHop first;
    first.ttl = 1;
    first.address = u"2001:db8::1"_s;
    first.name = u"gw.exämple"_s;
    first.sent = 3;
    first.received = 3;
    first.hasRtt = true;
    first.lastMs = 0.5;
    first.avgMs = 0.625;
    first.bestMs = 0.5;
    first.worstMs = 0.75;
    first.stddevMs = 0.1;
    first.addresses = {HopAddress{u"2001:db8::1"_s, u"gw.exämple"_s, 2, 0.6, 0.5},
        HopAddress{u"2001:db8::2"_s, QString(), 1, 0.7, 0.7}};
    TracerouteHop silent;
    silent.ttl = 2;
    silent.sent = 3;
    silent.lossPct = 100;
    detail.hops = {first, silent};
    detail.reached = false;
    detail.routeChanged = true;
    detail.timestamps = tally(0, 5, 1);
    detail.clock = ClockReading{false, 0, 0, 0};
    detail.lossHop = HopStep{2, u"*"_s, 100};
    detail.latencyHop = HopStep{1, u"2001:db8::1"_s, 0.5};
    detail.rateLimited = {2};
    return detail;
}

TlsDetail tlsDetail()
{
    TlsDetail detail;
    detail.address = u"192.0.2.7"_s;
    detail.port = 443;
    detail.serverName = u"www.example.com"_s;
    detail.version = u"TLSv1.3"_s;
    detail.cipher = u"TLS_AES_256_GCM_SHA384"_s;
    detail.alpn = u"h2"_s;
    detail.trusted = false;
    detail.problem = u"the certificate expired 3 days ago (on 2026-12-03)"_s;
    CertificateSummary leaf{u"CN=www.example.com"_s, u"CN=Example CA"_s, 1764547200000, 1764720000000, u"0A1B"_s,
        QString(64, u'a'), u"DNS:www.example.com,IP:192.0.2.7"_s};
    CertificateSummary root{
        u"CN=Example CA"_s, u"CN=Example CA"_s, 1700000000000, 2000000000000, u"01"_s, QString(64, u'b'), QString()};
    detail.chain = {leaf, root};
    return detail;
}

QCborMap tlsWith(const QString &key, const QCborValue &value)
{
    return withField(tlsDetail(), key, value);
}

QCborMap certificateWith(const QString &key, const QCborValue &value)
{
    return withFirstEntryField(tlsDetail(), u"chain"_s, key, value);
}

QosDetail qosDetail()
{
    QosClassDetail ef;
    ef.className = u"ef"_s;
    ef.dscp = 46;
    ef.sent = 10;
    ef.received = 9;
    ef.lostThere = 1;
    ef.lostBack = 0;
    ef.reorderedThere = 0;
    ef.reorderedBack = 2;
    ef.duplicatesThere = 0;
    ef.duplicatesBack = 0;
    ef.jitterThereMs = 0.25;
    ef.jitterBackMs = 0.5;
    ef.markingKeptThere = true;
    ef.markingKeptBack = false;
    ef.clocksSynchronised = true;
    QosClassDetail be;
    be.className = u"be"_s;
    be.sent = 10;
    be.lostThere = 10;
    be.oneWayDelaysLeftOut = u"this agent's clock is not synchronised (NTP or PTP)"_s;
    return QosDetail{{ef, be}, 0, tally(0, 0, 9), ClockReading{true, 1.5, 20, 300}};
}

BandwidthDetail bandwidthDetail(bool udp)
{
    BandwidthDetail detail;
    detail.method = u"iperf3"_s;
    detail.server = u"speed.example.net"_s;
    detail.port = 5201;
    detail.protocol = udp ? u"udp"_s : u"tcp"_s;
    detail.streams = 4;
    detail.seconds = 10;
    detail.omitSeconds = 2;
    detail.reverse = !udp;
    detail.bitrate = udp ? 80'000'000 : 0;
    detail.dscp = 10;
    detail.engine = u"iperf 3.12"_s;
    detail.address = u"2001:db8::5"_s;
    detail.measuredSeconds = 10.000433;
    detail.sentBytes = 59'875'328;
    detail.receivedBytes = 59'712'512;
    detail.sentMbps = 47.9;
    detail.receivedMbps = 47.77;
    if (udp) {
        detail.packets = 41'000;
        detail.lostPackets = 15'744;
        detail.lossPct = 38.4;
        detail.jitterMs = 0.353;
    } else {
        detail.retransmits = 132;
        detail.meanRttMs = 21.5;
        detail.congestionControl = u"cubic"_s;
    }
    detail.localCpuPct = 3.25;
    detail.remoteCpuPct = 120.5;
    detail.intervalsMbps = {47.5, 48, 47.75};
    return detail;
}

VoiceDetail voiceDetail()
{
    VoiceDirection there;
    there.sent = 250;
    there.lost = 3;
    there.lossPct = 1.2;
    there.jitterMs = 4.5;
    there.networkDelayMs = 80.25;
    there.delayMeasured = true;
    there.mouthToEarMs = 109.25;
    there.delayImpairment = 2.5;
    there.effectiveEquipment = 4.3;
    there.rating = 85.5;
    there.mos = 4.21;
    VoiceDirection back = there;
    back.sent = 247;
    back.lost = 0;
    back.lossPct = 0;
    VoiceDetail detail;
    detail.codec = u"g711"_s;
    detail.frameMs = 20;
    detail.packetBytes = 172;
    detail.dscp = 46;
    detail.equipmentImpairment = 0;
    detail.lossRobustness = 25.1;
    detail.there = there;
    detail.back = back;
    detail.timestamps = tally(0, 250, 0);
    detail.clock = ClockReading{true, 1.5, 20, 300};
    return detail;
}

DnsDetail dnsDetail()
{
    DnsDetail detail;
    detail.query = u"example.com"_s;
    detail.queryType = u"MX"_s;
    detail.server = u"[2001:db8::53]:5353"_s;
    detail.transport = u"tcp"_s;
    detail.rcode = u"NOERROR"_s;
    detail.sends = 2;
    detail.authoritative = true;
    detail.truncatedUdp = true;
    detail.answers = {DnsRecord{u"example.com."_s, u"MX"_s, 3600, u"10 mail.example.com."_s},
        DnsRecord{u"example.com."_s, u"MX"_s, 0, u"20 backup.example.com."_s}};
    return detail;
}

QCborMap dnsWith(const QString &key, const QCborValue &value)
{
    return withField(dnsDetail(), key, value);
}

WirelessDetail wirelessDetail()
{
    WirelessDetail detail;
    detail.interfaceName = u"wlan0"_s;
    detail.mac = u"02:00:5e:10:00:01"_s;
    detail.connected = true;
    detail.ssid = u"Café \u2615"_s;
    detail.bssid = u"02:11:22:33:44:66"_s;
    detail.previousBssid = u"02:11:22:33:44:55"_s;
    detail.frequencyMhz = 5180;
    detail.channel = 36;
    detail.channelWidthMhz = 80;
    detail.txPowerDbm = 22;
    detail.noiseDbm = -92;
    detail.signalDbm = {-52, -53, -51, -60, -52};
    detail.txBitrateMbps = 866.7;
    detail.rxBitrateMbps = 780;
    detail.linkQualityPct = 83;
    return detail;
}

QCborMap wirelessWith(const QString &key, const QCborValue &value)
{
    return withField(wirelessDetail(), key, value);
}

HttpDetail httpDetail()
{
    HttpDetail detail;
    detail.url = u"https://cdn.example/vod/clip.m3u8?quality=720p&start=30"_s;
    detail.finalUrl = u"https://edge.example/vod/clip.m3u8?quality=720p&start=30"_s;
    detail.method = u"GET"_s;
    detail.version = u"2"_s;
    detail.status = 200;
    detail.redirects = {detail.finalUrl};
    detail.address = u"2001:db8::80"_s;
    detail.port = 443;
    detail.contentType = u"application/vnd.apple.mpegurl"_s;
    detail.contentEncoding = u"gzip"_s;
    detail.headers
        = {HttpHeader{u"content-type"_s, u"application/vnd.apple.mpegurl"_s}, HttpHeader{u"set-cookie"_s, QString()}};
    detail.tlsVersion = u"TLSv1.3"_s;
    detail.cipher = u"TLS_AES_256_GCM_SHA384"_s;
    CertificateSummary leaf;
    leaf.subject = u"CN=edge.example"_s;
    leaf.issuer = u"CN=Example CA"_s;
    leaf.notBeforeMs = T0 - 86'400'000;
    leaf.notAfterMs = T0 + 86'400'000;
    leaf.serial = u"0A1B"_s;
    leaf.sha256 = QString(64, u'a');
    leaf.names = u"DNS:edge.example"_s;
    detail.chain = {leaf};
    detail.trusted = false;
    detail.validation = u"the certificate expired 3 days ago (on 2026-12-03)"_s;
    HttpRequestTiming first{0.05, 1.25, 7.5, 48.0, 48.5, false};
    HttpRequestTiming reused{0, 0, std::nullopt, 41.0, 41.25, true};
    detail.requests = {first, reused};
    return detail;
}

// The http detail with one field of its top level, or of its first request or header, replaced.
QCborMap httpWith(const QString &key, const QCborValue &value)
{
    return withField(httpDetail(), key, value);
}

QCborMap dnsAnswerWith(const QString &key, const QCborValue &value)
{
    return withFirstEntryField(dnsDetail(), u"answers"_s, key, value);
}

QCborMap httpNestedWith(const QString &list, const QString &key, const QCborValue &value)
{
    return withFirstEntryField(httpDetail(), list, key, value);
}

HardwareDetail hardwareDetail()
{
    HardwareDetail detail;
    detail.drives = {DriveSummary{u"sda"_s, u"ST3500418AS"_s, u"9VMABC12"_s, u"ATA"_s, true, QString()},
        DriveSummary{u"nvme0"_s, u"SAMSUNG MZWLL3T2HAJQ-00005"_s, u"S3HDNX0K"_s, u"NVMe"_s, false, QString()},
        DriveSummary{u"sdc"_s, QString(), QString(), QString(), std::nullopt,
            u"smartctl did not answer within 10s and was stopped"_s}};
    detail.batteries = {BatteryState{u"BAT0"_s, u"Discharging"_s}};
    detail.unavailable = {UnavailableHardware{u"memory-errors"_s, u"this host reports no memory error counts"_s}};
    return detail;
}

QCborMap hardwareWith(const QString &key, const QCborValue &value)
{
    return withField(hardwareDetail(), key, value);
}

QCborMap driveWith(const QString &key, const QCborValue &value)
{
    return withFirstEntryField(hardwareDetail(), u"drives"_s, key, value);
}

// A results message with one round carrying detail.
QByteArray resultsWithDetail(const QCborValue &detail)
{
    const QCborMap round{{u"test"_s, 1}, {u"t"_s, T0}, {u"values"_s, QCborMap{}}, {u"detail"_s, detail}};
    return QCborMap{{u"v"_s, 1}, {u"type"_s, u"results"_s}, {u"seq"_s, 1}, {u"rounds"_s, QCborArray{round}}}
        .toCborValue()
        .toCbor();
}

QCborMap encodedHop(int ttl)
{
    QCborMap hop = encodeDetail(tracerouteDetail()).value(u"hops"_s).toArray().at(0).toMap();
    hop.insert(u"ttl"_s, ttl);
    return hop;
}

// The traceroute detail with one field of its top level or of its first hop replaced.
QCborMap tracerouteWith(const QString &key, const QCborValue &value)
{
    return withField(tracerouteDetail(), key, value);
}

QCborMap hopWith(const QString &key, const QCborValue &value)
{
    return withFirstEntryField(tracerouteDetail(), u"hops"_s, key, value);
}

QCborMap qosClassWith(const QString &key, const QCborValue &value)
{
    return withFirstEntryField(qosDetail(), u"classes"_s, key, value);
}

} // namespace

class TestDetails final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void todaysBytesDecode();
    void todaysBytesReencodeIdentically();
    void olderAgentsShapesDecode_data();
    void olderAgentsShapesDecode();
    void unknownKeysAndKindsTolerated();
    void detailsWithNanEqualThemselves();
    void limits_data();
    void limits();
    void dnsWireForm();
    void wirelessWireForm();
    void storedJsonReadsAndWritesAsBefore();
    void storedJsonThatDoesNotReadIsKept();
};

void TestDetails::roundTrip_data()
{
    QTest::addColumn<RoundDetail>("detail");
    QTest::newRow("none") << RoundDetail();
    QTest::newRow("ping") << RoundDetail(pingDetail());
    QTest::newRow("traceroute") << RoundDetail(tracerouteDetail());
    TracerouteDetail bare;
    bare.target = u"t"_s;
    QTest::newRow("traceroute-bare") << RoundDetail(bare);
    QTest::newRow("qos") << RoundDetail(qosDetail());
    QTest::newRow("http") << RoundDetail(httpDetail());
    HttpDetail failed; // a round that got no answer: what it asked, and nothing else
    failed.url = u"http://no-such-host.invalid/"_s;
    failed.method = u"HEAD"_s;
    QTest::newRow("http-failed") << RoundDetail(failed);
    QTest::newRow("tcp") << RoundDetail(TcpDetail{u"2001:db8::9"_s, 8443});
    QTest::newRow("tls") << RoundDetail(tlsDetail());
    TlsDetail trusted = tlsDetail();
    trusted.trusted = true;
    trusted.problem.clear();
    trusted.alpn.clear();
    trusted.serverName.clear();
    QTest::newRow("tls-trusted-bare") << RoundDetail(trusted);
    QTest::newRow("dns") << RoundDetail(dnsDetail());
    DnsDetail unanswered;
    unanswered.query = u"zürich.example"_s;
    unanswered.queryType = u"A"_s;
    unanswered.server = u"127.0.0.1:53"_s;
    unanswered.transport = u"udp"_s;
    unanswered.sends = 3;
    QTest::newRow("dns-unanswered") << RoundDetail(unanswered);
    QTest::newRow("wireless") << RoundDetail(wirelessDetail());
    QTest::newRow("voice") << RoundDetail(voiceDetail());
    VoiceDetail uncalled;
    uncalled.codec = u"g729"_s;
    uncalled.frameMs = 20;
    uncalled.packetBytes = 52;
    uncalled.dscp = 46;
    uncalled.equipmentImpairment = 11;
    uncalled.lossRobustness = 19;
    QTest::newRow("voice-uncalled") << RoundDetail(uncalled);
    QTest::newRow("bandwidth-tcp") << RoundDetail(bandwidthDetail(false));
    QTest::newRow("bandwidth-udp") << RoundDetail(bandwidthDetail(true));
    BandwidthDetail refused; // the server said no: what was asked, and no figures
    refused.method = u"iperf3"_s;
    refused.server = u"192.0.2.7"_s;
    refused.port = 5201;
    refused.protocol = u"tcp"_s;
    refused.seconds = 10;
    QTest::newRow("bandwidth-refused") << RoundDetail(refused);
    BandwidthDetail speed; // method=http: download and upload
    speed.method = u"http"_s;
    speed.server = u"https://speed.example.net/backend/?server=1&x=%20"_s;
    speed.protocol = u"http"_s;
    speed.streams = 4;
    speed.seconds = 10;
    speed.omitSeconds = 2;
    speed.engine = u"libcurl/7.88.1"_s;
    speed.download = SpeedDirection{10.0004, 71'750'000, 57.4, 12, {57.2, 57.6}};
    speed.upload = SpeedDirection{10.0002, 47'375'000, 37.9, 0, {}};
    QTest::newRow("bandwidth-speed-test") << RoundDetail(speed);
    WirelessDetail unavailable; // no Wi-Fi on this host: the reason alone
    unavailable.unavailable = u"Wi-Fi is not available: this host has no Wi-Fi interface."_s;
    QTest::newRow("wireless-unavailable") << RoundDetail(unavailable);
    WirelessDetail disconnected; // an interface with no access point: no figures but its own
    disconnected.interfaceName = u"wlp2s0"_s;
    disconnected.txPowerDbm = 0;
    QTest::newRow("wireless-disconnected") << RoundDetail(disconnected);
    QTest::newRow("hardware") << RoundDetail(hardwareDetail());
    HardwareDetail bareHost; // a VM: nothing but what it lacks
    bareHost.unavailable = {UnavailableHardware{u"temperatures"_s, u"this host has no hwmon sensors"_s}};
    QTest::newRow("hardware-vm") << RoundDetail(bareHost);
    QTest::newRow("other") << RoundDetail(
        OtherDetail{u"future"_s, QCborMap{{u"kind"_s, u"future"_s}, {u"rcode"_s, 3}}});
}

void TestDetails::roundTrip()
{
    QFETCH(RoundDetail, detail);
    Round round;
    round.testId = 3;
    round.timeMs = T0;
    round.detail = detail;
    DecodeError error;
    const auto message = decode(encode(Message{Results{1, {round}, {}, 0}}), &error);
    QVERIFY2(message, qPrintable(error.reason));
    const RoundDetail back = std::get<Results>(message->payload).rounds.at(0).detail;
    QCOMPARE(back.kind(), detail.kind());
    QVERIFY2(back == detail, qPrintable(diagnostic(back) + u" != "_s + diagnostic(detail)));
    // And through the stored JSON.
    const DetailRecord stored{detail, u"because"_s};
    const DetailRecord read = DetailRecord::fromStored(
        stored.kind(), QString::fromUtf8(QJsonDocument(stored.body()).toJson(QJsonDocument::Compact)));
    QVERIFY2(read.detail == detail, qPrintable(diagnostic(read.detail)));
    QCOMPARE(read.error, u"because"_s);
}

// tests/data/protocol/details-v1.cbor was written by the encoder and probes before typed details
// (tests/data/protocol/makedetailsv1.cpp.txt).
void TestDetails::todaysBytesDecode()
{
    DecodeError error;
    const auto message = decode(readData(u"protocol/details-v1.cbor"_s), &error);
    QVERIFY2(message, qPrintable(error.reason));
    const QList<Round> rounds = std::get<Results>(message->payload).rounds;
    QCOMPARE(rounds.size(), 5);

    const auto *ping = rounds.at(0).detail.get<PingDetail>();
    QVERIFY(ping);
    QCOMPARE(ping->timestamps.count(TimestampSource::Hardware), 1);
    QCOMPARE(ping->timestamps.count(TimestampSource::Kernel), 3);
    QCOMPARE(ping->timestamps.count(TimestampSource::User), 0);
    QCOMPARE(ping->timestamps.weakest(), TimestampSource::Kernel);
    QVERIFY(ping->clock.synchronised);
    QCOMPARE(ping->clock.offsetUs, -12.345);
    QCOMPARE(ping->clock.maxErrorUs, 16000.0);

    const auto *path = rounds.at(1).detail.get<TracerouteDetail>();
    QVERIFY(path);
    QCOMPARE(path->target, u"dest.example"_s);
    QCOMPARE(path->address, u"192.0.2.9"_s);
    QCOMPARE(path->protocol, u"udp"_s);
    QCOMPARE(path->port, 33434);
    QCOMPARE(path->hops.size(), 4);
    QCOMPARE(path->hops.at(0).name, u"gw.example"_s);
    QCOMPARE(path->hops.at(1).addresses.size(), 2);
    QCOMPARE(path->hops.at(1).addresses.at(1).name, u"core-b.example"_s);
    QCOMPARE(path->hops.at(1).addresses.at(0).received, 2);
    QVERIFY(path->hops.at(2).address.isEmpty()); // "*"
    QVERIFY(!path->hops.at(2).hasRtt);
    QCOMPARE(path->hops.at(2).lossPct, 100.0);
    QCOMPARE(path->hops.at(3).avgMs, 20.5);
    QVERIFY(path->reached && !path->routeChanged);
    QVERIFY(path->lossHop && path->latencyHop);
    QCOMPARE(path->lossHop->ttl, 4);
    QCOMPARE(path->latencyHop->step, 15.0);
    QVERIFY(path->rateLimited.isEmpty());
    QCOMPARE(path->timestamps->weakest(), TimestampSource::User);

    const auto *failedPath = rounds.at(2).detail.get<TracerouteDetail>();
    QVERIFY(failedPath);
    QCOMPARE(rounds.at(2).error, u"Cannot resolve nowhere.example: host not found"_s);
    QVERIFY(failedPath->address.isEmpty());
    QCOMPARE(failedPath->port, 0);
    QCOMPARE(failedPath->rateLimited, (QList<int>{2, 5}));
    QCOMPARE(failedPath->timestamps->total(), 0);

    const auto *qos = rounds.at(3).detail.get<QosDetail>();
    QVERIFY(qos);
    QCOMPARE(qos->classes.size(), 2);
    QCOMPARE(qos->duplicates, 1);
    const QosClassDetail &ef = qos->classes.at(0);
    QCOMPARE(ef.dscp, 46);
    QCOMPARE(ef.jitterBackMs, std::optional<double>(0.25));
    QCOMPARE(ef.markingKeptThere, std::optional<bool>(true));
    QCOMPARE(ef.oneWayDelaysLeftOut, std::optional<QString>(u"this agent's clock is not synchronised (NTP or PTP)"_s));
    const QosClassDetail &be = qos->classes.at(1);
    QCOMPARE(be.received, 0);
    QVERIFY(!be.jitterThereMs && !be.markingKeptBack && !be.clocksSynchronised && !be.oneWayDelaysLeftOut);
    QCOMPARE(be.reorderedThere, std::optional<qint64>(2));

    QVERIFY(rounds.at(4).detail.isEmpty());
    QCOMPARE(rounds.at(4).error, u"Cannot resolve wan.example: host not found"_s);
}

// The new encoder writes exactly the bytes the old one did: consoles before typed details took
// those (they accepted any detail and stored it as JSON), so they read new agents' rounds as before.
void TestDetails::todaysBytesReencodeIdentically()
{
    const QByteArray today = readData(u"protocol/details-v1.cbor"_s);
    const auto message = decode(today);
    QVERIFY(message);
    const QByteArray again = encode(*message);
    if (again != today) {
        qWarning("old: %s", qPrintable(QCborValue::fromCbor(today).toDiagnosticNotation()));
        qWarning("new: %s", qPrintable(QCborValue::fromCbor(again).toDiagnosticNotation()));
    }
    QCOMPARE(again.toHex(), today.toHex());
}

void TestDetails::olderAgentsShapesDecode_data()
{
    QTest::addColumn<QCborMap>("detail");
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("sameBytes"); // else jitter comes back as undefined, as agents send it now
    // Traceroute as the first agents sent it (before TCP/UDP probing, load-balanced hops and
    // timestamp quality): no protocol, port, addresses, timestamps or clock.
    const QCborMap hop{{u"ttl"_s, 1}, {u"address"_s, u"10.0.0.1"_s}, {u"sent"_s, 3}, {u"received"_s, 3},
        {u"loss_pct"_s, 0.0}, {u"last"_s, 0.5}, {u"avg"_s, 0.5}, {u"best"_s, 0.5}, {u"worst"_s, 0.5},
        {u"stddev"_s, 0.0}};
    QTest::newRow("traceroute-first") << QCborMap{{u"kind"_s, u"traceroute"_s}, {u"target"_s, u"10.0.0.1"_s},
        {u"address"_s, u"10.0.0.1"_s}, {u"hops"_s, QCborArray{hop}}, {u"reached"_s, true}, {u"route_changed"_s, false}}
                                      << int(DetailKind::Traceroute) << true;
    // qos before per-direction figures and timestamp quality.
    const QCborMap qosClass{{u"class"_s, u"ef"_s}, {u"dscp"_s, 46}, {u"sent"_s, 10}, {u"received"_s, 0},
        {u"markingKeptThere"_s, QCborValue()}, {u"markingKeptBack"_s, QCborValue()},
        {u"clocksSynchronised"_s, QCborValue()}};
    QTest::newRow("qos-first") << QCborMap{{u"kind"_s, u"qos"_s}, {u"classes"_s, QCborArray{qosClass}},
        {u"duplicates"_s, 0}} << int(DetailKind::Qos)
                               << false;
}

void TestDetails::olderAgentsShapesDecode()
{
    QFETCH(QCborMap, detail);
    QFETCH(int, kind);
    DecodeError error;
    const auto decoded = decodeDetail(detail, &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    QFETCH(bool, sameBytes);
    QCOMPARE(int(decoded->kind()), kind);
    if (sameBytes)
        QCOMPARE(diagnostic(*decoded), QCborValue(detail).toDiagnosticNotation(QCborValue::Compact));
    const auto again = decodeDetail(encodeDetail(*decoded), &error);
    QVERIFY2(again && *again == *decoded, qPrintable(error.reason));
}

void TestDetails::unknownKeysAndKindsTolerated()
{
    QCborMap ping = encodeDetail(pingDetail());
    ping.insert(u"futureFigure"_s, 1.5);
    QCborMap timestamps = ping.value(u"timestamps"_s).toMap();
    timestamps.insert(u"ptp"_s, 4);
    ping.insert(u"timestamps"_s, timestamps);
    DecodeError error;
    auto decoded = decodeDetail(ping, &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    QVERIFY(*decoded == RoundDetail(pingDetail()));

    decoded = decodeDetail(hopWith(u"asn"_s, 64500), &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    decoded = decodeDetail(qosClassWith(u"ecn"_s, u"ect0"_s), &error);
    QVERIFY2(decoded, qPrintable(error.reason));

    // A kind this build does not know is kept whole, and written back as it came.
    const QCborMap future{{u"kind"_s, u"future"_s}, {u"answers"_s, QCborArray{u"192.0.2.1"_s}}, {u"rcode"_s, 0}};
    decoded = decodeDetail(future, &error);
    QVERIFY2(decoded, qPrintable(error.reason));
    QCOMPARE(decoded->kind(), DetailKind::Other);
    QCOMPARE(decoded->get<OtherDetail>()->kind, u"future"_s);
    QCOMPARE(encodeDetail(*decoded), future);
    const auto message = decode(resultsWithDetail(future), &error);
    QVERIFY2(message, qPrintable(error.reason));
}

// A detail of a kind this build does not know keeps its fields whole, a NaN deep in them too; it must
// still equal itself (the fuzzer's round-trip oracle found QCborMap's comparison did not).
void TestDetails::detailsWithNanEqualThemselves()
{
    // Two NaNs that differ only in payload bits, as one decoded from a half-precision NaN and its
    // re-encoding may: CBOR writes both the same way.
    const auto nanWithPayload = [](quint64 bits) {
        double value = 0;
        std::memcpy(&value, &bits, sizeof(value));
        return value;
    };
    const auto withNan = [](double nan) {
        return QCborMap{{u"kind"_s, u"future"_s}, {u"hops"_s, QCborArray{QCborMap{{u"stddev"_s, nan}}}}};
    };
    const RoundDetail detail(OtherDetail{u"future"_s, withNan(nanWithPayload(0x7ff8000000000000ULL))});
    QVERIFY(detail == detail);
    QVERIFY(detail == RoundDetail(OtherDetail{u"future"_s, withNan(nanWithPayload(0x7ff8000000000001ULL))}));
    const QCborMap fields = withNan(std::numeric_limits<double>::quiet_NaN());
    const QCborMap other{{u"kind"_s, u"future"_s}, {u"hops"_s, QCborArray{QCborMap{{u"stddev"_s, 1.0}}}}};
    QVERIFY(detail != RoundDetail(OtherDetail{u"future"_s, other}));
}

void TestDetails::limits_data()
{
    QTest::addColumn<QCborValue>("detail");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not a map") << QCborValue(QByteArray("xx")) << u"round 1: field 'detail' must be a map"_s;
    QTest::newRow("kind not text") << QCborValue(QCborMap{{u"kind"_s, 3}}) << u"field 'kind' must be text"_s;
    QCborArray tooManyHops;
    for (int ttl = 1; ttl <= MAX_DETAIL_HOPS + 1; ++ttl)
        tooManyHops.append(encodedHop(std::min(ttl, MAX_DETAIL_HOPS)));
    QTest::newRow("hops") << QCborValue(tracerouteWith(u"hops"_s, tooManyHops))
                          << u"traceroute detail: field 'hops' has more than 255 entries"_s;
    QTest::newRow("hops not a list") << QCborValue(tracerouteWith(u"hops"_s, u"1,2"_s))
                                     << u"traceroute detail: field 'hops' must be a list"_s;
    QTest::newRow("hop not a map") << QCborValue(tracerouteWith(u"hops"_s, QCborArray{QCborValue::Null}))
                                   << u"traceroute detail, hop 1: each hop must be a map"_s;
    QCborArray tooManyAddresses;
    for (int i = 0; i <= MAX_HOP_ADDRESSES; ++i)
        tooManyAddresses.append(
            QCborMap{{u"address"_s, u"10.0.0.%1"_s.arg(i)}, {u"received"_s, 1}, {u"avg"_s, 1.0}, {u"best"_s, 1.0}});
    QTest::newRow("addresses") << QCborValue(hopWith(u"addresses"_s, tooManyAddresses))
                               << u"traceroute detail, hop 1: field 'addresses' has more than 64 entries"_s;
    QTest::newRow("ttl 0") << QCborValue(hopWith(u"ttl"_s, 0))
                           << u"traceroute detail, hop 1: field 'ttl' must be a whole number from 1 to 255"_s;
    QTest::newRow("ttl 256") << QCborValue(hopWith(u"ttl"_s, 256))
                             << u"traceroute detail, hop 1: field 'ttl' must be a whole number from 1 to 255"_s;
    QTest::newRow("ttl 1.5") << QCborValue(hopWith(u"ttl"_s, 1.5))
                             << u"traceroute detail, hop 1: field 'ttl' must be a whole number from 1 to 255"_s;
    QTest::newRow("negative count") << QCborValue(hopWith(u"sent"_s, -1))
                                    << u"traceroute detail, hop 1: field 'sent' must be a whole number from 0 to "
                                       "2147483647"_s;
    QTest::newRow("loss over 100") << QCborValue(hopWith(u"loss_pct"_s, 100.5))
                                   << u"traceroute detail, hop 1: field 'loss_pct' must be a number from 0 to 100"_s;
    QTest::newRow("rtt NaN") << QCborValue(hopWith(u"avg"_s, std::numeric_limits<double>::quiet_NaN()))
                             << u"traceroute detail, hop 1: field 'avg' must be a number from -86400000 to "
                                "86400000"_s;
    QTest::newRow("rtt text") << QCborValue(hopWith(u"best"_s, u"1 ms"_s))
                              << u"traceroute detail, hop 1: field 'best' must be a number from -86400000 to "
                                 "86400000"_s;
    QTest::newRow("long name") << QCborValue(hopWith(u"name"_s, QString(256, u'n')))
                               << u"traceroute detail, hop 1: field 'name' is longer than 255 characters"_s;
    QTest::newRow("long address") << QCborValue(hopWith(u"address"_s, QString(65, u'1')))
                                  << u"traceroute detail, hop 1: field 'address' is longer than 64 characters"_s;
    QTest::newRow("long target") << QCborValue(tracerouteWith(u"target"_s, QString(257, u't')))
                                 << u"traceroute detail: field 'target' is longer than 256 characters"_s;
    QTest::newRow("port") << QCborValue(tracerouteWith(u"port"_s, 65536))
                          << u"traceroute detail: field 'port' must be a whole number from 1 to 65535"_s;
    QTest::newRow("reached") << QCborValue(tracerouteWith(u"reached"_s, 1))
                             << u"traceroute detail: field 'reached' must be true or false"_s;
    QTest::newRow("rate limited") << QCborValue(tracerouteWith(u"rate_limited"_s, QCborArray{0}))
                                  << u"traceroute detail: field 'rate_limited' must list TTLs from 1 to 255"_s;
    QTest::newRow("loss hop") << QCborValue(tracerouteWith(u"loss_hop"_s, QCborMap{{u"ttl"_s, 2}}))
                              << u"traceroute detail: field 'address' must be text"_s;
    QTest::newRow("source") << QCborValue(tracerouteWith(u"timestamps"_s, QCborMap{{u"source"_s, u"sundial"_s}}))
                            << u"traceroute detail: field 'source' must be hardware, kernel or user"_s;
    QTest::newRow("clock") << QCborValue(tracerouteWith(u"clock"_s, QCborMap{{u"synchronised"_s, true}}))
                           << u"traceroute detail: field 'offsetUs' must be a number from -1000000000000 to "
                              "1000000000000"_s;
    QCborMap ping = encodeDetail(pingDetail());
    ping.remove(u"timestamps"_s);
    QTest::newRow("ping without timestamps") << QCborValue(ping) << u"ping detail: field 'timestamps' must be a map"_s;
    QTest::newRow("dscp") << QCborValue(qosClassWith(u"dscp"_s, 64))
                          << u"qos detail, class 1: field 'dscp' must be a whole number from 0 to 63"_s;
    QTest::newRow("jitter") << QCborValue(qosClassWith(u"jitterThereMs"_s, -1.0))
                            << u"qos detail, class 1: field 'jitterThereMs' must be a number from 0 to 86400000"_s;
    QTest::newRow("marking") << QCborValue(qosClassWith(u"markingKeptBack"_s, u"yes"_s))
                             << u"qos detail, class 1: field 'markingKeptBack' must be true or false"_s;
    QCborArray tooManyClasses;
    for (int i = 0; i <= MAX_QOS_CLASSES; ++i)
        tooManyClasses.append(encodeDetail(qosDetail()).value(u"classes"_s).toArray().at(0));
    QCborMap qos = encodeDetail(qosDetail());
    qos.insert(u"classes"_s, tooManyClasses);
    QTest::newRow("classes") << QCborValue(qos) << u"field 'classes' has more than 64 entries"_s;
    QTest::newRow("drive passed") << QCborValue(driveWith(u"passed"_s, u"yes"_s))
                                  << u"hardware detail, drive 1: field 'passed' must be true or false"_s;
    QTest::newRow("drive model") << QCborValue(driveWith(u"model"_s, QString(129, u'm')))
                                 << u"hardware detail, drive 1: field 'model' is longer than 128 characters"_s;
    QTest::newRow("drive problem") << QCborValue(driveWith(u"problem"_s, QString(513, u'p')))
                                   << u"hardware detail, drive 1: field 'problem' is longer than 512 characters"_s;
    QTest::newRow("drive not a map") << QCborValue(hardwareWith(u"drives"_s, QCborArray{u"sda"_s}))
                                     << u"hardware detail, drive 1: each drive must be a map"_s;
    QCborArray tooManyDrives;
    for (int i = 0; i <= MAX_HARDWARE_DRIVES; ++i)
        tooManyDrives.append(encodeDetail(hardwareDetail()).value(u"drives"_s).toArray().at(0));
    QTest::newRow("drives") << QCborValue(hardwareWith(u"drives"_s, tooManyDrives))
                            << u"field 'drives' has more than 64 entries"_s;
    QTest::newRow("unavailable reason") << QCborValue(
        hardwareWith(u"unavailable"_s, QCborArray{QCborMap{{u"source"_s, u"fans"_s}}}))
                                        << u"hardware detail, source 1: field 'reason' must be text"_s;
    QTest::newRow("batteries") << QCborValue(hardwareWith(u"batteries"_s, QCborMap{}))
                               << u"hardware detail: field 'batteries' must be a list"_s;
    QTest::newRow("http status") << QCborValue(httpWith(u"status"_s, 1000))
                                 << u"http detail: field 'status' must be a whole number from 100 to 999"_s;
    QTest::newRow("http url") << QCborValue(httpWith(u"url"_s, QString(2049, u'u')))
                              << u"http detail: field 'url' is longer than 2048 characters"_s;
    QCborArray redirects;
    for (int i = 0; i <= MAX_HTTP_REDIRECTS; ++i)
        redirects.append(u"http://example/"_s);
    QTest::newRow("http redirects") << QCborValue(httpWith(u"redirects"_s, redirects))
                                    << u"field 'redirects' has more than 21 entries"_s;
    QTest::newRow("http redirect") << QCborValue(httpWith(u"redirects"_s, QCborArray{1}))
                                   << u"http detail: field 'redirects' must hold URLs of at most 2048 characters"_s;
    QCborArray headers;
    for (int i = 0; i <= MAX_HTTP_HEADERS; ++i)
        headers.append(QCborMap{{u"name"_s, u"x"_s}, {u"value"_s, u"y"_s}});
    QTest::newRow("http headers") << QCborValue(httpWith(u"headers"_s, headers))
                                  << u"field 'headers' has more than 64 entries"_s;
    QTest::newRow("http header value") << QCborValue(httpNestedWith(u"headers"_s, u"value"_s, QString(1025, u'v')))
                                       << u"http detail, header 1: field 'value' is longer than 1024 characters"_s;
    QTest::newRow("http timing") << QCborValue(httpNestedWith(u"requests"_s, u"ttfb"_s, -1.0))
                                 << u"http detail, request 1: field 'ttfb' must be a number from 0 to 86400000"_s;
    QTest::newRow("http reused") << QCborValue(httpNestedWith(u"requests"_s, u"reused"_s, u"yes"_s))
                                 << u"http detail, request 1: field 'reused' must be true or false"_s;
    QCborArray requests;
    for (int i = 0; i <= MAX_HTTP_REQUESTS; ++i)
        requests.append(encodeDetail(httpDetail()).value(u"requests"_s).toArray().at(0));
    QTest::newRow("http requests") << QCborValue(httpWith(u"requests"_s, requests))
                                   << u"field 'requests' has more than 10 entries"_s;
    QTest::newRow("http trusted") << QCborValue(httpWith(u"trusted"_s, u"no"_s))
                                  << u"http detail: field 'trusted' must be true or false"_s;
    QTest::newRow("tcp port") << QCborValue(QCborMap{{u"kind"_s, u"tcp"_s}, {u"address"_s, u"::1"_s}, {u"port"_s, 0}})
                              << u"tcp detail: field 'port' must be a whole number from 1 to 65535"_s;
    QTest::newRow("tls version") << QCborValue(tlsWith(u"version"_s, QString(33, u'v')))
                                 << u"tls detail: field 'version' is longer than 32 characters"_s;
    QTest::newRow("tls trusted") << QCborValue(tlsWith(u"trusted"_s, u"yes"_s))
                                 << u"tls detail: field 'trusted' must be true or false"_s;
    QCborArray longChain;
    for (int i = 0; i <= MAX_CHAIN_CERTIFICATES; ++i)
        longChain.append(encodeDetail(tlsDetail()).value(u"chain"_s).toArray().at(0));
    QTest::newRow("tls chain") << QCborValue(tlsWith(u"chain"_s, longChain))
                               << u"field 'chain' has more than 10 entries"_s;
    QTest::newRow("certificate subject") << QCborValue(certificateWith(u"subject"_s, QString(1025, u's')))
                                         << u"tls detail: field 'subject' is longer than 1024 characters"_s;
    QTest::newRow("certificate date")
        << QCborValue(certificateWith(u"notAfter"_s, u"tomorrow"_s))
        << u"tls detail: field 'notAfter' must be a whole number from -62167219200000 to 253402300799999"_s;
    QCborArray tooManyAnswers;
    for (int i = 0; i <= MAX_DNS_ANSWERS; ++i)
        tooManyAnswers.append(encodeDetail(dnsDetail()).value(u"answers"_s).toArray().at(0));
    QTest::newRow("dns answers") << QCborValue(dnsWith(u"answers"_s, tooManyAnswers))
                                 << u"dns detail: field 'answers' has more than 100 entries"_s;
    QTest::newRow("dns answer not a map") << QCborValue(dnsWith(u"answers"_s, QCborArray{u"192.0.2.1"_s}))
                                          << u"dns detail, answer 1: each answer must be a map"_s;
    QTest::newRow("dns data") << QCborValue(dnsAnswerWith(u"data"_s, QString(1025, u'x')))
                              << u"dns detail, answer 1: field 'data' is longer than 1024 characters"_s;
    QTest::newRow("dns ttl") << QCborValue(dnsAnswerWith(u"ttl"_s, qint64(1) << 31))
                             << u"dns detail, answer 1: field 'ttl' must be a whole number from 0 to 2147483647"_s;
    QTest::newRow("dns ttl negative") << QCborValue(dnsAnswerWith(u"ttl"_s, -1))
                                      << u"dns detail, answer 1: field 'ttl' must be a whole number from 0 to "
                                         "2147483647"_s;
    QTest::newRow("dns type") << QCborValue(dnsAnswerWith(u"type"_s, QString(17, u'A')))
                              << u"dns detail, answer 1: field 'type' is longer than 16 characters"_s;
    QTest::newRow("dns server") << QCborValue(dnsWith(u"server"_s, QString(65, u'1')))
                                << u"dns detail: field 'server' is longer than 64 characters"_s;
    QTest::newRow("dns rcode") << QCborValue(dnsWith(u"rcode"_s, 3)) << u"dns detail: field 'rcode' must be text"_s;
    QTest::newRow("dns sends") << QCborValue(dnsWith(u"sends"_s, 1001))
                               << u"dns detail: field 'sends' must be a whole number from 0 to 1000"_s;
    QTest::newRow("dns query") << QCborValue(dnsWith(u"query"_s, QString(1025, u'q')))
                               << u"dns detail: field 'query' is longer than 1024 characters"_s;
    QTest::newRow("dns transport") << QCborValue(dnsWith(u"transport"_s, u"carrier-pigeon"_s))
                                   << u"dns detail: field 'transport' is longer than 8 characters"_s;
    QTest::newRow("dns flag") << QCborValue(dnsWith(u"authoritative"_s, u"yes"_s))
                              << u"dns detail: field 'authoritative' must be true or false"_s;
    QCborArray manyReadings;
    for (int i = 0; i <= WirelessDetail::MAX_SIGNAL_READINGS; ++i)
        manyReadings.append(-50);
    QTest::newRow("wireless readings") << QCborValue(wirelessWith(u"signalDbm"_s, manyReadings))
                                       << u"wireless detail: field 'signalDbm' has more than 100 entries"_s;
    QTest::newRow("wireless reading") << QCborValue(wirelessWith(u"signalDbm"_s, QCborArray{-50, -50.5}))
                                      << u"wireless detail: signalDbm must hold whole dBm figures from -200 to 100"_s;
    QTest::newRow("wireless reading text")
        << QCborValue(wirelessWith(u"signalDbm"_s, QCborArray{u"-50"_s}))
        << u"wireless detail: signalDbm must hold whole dBm figures from -200 to 100"_s;
    QTest::newRow("wireless reading huge")
        << QCborValue(wirelessWith(u"signalDbm"_s, QCborArray{1e300}))
        << u"wireless detail: signalDbm must hold whole dBm figures from -200 to 100"_s;
    QTest::newRow("wireless ssid") << QCborValue(wirelessWith(u"ssid"_s, QString(33, u's')))
                                   << u"wireless detail: field 'ssid' is longer than 32 characters"_s;
    QTest::newRow("wireless channel") << QCborValue(wirelessWith(u"channel"_s, 256))
                                      << u"wireless detail: field 'channel' must be a whole number from 0 to 255"_s;
    QTest::newRow("wireless frequency") << QCborValue(wirelessWith(u"frequencyMhz"_s, 0))
                                        << u"wireless detail: field 'frequencyMhz' must be a whole number from 1 to "
                                           "100000"_s;
    QTest::newRow("wireless quality") << QCborValue(wirelessWith(u"linkQualityPct"_s, 101))
                                      << u"wireless detail: field 'linkQualityPct' must be a whole number from 0 to "
                                         "100"_s;
    QTest::newRow("wireless bitrate") << QCborValue(wirelessWith(u"txBitrateMbps"_s, -1.0))
                                      << u"wireless detail: field 'txBitrateMbps' must be a number from 0 to 1000000"_s;
    QTest::newRow("wireless connected") << QCborValue(wirelessWith(u"connected"_s, 1))
                                        << u"wireless detail: field 'connected' must be true or false"_s;
    QTest::newRow("wireless reason") << QCborValue(wirelessWith(u"unavailable"_s, QString(513, u'r')))
                                     << u"wireless detail: field 'unavailable' is longer than 512 characters"_s;
}

void TestDetails::limits()
{
    QFETCH(QCborValue, detail);
    QFETCH(QString, reason);
    DecodeError error;
    QVERIFY(!decode(resultsWithDetail(detail), &error));
    QVERIFY2(error.reason.startsWith(u"round 1: "_s), qPrintable(error.reason));
    QVERIFY2(error.reason.endsWith(reason), qPrintable(error.reason));
    QVERIFY(!decodeDetail(detail));
}

// The dns detail's wire form as shared/protocol/README.md describes it: keys, their order and types.
void TestDetails::dnsWireForm()
{
    QCOMPARE(diagnostic(dnsDetail()),
        uR"({"kind": "dns", "query": "example.com", "type": "MX", "server": "[2001:db8::53]:5353", "transport": "tcp", )"
        uR"("rcode": "NOERROR", "sends": 2, "authoritative": true, "truncated_udp": true, "answers": [{"name": )"
        uR"("example.com.", "type": "MX", "ttl": 3600, "data": "10 mail.example.com."}, {"name": "example.com.", )"
        uR"("type": "MX", "ttl": 0, "data": "20 backup.example.com."}]})"_s);
    DnsDetail cut = dnsDetail();
    cut.answersCut = true;
    cut.rcode.clear();
    const QCborMap map = encodeDetail(cut);
    QVERIFY(!map.contains(u"rcode"_s));
    QCOMPARE(map.value(u"answers_cut"_s), QCborValue(true));
    DecodeError error;
    const auto back = decodeDetail(map, &error);
    QVERIFY2(back, qPrintable(error.reason));
    QVERIFY(back->get<DnsDetail>()->answersCut);
    QVERIFY(back->get<DnsDetail>()->rcode.isEmpty());
    QCOMPARE(detailKindName(DetailKind::Dns), u"dns"_s);
}

// The wireless detail's wire form as shared/protocol/README.md describes it; a figure not read is absent.
void TestDetails::wirelessWireForm()
{
    WirelessDetail detail = wirelessDetail();
    detail.ssid = u"Harbour Lab"_s; // the diagnostic notation escapes what is not ASCII
    QCOMPARE(diagnostic(detail),
        uR"({"kind": "wireless", "interface": "wlan0", "mac": "02:00:5e:10:00:01", "connected": true, )"
        uR"("ssid": "Harbour Lab", "bssid": "02:11:22:33:44:66", "previousBssid": "02:11:22:33:44:55", )"
        uR"("frequencyMhz": 5180, "channel": 36, "channelWidthMhz": 80, "txPowerDbm": 22.0, "noiseDbm": -92, )"
        uR"("signalDbm": [-52, -53, -51, -60, -52], "txBitrateMbps": 866.7, "rxBitrateMbps": 780.0, )"
        uR"("linkQualityPct": 83})"_s);
    WirelessDetail unavailable;
    unavailable.unavailable = u"Wi-Fi is not available: this host has no Wi-Fi interface."_s;
    QCOMPARE(diagnostic(unavailable),
        uR"({"kind": "wireless", "unavailable": "Wi-Fi is not available: this host has no Wi-Fi interface.", )"
        uR"("connected": false})"_s);
    QCOMPARE(detailKindName(DetailKind::Wireless), u"wireless"_s);
}

// tests/data/storage/details-v1.json holds the details rows (kind, body) that SampleRepository
// stored before typed details, for the rounds of details-v1.cbor.
void TestDetails::storedJsonReadsAndWritesAsBefore()
{
    const QJsonArray rows = QJsonDocument::fromJson(readData(u"storage/details-v1.json"_s)).array();
    QCOMPARE(rows.size(), 5);
    const auto message = decode(readData(u"protocol/details-v1.cbor"_s));
    QVERIFY(message);
    const QList<Round> rounds = std::get<Results>(message->payload).rounds;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString kind = rows.at(i)[u"kind"_s].toString();
        const QString body = rows.at(i)[u"body"_s].toString();
        QString problem;
        const DetailRecord read = DetailRecord::fromStored(kind, body, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // What was stored reads as the typed detail the round carried ...
        QVERIFY2(read.detail == rounds.at(i).detail, qPrintable(kind + u' ' + diagnostic(read.detail)));
        QCOMPARE(read.error, rounds.at(i).error);
        // ... and the round is stored now exactly as it was then.
        const DetailRecord record{rounds.at(i).detail, rounds.at(i).error};
        QCOMPARE(record.kind(), kind);
        QCOMPARE(QString::fromUtf8(QJsonDocument(record.body()).toJson(QJsonDocument::Compact)), body);
    }
    const DetailRecord path
        = DetailRecord::fromStored(rows.at(1)[u"kind"_s].toString(), rows.at(1)[u"body"_s].toString());
    QCOMPARE(path.detail.get<TracerouteDetail>()->hops.at(1).addresses.at(1).address, u"10.0.1.2"_s);
}

void TestDetails::storedJsonThatDoesNotReadIsKept()
{
    const QString body = uR"({"hops":"lost","kind":"traceroute","target":"x"})"_s;
    QString problem;
    const DetailRecord read = DetailRecord::fromStored(u"traceroute"_s, body, &problem);
    QVERIFY2(problem.contains(u"'hops' must be a list"_s), qPrintable(problem));
    QCOMPARE(read.detail.kind(), DetailKind::Other);
    QCOMPARE(read.kind(), u"traceroute"_s);
    QCOMPARE(QString::fromUtf8(QJsonDocument(read.body()).toJson(QJsonDocument::Compact)), body);

    const DetailRecord unnamed = DetailRecord::fromStored(u"detail"_s, uR"({"note":"ü"})"_s);
    QCOMPARE(unnamed.kind(), u"detail"_s);
    QCOMPARE(unnamed.detail.get<OtherDetail>()->fields.value(u"note"_s).toString(), u"ü"_s);
}

QTEST_APPLESS_MAIN(TestDetails)
#include "tst_details.moc"
