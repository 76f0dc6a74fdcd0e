// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

namespace StreamSwarm::Agent {

// Switches a NIC's own packet stamping on for every packet it receives and sends (SIOCSHWTSTAMP),
// so that ping and traceroute can time their probes with the NIC's clock. The setting is host-wide,
// which is why the agent only does this for interfaces the operator names (--hardware-timestamps);
// elsewhere it uses hardware stamps only where someone (ptp4l, hwstamp_ctl) has switched them on.
// Returns true when stamping is on; *message says what was done or, on false, why it cannot be and
// what the probes use instead. Needs CAP_NET_ADMIN to change the setting.
bool enableHardwareStamping(const QString &interface, QString *message);

} // namespace StreamSwarm::Agent
