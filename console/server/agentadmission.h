// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include "console/storage/records.h"
#include "shared/auth/secret.h"
#include "shared/protocol/messages.h"

namespace StreamSwarm::Console {

struct Repositories;

// What an agent proved in its handshake, as decided on the storage thread.
struct AdmissionOutcome
{
    std::optional<AgentRecord> agent;
    QString credential; // only after enrollment: sent once in welcome
    Protocol::EventText refusal; // for the agent and the event log; empty when the database failed (error)
    QString error;
    bool nameTaken = false; // refused because the name belongs to an enrolled agent
};

// Decides who a connecting agent is, from its enrollment token or credential, in one write
// transaction, and writes the audit trail: enrolled, replaced, online, or refused and why. A token
// never takes over the name of an enrolled agent unless it was made for exactly that (--replace).
AdmissionOutcome admitAgent(
    Repositories &repos, const Auth::ParsedSecret &secret, const Protocol::Hello &hello, const QString &peer);

} // namespace StreamSwarm::Console
