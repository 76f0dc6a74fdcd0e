// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QStringList>

#include "agent/probes/probe.h"

namespace StreamSwarm::Agent {

// Makes the probe for a test definition; nullptr and a sentence in error when it cannot.
std::unique_ptr<Probe> createProbe(const Protocol::TestSpec &spec, QString *error);

// Test types this agent can run (sent to the console in hello).
QStringList probeCapabilities();

} // namespace StreamSwarm::Agent
