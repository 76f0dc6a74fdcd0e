// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// qos: STAMP to a reflector with packets in each of the chosen DSCP classes.
inline constexpr int MAX_QOS_CLASSES = 8;
struct QosParams
{
    QList<QPair<QString, int>> classes; // metric-name form ("ef", "af41", "dscp5") and code point
    // Defaults fit the default 1 s interval with four classes: 4 x 5 x 10 ms + 500 ms.
    int count = 5; // packets per class per round
    qint64 spacingMs = 10;
    qint64 timeoutMs = 500;
    int port = 862;
};
// The target is the reflector's IP address, or "agent:NAME" for another agent's reflector: the console
// puts in the address that agent's connection comes from when it sends the assignment.
bool parseQosParams(const Protocol::TestSpec &spec, QosParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &qosType();

} // namespace StreamSwarm::TestTypes
