// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "probefactory.h"

#include <QCoreApplication>

#include "agent/probes/ping/pingprobe.h"
#include "agent/probes/qos/qosprobe.h"
#include "agent/probes/traceroute/tracerouteprobe.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/qos.h"
#include "shared/testtypes/testtype.h"
#include "shared/testtypes/traceroute.h"

namespace StreamSwarm::Agent {

std::unique_ptr<Probe> createProbe(const Protocol::TestSpec &spec, QString *error)
{
    if (!Validation::checkTestSpec(spec, error))
        return nullptr;
    // checkTestSpec() knows the type and has parsed its parameters once already.
    switch (TestTypes::find(spec.type)->id) {
    case TestTypes::TestTypeId::Ping: {
        Validation::PingParams params;
        Validation::parsePingParams(spec, &params, error);
        return std::make_unique<PingProbe>(spec, params);
    }
    case TestTypes::TestTypeId::Traceroute: {
        Validation::TracerouteParams params;
        Validation::parseTracerouteParams(spec, &params, error);
        return std::make_unique<TracerouteProbe>(spec, params);
    }
    case TestTypes::TestTypeId::Qos: {
        Validation::QosParams params;
        Validation::parseQosParams(spec, &params, error);
        return std::make_unique<QosProbe>(spec, params);
    }
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
