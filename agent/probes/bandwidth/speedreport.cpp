// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "speedreport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "shared/testtypes/bandwidth.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::BandwidthProbe)
};

Protocol::SpeedDirection readDirection(const QJsonObject &object)
{
    Protocol::SpeedDirection direction;
    direction.seconds = object.value("seconds"_L1).toDouble();
    direction.bytes = qint64(object.value("bytes"_L1).toDouble());
    direction.mbps = object.value("mbps"_L1).toDouble();
    direction.requests = qint64(object.value("requests"_L1).toDouble());
    for (const QJsonValue &rate : object.value("intervalsMbps"_L1).toArray()) {
        if (direction.intervalsMbps.size() < Protocol::MAX_BANDWIDTH_INTERVALS)
            direction.intervalsMbps.append(rate.toDouble());
    }
    return direction;
}

} // namespace

IperfReport readSpeedReport(const QByteArray &report, Protocol::BandwidthDetail *detail)
{
    IperfReport result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(report, &parseError);
    if (!document.isObject()) {
        result.error = Tr::tr("The speed test gave no readable report (%1).").arg(parseError.errorString());
        return result;
    }
    const QJsonObject top = document.object();
    detail->engine = top.value("engine"_L1).toString().left(32);
    if (const QString error = top.value("error"_L1).toString(); !error.isEmpty()) {
        result.error = error.left(300);
        return result;
    }
    for (const auto &[key, metric, slot] : {std::tuple{"download"_L1, Metric::BandwidthDownload, &detail->download},
             std::tuple{"upload"_L1, Metric::BandwidthUpload, &detail->upload}}) {
        const QJsonObject direction = top.value(key).toObject();
        if (direction.isEmpty())
            continue;
        if (const QString error = direction.value("error"_L1).toString(); !error.isEmpty()) {
            result.error = (key == "download"_L1 ? Tr::tr("download: %1") : Tr::tr("upload: %1")).arg(error.left(300));
            return result;
        }
        *slot = readDirection(direction);
        result.values.append({QString::fromUtf16(metric), (*slot)->mbps});
    }
    const std::optional<Protocol::SpeedDirection> &main = detail->download ? detail->download : detail->upload;
    if (!main) {
        result.error = Tr::tr("The speed test's report has no result.");
        return result;
    }
    result.values.prepend({QString::fromUtf16(Metric::BandwidthThroughput), main->mbps});
    return result;
}

} // namespace StreamSwarm::Agent
