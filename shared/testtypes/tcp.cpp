// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tcp.h"

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Validation {

bool parseTcpParams(const Protocol::TestSpec &spec, TcpParams *params, QString *error)
{
    const TestTypes::TestType &type = TestTypes::tcpType();
    if (!TestTypes::checkKnownParams(type, spec, error) || !checkInterval(spec.intervalMs, error))
        return false;
    TcpParams result;
    if (!readTargetPort(TestTypes::tcpType(), spec, 0, &result.host, &result.port, error))
        return false;
    if (!TestTypes::readTimeout(type, spec, 5000, &result.timeoutMs, error))
        return false;
    if (params)
        *params = result;
    return true;
}

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

namespace {

TestType describeTcp()
{
    TestType type;
    type.name = u"tcp"_s;
    type.menuOrder = 50;
    type.summary = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Time to open a TCP connection to host:port");
    type.target = TargetKind::HostPort;
    type.exampleTarget = u"192.0.2.1:443"_s;
    type.params = {
        {u"port"_s, ParamKind::Integer,
            QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "the port, when the target does not say it (host:port)"), 1,
            65535, {}, {}},
        {u"timeout"_s, ParamKind::Duration,
            QT_TRANSLATE_NOOP(
                "StreamSwarm::TestTypes", "how long to wait for the connection; by default the interval, at most 5s"),
            10, 60000, {}, {}},
    };
    type.metricFamily = u"tcp"_s;
    type.metrics = {
        {QString::fromUtf16(Metric::TcpConnect), u"ms"_s, MetricKind::Gauge,
            QT_TRANSLATE_NOOP("StreamSwarm::Metrics",
                "Time from sending the SYN to the connection being open (the three-way handshake)")},
    };
    type.detailKind = Protocol::DetailKind::Tcp;
    type.chart.line = QString::fromUtf16(Metric::TcpConnect);
    type.chart.detailTable = true;
    type.chart.axisLabel = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Time (ms)");
    type.chart.lineName = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "Connect time");
    type.chart.title = QT_TRANSLATE_NOOP("StreamSwarm::TestTypes", "TCP connect time, measured every %1");
    type.checkParams = [](const Protocol::TestSpec &spec, QString *error) {
        return Validation::parseTcpParams(spec, nullptr, error);
    };
    return type;
}

} // namespace

const TestType &tcpType()
{
    static const TestType type = describeTcp();
    return type;
}

} // namespace StreamSwarm::TestTypes
