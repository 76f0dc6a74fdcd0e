// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// A libcurl.so.4 that is not libcurl: the agent, started with it first on LD_LIBRARY_PATH, must answer
// its http tests with "http tests need libcurl ..." and keep running everything else.
extern "C" int streamswarm_not_libcurl()
{
    return 0;
}
