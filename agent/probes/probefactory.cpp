// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "probefactory.h"

#include <QCoreApplication>

#include "agent/probes/pingprobe.h"
#include "agent/probes/qosprobe.h"
#include "agent/probes/tracerouteprobe.h"
#include "shared/protocol/validation.h"

namespace StreamSwarm::Agent {

std::unique_ptr<Probe> createProbe(const Protocol::TestSpec &spec, QString *error)
{
    if (!Validation::checkTestSpec(spec, error))
        return nullptr;
    if (spec.type == u"ping") {
        Validation::PingParams params;
        Validation::parsePingParams(spec, &params, error);
        return std::make_unique<PingProbe>(spec, params);
    }
    if (spec.type == u"traceroute") {
        Validation::TracerouteParams params;
        Validation::parseTracerouteParams(spec, &params, error);
        return std::make_unique<TracerouteProbe>(spec, params);
    }
    if (spec.type == u"qos") {
        Validation::QosParams params;
        Validation::parseQosParams(spec, &params, error);
        return std::make_unique<QosProbe>(spec, params);
    }
    if (error)
        *error = QCoreApplication::translate("StreamSwarm::Agent", "This agent cannot run %1 tests.").arg(spec.type);
    return nullptr;
}

QStringList probeCapabilities()
{
    return Validation::runnableTestTypes();
}

} // namespace StreamSwarm::Agent
