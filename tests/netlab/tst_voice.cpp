// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The voice test across a router, against a real agent's STAMP reflector, rated against what the lab
// says happened: the router's delay element holds every packet both ways for 80 +- 10 ms (its truth
// file records each delay) and an nftables rule before it drops every hundredth packet on the way
// there (its counter records how many). The E-model worked on those truths must give the MOS the
// probe reads.
#include <algorithm>
#include <cmath>
#include <vector>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "agent/probes/voice/voiceprobe.h"
#include "shared/metrics/emodel.h"
#include "tests/netlab/lab.h"
#include "tests/netlab/stamplab.h"
#include "tests/netlab/truthfile.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::NetLab;

namespace {

constexpr quint16 STAMP_PORT = 8621;

double value(const Protocol::Round &round, const char16_t *metric, double missing = -1)
{
    for (const Protocol::MetricValue &v : round.values) {
        if (v.metric == QStringView(metric))
            return v.value;
    }
    return missing;
}

double medianMs(const std::vector<Held> &packets)
{
    std::vector<double> delays;
    for (const Held &packet : packets)
        delays.push_back(double(packet.delayNs + packet.lateNs) / 1e6);
    if (delays.empty())
        return 0;
    std::sort(delays.begin(), delays.end());
    const size_t middle = delays.size() / 2;
    return delays.size() % 2 ? delays[middle] : (delays[middle - 1] + delays[middle]) / 2;
}

} // namespace

class TestVoice final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mosIsTheEModelOfWhatHappened();
    void noReflectorSaysSo();
    void badParametersAreRefused_data();
    void badParametersAreRefused();

private:
    Protocol::TestSpec spec(const QString &target, qint64 durationMs) const;
    std::optional<Protocol::Round> runRound(const Protocol::TestSpec &spec);
    qint64 dropped() const;

    std::unique_ptr<Lab> m_lab;
    std::optional<RouterChain> m_chain;
    QTemporaryDir m_dir;
};

void TestVoice::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    QVERIFY2(Lab::installed({u"nft"_s, u"iptables"_s}, &why), qPrintable(why));
    m_lab = std::make_unique<Lab>();
    m_chain = m_lab->routerChain(1, &why);
    QVERIFY2(m_chain, qPrintable(why));
    QVERIFY2(startStampReflector(
                 *m_lab, m_chain->server, Test::agentBinary(), STAMP_PORT, m_dir.filePath(u"reflector"_s), &why),
        qPrintable(why));
}

Protocol::TestSpec TestVoice::spec(const QString &target, qint64 durationMs) const
{
    Protocol::TestSpec spec;
    spec.id = 11;
    spec.name = u"call"_s;
    spec.type = u"voice"_s;
    spec.target = target;
    spec.intervalMs = 10'000;
    spec.params = {{u"codec"_s, u"g711"_s}, {u"duration"_s, u"%1ms"_s.arg(durationMs)}, {u"timeout"_s, u"500ms"_s},
        {u"port"_s, QString::number(STAMP_PORT)}};
    return spec;
}

std::optional<Protocol::Round> TestVoice::runRound(const Protocol::TestSpec &spec)
{
    Validation::VoiceParams params;
    QString error;
    if (!Validation::parseVoiceParams(spec, &params, &error)) {
        qWarning("%s", qPrintable(error));
        return std::nullopt;
    }
    std::unique_ptr<Agent::VoiceProbe> probe;
    std::unique_ptr<QSignalSpy> finished;
    {
        InNamespace client(m_lab->namespaceName(m_chain->client));
        if (!client.entered())
            return std::nullopt;
        probe = std::make_unique<Agent::VoiceProbe>(spec, params);
        finished = std::make_unique<QSignalSpy>(probe.get(), &Agent::Probe::roundFinished);
        probe->startRound(1000); // the socket is made now, inside the client namespace
    }
    if (!finished->wait(int(params.durationMs + params.timeoutMs) + 5000))
        return std::nullopt;
    return finished->first().first().value<Protocol::Round>();
}

// Packets the router's drop rule has counted: the lab's truth of the loss on the way there.
qint64 TestVoice::dropped() const
{
    return nftCounted(*m_lab, m_chain->routers.first(), u"voiceloss"_s);
}

void TestVoice::mosIsTheEModelOfWhatHappened()
{
    const QHostAddress client = m_chain->links.constFirst().a.ipv4;
    const QHostAddress server = m_chain->serverAddress();
    // Every hundredth voice packet on the way there is dropped before the delay element sees it, so the
    // element's truth file holds exactly the packets that went on.
    const NetLab::CommandResult table = m_lab->run(m_chain->routers.first(), u"nft"_s,
        {u"add table ip voiceloss; add chain ip voiceloss forward { type filter hook forward priority -10; }; "
         "add rule ip voiceloss forward ip daddr %1 udp dport %2 numgen inc mod 100 == 50 counter drop"_s
                .arg(server.toString())
                .arg(STAMP_PORT)});
    QVERIFY2(table.succeeded(), qPrintable(table.err));
    ForwardDelay delay;
    delay.delayMs = 80;
    delay.jitterMs = 10;
    delay.seed = 8010;
    delay.truthFile = m_dir.filePath(u"voice.truth"_s);
    QString why;
    QProcess *element = m_lab->delayForwarded(m_chain->routers.first(), delay, &why);
    QVERIFY2(element, qPrintable(why));
    const auto round = runRound(spec(server.toString(), 6000));
    QVERIFY2(m_lab->removeDelay(element, &why), qPrintable(why)); // the truth file is complete now
    QVERIFY(round);
    QVERIFY2(round->error.isEmpty(), qPrintable(round->error));
    const auto *detail = round->detail.get<Protocol::VoiceDetail>();
    QVERIFY(detail && detail->there && detail->back);

    int others = 0;
    const std::vector<Held> there = heldInReleaseOrder(delay.truthFile, client, server, &others, &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const std::vector<Held> back = heldInReleaseOrder(delay.truthFile, server, client, &others, &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const qint64 lost = dropped();
    const qint64 sent = qint64(value(*round, Metric::VoiceSent));
    QCOMPARE(sent, 300); // 6 s of 20 ms frames
    QCOMPARE(lost, 3);
    QCOMPARE(qint64(there.size()) + lost, sent);
    QCOMPARE(qint64(back.size()), sent - lost); // nothing lost on the way back

    // What the truths say each direction was, in the probe's own terms: the network's one-way delay
    // (or, without synchronised clocks, half the round trip), RFC 3550 jitter as the packets went on.
    const double truthThereMs = medianMs(there);
    const double truthBackMs = medianMs(back);
    const bool measured = detail->there->delayMeasured;
    const double thereMs = measured ? truthThereMs : (truthThereMs + truthBackMs) / 2;
    const double backMs = measured ? truthBackMs : (truthThereMs + truthBackMs) / 2;
    const double jitterThere = rfc3550JitterMs(there, true);
    const double jitterBack = rfc3550JitterMs(back, true);
    const EModel::Codec &g711 = *EModel::findCodec(u"g711");
    const auto truthMos = [&](double delayMs, double jitterMs, double lossPct) {
        EModel::Inputs inputs;
        inputs.mouthToEarMs = EModel::mouthToEarMs(delayMs, jitterMs, g711);
        inputs.equipmentImpairment = g711.equipmentImpairment;
        inputs.lossRobustness = g711.lossRobustness;
        inputs.lossPct = lossPct;
        return EModel::evaluate(inputs).mos;
    };
    const double mosThere = truthMos(thereMs, jitterThere, 100.0 * double(lost) / double(sent));
    const double mosBack = truthMos(backMs, jitterBack, 0);
    qInfo("there: lost %lld of %lld, delay %.2f ms (truth %.2f), jitter %.3f ms (truth %.3f), MOS %.4f (truth %.4f)",
        qint64(detail->there->lost), sent, detail->there->networkDelayMs, thereMs, detail->there->jitterMs, jitterThere,
        detail->there->mos, mosThere);
    qInfo("back: lost %lld, delay %.2f ms (truth %.2f), jitter %.3f ms (truth %.3f), MOS %.4f (truth %.4f); one-way "
          "delays %s",
        qint64(detail->back->lost), detail->back->networkDelayMs, backMs, detail->back->jitterMs, jitterBack,
        detail->back->mos, mosBack, measured ? "measured" : "from half the round trip");
    QCOMPARE(detail->there->lost, lost);
    QCOMPARE(detail->back->lost, 0);
    // The lab's own path (veths, the element's handling) adds a fraction of a millisecond.
    QVERIFY(std::abs(detail->there->networkDelayMs - thereMs) < 2);
    QVERIFY(std::abs(detail->back->networkDelayMs - backMs) < 2);
    QVERIFY(std::abs(detail->there->jitterMs - jitterThere) < 0.25 * jitterThere + 0.2);
    QVERIFY(std::abs(detail->back->jitterMs - jitterBack) < 0.25 * jitterBack + 0.2);
    // A few tenths of a millisecond of delay or jitter move the MOS by well under a hundredth here.
    QVERIFY(std::abs(detail->there->mos - mosThere) < 0.01);
    QVERIFY(std::abs(detail->back->mos - mosBack) < 0.01);
    QCOMPARE(value(*round, Metric::VoiceMos), std::min(detail->there->mos, detail->back->mos));
    QCOMPARE(value(*round, Metric::VoiceMosThere), detail->there->mos);
    QCOMPARE(value(*round, Metric::VoiceLossThere), 1.0);
    QCOMPARE(detail->packetBytes, 172); // 160 bytes of audio and 12 of RTP
    QVERIFY(
        m_lab->run(m_chain->routers.first(), u"nft"_s, {u"delete"_s, u"table"_s, u"ip"_s, u"voiceloss"_s}).succeeded());
}

void TestVoice::noReflectorSaysSo()
{
    Protocol::TestSpec call = spec(m_chain->serverAddress().toString(), 200);
    call.params.insert(u"port"_s, u"8699"_s); // nothing answers there
    const auto round = runRound(call);
    QVERIFY(round);
    QVERIFY2(round->error.contains(u"No answer from a STAMP reflector"_s), qPrintable(round->error));
    QCOMPARE(value(*round, Metric::VoiceMos), -1.0); // no rating from nothing
    QCOMPARE(value(*round, Metric::VoiceSent), 10.0);
}

void TestVoice::badParametersAreRefused_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("says");
    QTest::newRow("codec") << u"codec"_s << u"g722"_s << u"The codec \"g722\" is not one we can simulate"_s;
    QTest::newRow("too long") << u"duration"_s << u"10s"_s << u"needs an interval of at least"_s;
    QTest::newRow("dscp") << u"dscp"_s << u"EF2"_s << u"dscp=EF2 is not valid"_s;
}

void TestVoice::badParametersAreRefused()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, says);
    Protocol::TestSpec call = spec(u"192.0.2.1"_s, 1000);
    call.params.insert(key, value);
    QString error;
    QVERIFY(!Validation::parseVoiceParams(call, nullptr, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestVoice)

#include "tst_voice.moc"
