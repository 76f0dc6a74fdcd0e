// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "commandline.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace StreamSwarm::NetLab {

namespace {

bool parseDurationNs(const std::string &text, std::int64_t maxNs, std::int64_t *ns)
{
    char *end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (errno || end == text.c_str() || !std::isfinite(value) || value < 0)
        return false;
    const std::string unit(end);
    double scale = 0;
    if (unit == "ns" || (unit.empty() && value == 0))
        scale = 1;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else
        return false;
    if (value * scale > double(maxNs))
        return false;
    *ns = std::llround(value * scale);
    return true;
}

bool parseInteger(const std::string &text, long long low, long long high, long long *result)
{
    char *end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno || end == text.c_str() || *end || value < low || value > high)
        return false;
    *result = value;
    return true;
}

} // namespace

void fail(const char *program, const std::string &message)
{
    std::fprintf(stderr, "%s: %s\n", program, message.c_str());
    std::exit(2);
}

CommandLine::CommandLine(int argc, char **argv, const char *program, const char *usage)
    : m_argc(argc)
    , m_argv(argv)
    , m_program(program)
    , m_usage(usage)
{ }

bool CommandLine::next()
{
    if (++m_index >= m_argc)
        return false;
    m_option = m_argv[m_index];
    m_value.clear();
    m_haveValue = false;
    if (const auto equals = m_option.find('='); m_option.rfind("--", 0) == 0 && equals != std::string::npos) {
        m_value = m_option.substr(equals + 1);
        m_option.resize(equals);
        m_haveValue = true;
    }
    if (m_option == "--help" || m_option == "-h") {
        std::fputs(m_usage, stdout);
        std::exit(0);
    }
    return true;
}

const std::string &CommandLine::value()
{
    if (!m_haveValue) {
        if (m_index + 1 >= m_argc)
            fail(m_option + " needs a value.");
        m_value = m_argv[++m_index];
        m_haveValue = true;
    }
    return m_value;
}

long long CommandLine::integerValue(long long low, long long high, const char *wanted)
{
    long long integer = 0;
    if (!parseInteger(value(), low, high, &integer))
        failWants(wanted);
    return integer;
}

std::int64_t CommandLine::durationValue(std::int64_t maxNs, const char *wanted)
{
    std::int64_t ns = 0;
    if (!parseDurationNs(value(), maxNs, &ns))
        failWants(wanted);
    return ns;
}

void CommandLine::failWants(const char *wanted) const
{
    fail(m_option + " wants " + wanted + ", not '" + m_value + "'.");
}

void CommandLine::failUnknownOption() const
{
    fail("unknown option '" + m_option + "' (see --help).");
}

void CommandLine::fail(const std::string &message) const
{
    NetLab::fail(m_program, message);
}

} // namespace StreamSwarm::NetLab
