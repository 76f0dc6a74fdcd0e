// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "agent/probes/http/httptransfer.h"
#include "shared/testtypes/http.h"

// Why an http request did not succeed, in the plain words a round's error carries ("127.0.0.1 port 9
// refused the connection", "the server stopped sending after 1.2 MB (no data for 5 s)"). Any thread.
namespace StreamSwarm::Agent {

// Empty when the request succeeded by the test's rules: no transfer error, the expected status and,
// when asked for, the expected text in the body. timeoutMs: what the request was allowed.
QString describeHttpFailure(const HttpTransferResult &result, const Validation::HttpParams &params, qint64 timeoutMs);

} // namespace StreamSwarm::Agent
