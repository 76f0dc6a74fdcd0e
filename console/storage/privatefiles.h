// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/eventtext.h"

namespace StreamSwarm::Console {

// The console's data folder holds measurements, the event log and credential hashes: it belongs to
// the account that runs the console alone (folder 0700, files 0600; SQLite gives its WAL and
// shared-memory files the database file's mode).

// Creates path and its parents; the folder itself, when made here, is private.
bool makePrivateFolder(const QString &path, QString *error);
// Creates an empty private file when none exists; an existing one is left as it is.
bool makePrivateFile(const QString &path, QString *error);
// A sentence for the log and the event log when other accounts can read path, else an empty one.
Protocol::EventText describeReadableByOthers(const QString &path);

} // namespace StreamSwarm::Console
