// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <memory>

#include <QStringList>

#include "agent/probes/probe.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Agent {

// Makes the probe for a test definition; nullptr and a sentence in error when it cannot.
std::unique_ptr<Probe> createProbe(const Protocol::TestSpec &spec, QString *error);

// Test types this agent can run (sent to the console in hello), in menu order.
QStringList probeCapabilities();

// What one probe folder adds to the factory: the descriptor of the test type it runs, and how to make
// its probe for a test that checkTestSpec() has passed. Each folder agent/probes/NAME/ defines
// `ProbeType NAMEProbeType()`; agent/CMakeLists.txt finds the folders and lists them for the factory.
struct ProbeType
{
    const TestTypes::TestType *type = nullptr;
    std::function<std::unique_ptr<Probe>(const Protocol::TestSpec &spec)> create;
};

// The usual ProbeType: a ProbeClass(spec, params) made from the parameters its type's parser read.
template <typename ProbeClass, typename Params>
ProbeType probeType(
    const TestTypes::TestType &type, bool (*parseParams)(const Protocol::TestSpec &, Params *, QString *))
{
    return {&type, [parseParams](const Protocol::TestSpec &spec) -> std::unique_ptr<Probe> {
                Params params;
                parseParams(spec, &params, nullptr); // checked before, by the type's checkParams
                return std::make_unique<ProbeClass>(spec, params);
            }};
}

} // namespace StreamSwarm::Agent
