// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QMap>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

// What "agent:NAME" targets (a qos test measuring to another agent) become for one agent being
// planned: the address the named agent's connection comes from, as the console sees it.
struct AgentAddresses
{
    QHash<QString, QHostAddress> online; // online agent name -> its connection's source address
    // The console's own address as the planned agent reached it. A target agent connected over
    // loopback runs on the console's host, so another host reaches it at this address instead.
    QHostAddress consoleAddress;
    // The port each online agent's STAMP reflector announced (--stamp-port); a qos test to it
    // goes there unless the test names a port itself.
    QHash<QString, quint16> stampPorts;

    // nullopt when the named agent is not online.
    std::optional<QHostAddress> resolve(const QString &agentName) const;
};

// Decides which tests an agent should be running right now. Pure: no I/O, no clock of its own.
class AssignmentPlanner
{
public:
    // A test whose target is an agent that is not online is left out: it waits for that agent. One
    // assignment holds at most MAX_TESTS_PER_ASSIGN tests, the oldest first; *leftOut counts the rest.
    static Protocol::Assign plan(const QList<TestRecord> &tests, const AgentRecord &agent, qint64 nowMs,
        const AgentAddresses &addresses = {}, int *leftOut = nullptr);
    // The earliest moment after nowMs at which a scheduled test starts or a test ends (0 = none): re-plan
    // then.
    static qint64 nextChangeMs(const QList<TestRecord> &tests, qint64 nowMs);
    // Running tests that wait for their target agent to come online: test id -> that agent's name.
    static QMap<qint64, QString> waitingForTarget(
        const QList<TestRecord> &tests, const QHash<QString, QHostAddress> &online, qint64 nowMs);
    // An address as a target: an IPv4-mapped IPv6 address (a dual-stack listener's view) as IPv4.
    static QHostAddress plainAddress(const QHostAddress &address);
};

} // namespace StreamSwarm::Console
