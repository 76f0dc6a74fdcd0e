// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "wireless.h"

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"

using namespace Qt::StringLiterals;

namespace {

// A netlink query of the signal takes well under a millisecond; readings closer than this would
// mostly repeat the driver's last figure.
constexpr qint64 MIN_SPACING_MS = 20;
constexpr int MAX_SAMPLES = 20;

} // namespace

namespace StreamSwarm::Validation {

bool parseWirelessParams(const Protocol::TestSpec &spec, WirelessParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::wirelessType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    WirelessParams result;
    if (!TestTypes::readInterface(type, spec, u"interface", &result.interface, error))
        return false;
    // The readings share the interval, each at least MIN_SPACING_MS after the one before.
    const int most = int(qBound(qint64(1), spec.intervalMs / MIN_SPACING_MS, qint64(MAX_SAMPLES)));
    if (!TestTypes::readInteger(type, spec, u"samples", &result.samples, error, most))
        return false;
    result.samples = qMin(result.samples, most);
    result.spacingMs = spec.intervalMs / result.samples;
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

MetricInfo perInterface(const char16_t *name, const QString &unit, const char *description)
{
    return MetricInfo{QString::fromUtf16(name), unit, MetricKind::Gauge, description, u"if"_s};
}

TestType describeWireless()
{
    TestType type;
    type.name = u"wireless"_s;
    type.menuOrder = 110;
    type.summary = QT_TRANSLATE_NOOP(
        "StreamSwarm::TestTypes", "This host's Wi-Fi link: network, access point, channel, signal, noise and bitrates");
    type.target = TargetKind::ThisHost;
    type.exampleTarget = QString::fromUtf16(Validation::LOCAL_TARGET);
    type.params = {
        {u"interface"_s, ParamKind::Interface,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "the Wi-Fi interface to read; by default the first one that is connected"),
            0, 0, {}, {}},
        {u"samples"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes",
                "signal readings per round, spread over the interval (at most one per 20ms of it)"),
            1, MAX_SAMPLES, u"5"_s, {}},
    };
    type.metricFamily = u"wifi"_s;
    type.metrics = {
        perInterface(Metric::WifiSignalMin, u"dBm"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "The weakest signal from the access point among the round's readings")),
        perInterface(Metric::WifiSignalAvg, u"dBm"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The signal from the access point, averaged over the round's readings (-50 dBm is excellent, -67 "
                "enough for calls and video, below -80 barely usable)")),
        perInterface(Metric::WifiSignalMax, u"dBm"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "The strongest signal from the access point among the round's readings")),
        perInterface(Metric::WifiNoise, u"dBm"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The background noise on the channel, as the radio measures it (not every driver does)")),
        perInterface(Metric::WifiSnr, u"dB"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "How far the average signal stands above the noise (25 dB or more is good; below 15 dB, expect "
                "retries and slow rates)")),
        perInterface(Metric::WifiLinkQuality, u"%"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Link quality from the average signal, as Linux has long shown it: -110 dBm is 0 %, -40 dBm or "
                "stronger 100 %")),
        perInterface(Metric::WifiTxBitrate, u"Mbit/s"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The rate the last frame to the access point was sent at: what the radio chose, not the throughput")),
        perInterface(Metric::WifiRxBitrate, u"Mbit/s"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The rate the last frame from the access point came at: what the radio chose, not the throughput")),
        perInterface(Metric::WifiFrequency, u"MHz"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "The centre frequency of the channel the interface is on")),
        perInterface(Metric::WifiChannel, u"number"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "The channel number the interface is on (1-14: 2.4 GHz, 32-177: 5 GHz, 1-233 at 6 GHz)")),
        perInterface(Metric::WifiTxPower, u"dBm"_s,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics", "The power the interface transmits at")),
        perInterface(Metric::WifiConnected, u"bool"_s,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::Metrics", "1 while the interface is connected to an access point, 0 while it is not")),
    };
    type.detailKind = Protocol::DetailKind::Wireless;
    type.chart.line = QString::fromUtf16(Metric::WifiSignalAvg);
    type.chart.minimum = QString::fromUtf16(Metric::WifiSignalMin);
    type.chart.maximum = QString::fromUtf16(Metric::WifiSignalMax);
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Signal (dBm)");
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Average signal");
    type.chart.bandName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Weakest to strongest reading");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Wi-Fi signal, read every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseWirelessParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &wirelessType()
{
    static const TestType type = describeWireless();
    return type;
}

} // namespace StreamSwarm::TestTypes
