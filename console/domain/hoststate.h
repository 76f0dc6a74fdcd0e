// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

namespace StreamSwarm::Console {

// How worrying a host figure is: what the host view colours, and what alert rules can start from.
enum class HostState {
    Normal,
    Warning, // worth a look: a disk 80 % full, errors on a link
    Critical, // act now: a disk 95 % full, a drive that fails its self-assessment
};

// The state of a value of a catalog metric (its base name, without the instance); Normal for
// metrics that have no thresholds.
HostState hostState(QStringView metric, double value);

} // namespace StreamSwarm::Console
