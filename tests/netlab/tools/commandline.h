// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <cstdint>
#include <string>

namespace StreamSwarm::NetLab {

// Writes "program: message" to stderr and exits with status 2, the lab helpers' usage or setup error.
[[noreturn]] void fail(const char *program, const std::string &message);

// Walks a lab helper's options in order, each as --name value or --name=value; --help and -h print
// the usage and exit. Every mistake ends the program through fail().
class CommandLine
{
public:
    CommandLine(int argc, char **argv, const char *program, const char *usage);

    // Moves to the next option; false after the last.
    bool next();
    const std::string &option() const { return m_option; }
    // The option's value, the next argument unless it came after '='.
    const std::string &value();
    // A whole number from low to high.
    long long integerValue(long long low, long long high, const char *wanted);
    // A number with a unit (ns, us, ms or s; 0 needs none), from 0 up to maxNs, in nanoseconds.
    std::int64_t durationValue(std::int64_t maxNs, const char *wanted);

    // "--option wants <wanted>, not '<value>'."
    [[noreturn]] void failWants(const char *wanted) const;
    [[noreturn]] void failUnknownOption() const;
    [[noreturn]] void fail(const std::string &message) const;

private:
    int m_argc = 0;
    char **m_argv = nullptr;
    const char *m_program = "";
    const char *m_usage = "";
    int m_index = 0;
    std::string m_option;
    std::string m_value;
    bool m_haveValue = false;
};

} // namespace StreamSwarm::NetLab
