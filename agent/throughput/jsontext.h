// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

// What the measuring process's parts share: its exit codes, its argument checks and the JSON it
// writes. Plain C++, no Qt: the process loads only what it measures with.
namespace StreamSwarm::Throughput {

inline constexpr int EXIT_MEASURED = 0;
inline constexpr int EXIT_FAILED = 1;
inline constexpr int EXIT_BAD_ARGUMENTS = 2;

int usage(const char *why);

inline bool readNumber(const char *text, long long minimum, long long maximum, long long *value)
{
    if (!text || !*text)
        return false;
    errno = 0;
    char *end = nullptr;
    const long long number = std::strtoll(text, &end, 10);
    if (errno || *end || number < minimum || number > maximum)
        return false;
    *value = number;
    return true;
}

// A JSON string literal of text.
inline std::string jsonString(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + '"';
}

// {"error": "..."} on stdout: the measurement failed before it could report.
inline int reportError(const std::string &what)
{
    std::printf("{\"error\": %s}\n", jsonString(what).c_str());
    std::fflush(stdout);
    return EXIT_FAILED;
}

} // namespace StreamSwarm::Throughput
