// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include <curl/curl.h>

namespace StreamSwarm::Agent {

// libcurl, loaded when the first http test starts instead of when the agent starts: libcurl and the
// 26 libraries it pulls in (GnuTLS through librtmp, Kerberos, LDAP, libssh2, ...) cost an agent 3.7 MB
// of RSS, and most agents never run an http test. The agent is not linked with it; the http probe
// calls it through these pointers, each resolved from the library and typed from curl.h.
struct CurlLibrary
{
    // Loads and initialises libcurl once, on any thread; nullptr and *error (one sentence for a
    // round's result) when it is missing, too old, or not the OpenSSL build the probe relies on.
    static const CurlLibrary *load(QString *error);
    // The loaded library: only for code that runs after load() succeeded (the http probe's).
    static const CurlLibrary &loaded();

    // The oldest libcurl the probe's options need (CURLOPT_PROTOCOLS_STR: 7.85.0).
    static constexpr unsigned OLDEST_VERSION = 0x075500;

    decltype(&::curl_version_info) version_info = nullptr;
    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_multi_init) multi_init = nullptr;
    decltype(&::curl_multi_setopt) multi_setopt = nullptr;
    decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
    decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
    decltype(&::curl_multi_socket_action) multi_socket_action = nullptr;
    decltype(&::curl_multi_info_read) multi_info_read = nullptr;
    decltype(&::curl_multi_assign) multi_assign = nullptr;
    decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
};

} // namespace StreamSwarm::Agent
