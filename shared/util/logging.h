// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QLoggingCategory>

namespace StreamSwarm {

// One category per area so users can turn on detail with QT_LOGGING_RULES="streamswarm.server.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcAgent)
Q_DECLARE_LOGGING_CATEGORY(lcProbe)

// A compact "time level category: message" format for services and terminals.
void installMessagePattern();

} // namespace StreamSwarm
