// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/cli/command.h"

// The subcommands, one function each; each returns the process exit code. The dispatcher's table
// (cli.cpp) gives them their names, usage lines and summaries.
namespace StreamSwarm::Console::Commands {

// Who may connect (accesscommands.cpp).
int tokenCreate(const Invocation &invocation);
int tokenList(const Invocation &invocation);
int tokenRevoke(const Invocation &invocation);
int agentList(const Invocation &invocation);
int agentRevoke(const Invocation &invocation);
int agentRekey(const Invocation &invocation);
int agentRename(const Invocation &invocation);
int agentTag(const Invocation &invocation);
int agentUntag(const Invocation &invocation);
int fingerprint(const Invocation &invocation);
// The fingerprint agents pin: of certFile/keyFile when given, else of the console's own certificate.
// Empty with error set when it cannot be read.
QString consoleFingerprint(
    const ConfiguredOptions &settings, const QString &certFile, const QString &keyFile, QString *error);

// Installing agents on other hosts over SSH (deploycommand.cpp).
int deploy(const Invocation &invocation);

// What is measured (testcommands.cpp).
int testAdd(const Invocation &invocation);
int testList(const Invocation &invocation);
int testStop(const Invocation &invocation);
int testEdit(const Invocation &invocation);
int testPause(const Invocation &invocation);
int testResume(const Invocation &invocation);
int testDelete(const Invocation &invocation);

// What was measured and what happened (datacommands.cpp).
int exportSamples(const Invocation &invocation);
int summary(const Invocation &invocation);
int eventList(const Invocation &invocation);
int retention(const Invocation &invocation); // shows, or with --raw/--minute/--hour sets, how long data is kept

// PDF reports (reportcommand.cpp). Needs a QGuiApplication (fonts).
int report(const Invocation &invocation);
int reportSchedule(const Invocation &invocation); // report schedule add|list|remove

// Alerts and maintenance windows (alertcommands.cpp).
int alertAdd(const Invocation &invocation);
int alertList(const Invocation &invocation);
int alertAck(const Invocation &invocation);
int alertRemove(const Invocation &invocation);
int alertHistory(const Invocation &invocation);
int alertTest(const Invocation &invocation); // sends a test message to each of its targets, as the console would
int maintenanceAdd(const Invocation &invocation);
int maintenanceList(const Invocation &invocation);
int maintenanceRemove(const Invocation &invocation);

} // namespace StreamSwarm::Console::Commands
