// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "wirelessprobe.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QDateTime>

#include "agent/probes/probefactory.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/eventtext.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// Set to a folder to record the raw nl80211 replies the agent receives, in the format of the tests'
// fixtures (tests/data/nl80211/README.md): how someone with Wi-Fi adds real captures to the repo.
constexpr char CAPTURE_VARIABLE[] = "STREAMSWARM_NL80211_CAPTURE";

} // namespace

WirelessProbe::WirelessProbe(const Protocol::TestSpec &spec, const Validation::WirelessParams &params,
    std::unique_ptr<WirelessReader> reader, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_params(params)
    , m_reader(reader ? std::move(reader) : createWirelessReader(qEnvironmentVariable(CAPTURE_VARIABLE)))
    , m_nextReading([this] { takeReading(); })
{ }

WirelessProbe::~WirelessProbe() = default;

void WirelessProbe::startRound(qint64 roundTimeMs)
{
    if (m_running)
        finishRound(); // the readings never outlast the interval; should the loop have stalled, end it now
    m_running = true;
    m_roundTimeMs = roundTimeMs;
    m_detail = {};
    const WirelessReading reading = m_reader->readLink(m_params.interface);
    if (!reading.unavailable.isEmpty()) {
        if (reading.unavailable != m_loggedUnavailable)
            qCInfo(lcProbe).noquote() << "wireless" << m_spec.id << reading.unavailable;
        m_loggedUnavailable = reading.unavailable;
        m_detail.unavailable = reading.unavailable;
        m_link = {};
        finishRound();
        return;
    }
    m_loggedUnavailable.clear();
    m_link = reading.link;
    m_detail.interfaceName = m_link.interfaceName;
    m_detail.mac = m_link.mac;
    m_detail.connected = m_link.connected;
    m_detail.ssid = m_link.ssid.left(Protocol::WirelessDetail::MAX_SSID_LENGTH);
    m_detail.bssid = m_link.bssid;
    m_detail.frequencyMhz = m_link.frequencyMhz;
    m_detail.channel = m_link.channel;
    m_detail.channelWidthMhz = m_link.channelWidthMhz;
    m_detail.txPowerDbm = m_link.txPowerDbm;
    m_detail.noiseDbm = m_link.noiseDbm;
    noticeRoaming();
    if (!m_link.connected) {
        finishRound();
        return;
    }
    addReading(reading.signal);
    m_readingsLeft = m_params.samples - 1;
    if (m_readingsLeft > 0)
        m_nextReading.start(std::chrono::milliseconds(m_params.spacingMs));
    else
        finishRound();
}

void WirelessProbe::takeReading()
{
    if (!m_running)
        return;
    if (const auto signal = m_reader->readSignal(m_link.ifindex))
        addReading(*signal);
    if (--m_readingsLeft > 0)
        m_nextReading.start(std::chrono::milliseconds(m_params.spacingMs));
    else
        finishRound();
}

void WirelessProbe::addReading(const WirelessSignal &signal)
{
    if (signal.signalDbm && m_detail.signalDbm.size() < Protocol::WirelessDetail::MAX_SIGNAL_READINGS)
        m_detail.signalDbm.append(*signal.signalDbm);
    // The rates of the latest reading that has them: the rate the radio uses now.
    if (signal.txBitrateMbps)
        m_detail.txBitrateMbps = signal.txBitrateMbps;
    if (signal.rxBitrateMbps)
        m_detail.rxBitrateMbps = signal.rxBitrateMbps;
}

void WirelessProbe::noticeRoaming()
{
    const QString bssid = m_link.connected ? m_link.bssid : QString();
    // Roaming is moving from one access point to another without a round disconnected between.
    if (!bssid.isEmpty() && !m_lastBssid.isEmpty() && bssid != m_lastBssid) {
        m_detail.previousBssid = m_lastBssid;
        const Protocol::EventText text(u"wifi-roamed"_s, {m_link.interfaceName, m_link.ssid, m_lastBssid, bssid});
        Q_EMIT event(Protocol::Event::withText(
            QDateTime::currentMSecsSinceEpoch(), u"info"_s, u"wifi-roamed"_s, text, m_spec.id));
    }
    m_lastBssid = bssid;
}

std::optional<double> WirelessProbe::averageSignal() const
{
    const QList<int> &readings = m_detail.signalDbm;
    if (readings.isEmpty())
        return std::nullopt;
    return std::accumulate(readings.cbegin(), readings.cend(), 0.0) / double(readings.size());
}

QList<Protocol::MetricValue> WirelessProbe::roundValues() const
{
    QList<Protocol::MetricValue> values;
    if (!m_detail.unavailable.isEmpty())
        return values;
    const auto add = [&](const char16_t *metric, double value) {
        values.append(Protocol::MetricValue{sampleName(QStringView(metric), u"if", m_link.interfaceName), value});
    };
    add(Metric::WifiConnected, m_link.connected ? 1 : 0);
    if (m_detail.txPowerDbm)
        add(Metric::WifiTxPower, *m_detail.txPowerDbm);
    if (!m_link.connected)
        return values;
    if (m_detail.frequencyMhz)
        add(Metric::WifiFrequency, *m_detail.frequencyMhz);
    if (m_detail.channel)
        add(Metric::WifiChannel, *m_detail.channel);
    if (m_detail.noiseDbm)
        add(Metric::WifiNoise, *m_detail.noiseDbm);
    const QList<int> &readings = m_detail.signalDbm;
    if (const auto average = averageSignal()) {
        add(Metric::WifiSignalMin, *std::min_element(readings.cbegin(), readings.cend()));
        add(Metric::WifiSignalAvg, *average);
        add(Metric::WifiSignalMax, *std::max_element(readings.cbegin(), readings.cend()));
        if (m_detail.linkQualityPct)
            add(Metric::WifiLinkQuality, *m_detail.linkQualityPct);
        if (m_detail.noiseDbm)
            add(Metric::WifiSnr, *average - *m_detail.noiseDbm);
    }
    if (m_detail.txBitrateMbps)
        add(Metric::WifiTxBitrate, *m_detail.txBitrateMbps);
    if (m_detail.rxBitrateMbps)
        add(Metric::WifiRxBitrate, *m_detail.rxBitrateMbps);
    return values;
}

void WirelessProbe::finishRound()
{
    m_nextReading.stop();
    m_running = false;
    m_readingsLeft = 0;
    if (const auto average = averageSignal())
        m_detail.linkQualityPct = linkQualityPercent(int(std::lround(*average)));
    Protocol::Round round;
    round.testId = m_spec.id;
    round.timeMs = m_roundTimeMs;
    round.values = roundValues();
    round.detail = m_detail;
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType wirelessProbeType()
{
    return {&TestTypes::wirelessType(), [](const Protocol::TestSpec &spec) -> std::unique_ptr<Probe> {
                Validation::WirelessParams params;
                Validation::parseWirelessParams(spec, &params, nullptr); // checked before, by checkParams
                return std::make_unique<WirelessProbe>(spec, params);
            }};
}

} // namespace StreamSwarm::Agent
