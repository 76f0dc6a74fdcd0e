// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <sys/socket.h>

#include "agent/probes/timestamping.h"

namespace StreamSwarm::Agent::Platform {

// Reads one control message: SCM_TIMESTAMPING (software and hardware stamps; the hardware one is
// the best when present) or SCM_TIMESTAMPNS (kernel). Returns false, leaving *stamp alone, for
// anything else or a message without a stamp.
bool readPacketStamp(const cmsghdr *message, PacketStamp *stamp);

} // namespace StreamSwarm::Agent::Platform
