// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-netlab-responder: answers ICMP echo and UDP probes after a programmed delay, jitter
// and loss, inside a lab network namespace, and writes the exact truth of what it did. See
// tests/netlab/README.md for the options, the UDP reply format and the truth file.
#include "echoresponder.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <dirent.h>
#include <unistd.h>

using StreamSwarm::NetLab::EchoResponder;
using StreamSwarm::NetLab::ProbeRecord;
using StreamSwarm::NetLab::ResponderOptions;

namespace {

constexpr const char *ECHO4_SYSCTL = "/proc/sys/net/ipv4/icmp_echo_ignore_all";
constexpr const char *ECHO6_SYSCTL = "/proc/sys/net/ipv6/icmp/echo_ignore_all";
constexpr std::size_t MAX_LATENESS_SAMPLES = 1 << 22;
constexpr long DRAIN_INTERVAL_NS = 50'000'000;

const char USAGE[] = "Usage: streamswarm-netlab-responder [--delay DUR] [--jitter DUR] [--loss PERCENT] [--seed N]\n"
                     "           [--udp-port PORT] [--no-icmp] [--truth FILE]\n"
                     "DUR is a number with a unit: ns, us, ms or s (10ms, 2.5ms, 500us). Run it inside a lab\n"
                     "network namespace (ip netns exec): it turns the kernel's own echo off there.\n";

[[noreturn]] void fail(const std::string &message)
{
    std::fprintf(stderr, "streamswarm-netlab-responder: %s\n", message.c_str());
    std::exit(2);
}

bool parseDurationNs(const std::string &text, std::int64_t *ns)
{
    char *end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (errno || end == text.c_str() || !std::isfinite(value) || value < 0)
        return false;
    const std::string unit(end);
    double scale = 0;
    if (unit == "ns")
        scale = 1;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else if (unit.empty() && value == 0)
        scale = 1;
    else
        return false;
    if (value * scale > 3600e9)
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

struct Arguments
{
    ResponderOptions options;
    std::string truthPath;
};

Arguments parseArguments(int argc, char **argv)
{
    Arguments arguments;
    ResponderOptions &options = arguments.options;
    for (int i = 1; i < argc; ++i) {
        std::string name = argv[i];
        std::string value;
        bool haveValue = false;
        if (const auto equals = name.find('='); name.rfind("--", 0) == 0 && equals != std::string::npos) {
            value = name.substr(equals + 1);
            name.resize(equals);
            haveValue = true;
        }
        const auto takeValue = [&]() -> const std::string & {
            if (!haveValue) {
                if (i + 1 >= argc)
                    fail(name + " needs a value.");
                value = argv[++i];
                haveValue = true;
            }
            return value;
        };
        long long integer = 0;
        if (name == "--help" || name == "-h") {
            std::fputs(USAGE, stdout);
            std::exit(0);
        } else if (name == "--delay") {
            if (!parseDurationNs(takeValue(), &options.delayNs))
                fail("--delay wants a duration such as 10ms or 500us, not '" + value + "'.");
        } else if (name == "--jitter") {
            if (!parseDurationNs(takeValue(), &options.jitterNs))
                fail("--jitter wants a duration such as 2ms, not '" + value + "'.");
        } else if (name == "--loss") {
            char *end = nullptr;
            options.lossPercent = std::strtod(takeValue().c_str(), &end);
            if (end == value.c_str() || *end || !(options.lossPercent >= 0 && options.lossPercent <= 100))
                fail("--loss wants a percentage from 0 to 100, not '" + value + "'.");
        } else if (name == "--seed") {
            if (!parseInteger(takeValue(), 0, INT64_MAX, &integer))
                fail("--seed wants a non-negative integer, not '" + value + "'.");
            options.seed = std::uint64_t(integer);
        } else if (name == "--udp-port") {
            if (!parseInteger(takeValue(), 1, 65535, &integer))
                fail("--udp-port wants a port from 1 to 65535, not '" + value + "'.");
            options.udpPort = int(integer);
        } else if (name == "--no-icmp") {
            options.icmp = false;
        } else if (name == "--truth") {
            arguments.truthPath = takeValue();
        } else {
            fail("unknown option '" + name + "' (see --help).");
        }
    }
    if (!options.icmp && options.udpPort == 0)
        fail("with --no-icmp there is nothing to answer: give --udp-port too.");
    return arguments;
}

std::string readFile(const char *path)
{
    std::string text;
    if (FILE *file = std::fopen(path, "re")) {
        char buffer[64] = {};
        if (std::fgets(buffer, sizeof(buffer), file))
            text = buffer;
        std::fclose(file);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

bool writeFile(const char *path, const std::string &text)
{
    FILE *file = std::fopen(path, "we");
    if (!file)
        return false;
    const bool written = std::fputs(text.c_str(), file) >= 0;
    return std::fclose(file) == 0 && written;
}

// Whether we run in a named network namespace (ip netns add), never the host's own: the only
// place where turning the kernel's echo off is ours to do.
bool inNamedNamespace()
{
    struct stat self
    { };
    if (stat("/proc/self/ns/net", &self) != 0)
        return false;
    DIR *directory = opendir("/run/netns");
    if (!directory)
        return false;
    bool found = false;
    while (const dirent *entry = readdir(directory)) {
        struct stat named
        { };
        const std::string path = std::string("/run/netns/") + entry->d_name;
        if (entry->d_name[0] != '.' && stat(path.c_str(), &named) == 0 && named.st_dev == self.st_dev
            && named.st_ino == self.st_ino) {
            found = true;
            break;
        }
    }
    closedir(directory);
    return found;
}

// The kernel's echo is off while we run (we answer instead) and restored as it was when we stop.
class KernelEcho
{
public:
    KernelEcho(const KernelEcho &) = delete;
    KernelEcho &operator=(const KernelEcho &) = delete;
    KernelEcho() = default;
    ~KernelEcho()
    {
        if (!m_old4.empty())
            writeFile(ECHO4_SYSCTL, m_old4);
        if (!m_old6.empty())
            writeFile(ECHO6_SYSCTL, m_old6);
    }

    // Returns whether IPv6 echo is ours too (the sysctl exists on this kernel).
    bool turnOff()
    {
        if (!inNamedNamespace())
            fail("refusing to turn off the kernel's echo in the host's network namespace: run me in a lab "
                 "namespace (ip netns exec NAME ...), or answer UDP only with --no-icmp.");
        m_old4 = readFile(ECHO4_SYSCTL);
        if (m_old4.empty() || !writeFile(ECHO4_SYSCTL, "1"))
            fail(std::string("cannot turn off the kernel's echo (") + ECHO4_SYSCTL + "): " + std::strerror(errno));
        struct stat info
        { };
        if (stat(ECHO6_SYSCTL, &info) != 0)
            return false;
        m_old6 = readFile(ECHO6_SYSCTL);
        if (m_old6.empty() || !writeFile(ECHO6_SYSCTL, "1")) {
            m_old6.clear();
            return false;
        }
        return true;
    }

private:
    std::string m_old4;
    std::string m_old6;
};

const char *fateName(ProbeRecord::Fate fate)
{
    switch (fate) {
    case ProbeRecord::Fate::Sent:
        return "sent";
    case ProbeRecord::Fate::Lost:
        return "lost";
    case ProbeRecord::Fate::Overflow:
        return "overflow";
    case ProbeRecord::Fate::Failed:
        return "failed";
    case ProbeRecord::Fate::Unsent:
        return "unsent";
    }
    return "unsent";
}

struct Tally
{
    std::uint64_t probes = 0;
    std::uint64_t counts[5] = {};
    std::vector<std::int64_t> lateness;
};

void writeRecords(FILE *truth, std::vector<ProbeRecord> records, Tally *tally)
{
    std::sort(records.begin(), records.end(), [](const auto &a, const auto &b) { return a.number < b.number; });
    for (const ProbeRecord &record : records) {
        ++tally->probes;
        ++tally->counts[int(record.fate)];
        const bool sent = record.fate == ProbeRecord::Fate::Sent;
        if (sent && tally->lateness.size() < MAX_LATENESS_SAMPLES)
            tally->lateness.push_back(record.lateNs);
        if (!truth)
            continue;
        const bool dropped = record.fate != ProbeRecord::Fate::Sent && record.fate != ProbeRecord::Fate::Unsent;
        char tos[12] = "-";
        if (record.tos >= 0)
            std::snprintf(tos, sizeof(tos), "0x%02x", unsigned(record.tos & 0xff));
        char late[24] = "-";
        if (sent)
            std::snprintf(late, sizeof(late), "%lld", static_cast<long long>(record.lateNs));
        std::fprintf(truth,
            "n=%llu proto=%s src=%s id=%u seq=%u tos=%s arrival_ns=%lld delay_ns=%lld dropped=%s fate=%s "
            "late_ns=%s\n",
            static_cast<unsigned long long>(record.number), record.protocol, record.source.c_str(), record.id,
            record.sequence, tos, static_cast<long long>(record.arrivalRealNs), static_cast<long long>(record.delayNs),
            dropped ? "yes" : "no", fateName(record.fate), late);
    }
    if (truth)
        std::fflush(truth);
}

long long percentile(std::vector<std::int64_t> values, double fraction)
{
    if (values.empty())
        return -1;
    const auto index = std::size_t(fraction * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(index), values.end());
    return values[index];
}

} // namespace

int main(int argc, char **argv)
{
    Arguments arguments = parseArguments(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    // Every thread inherits this mask; the main thread takes the signals with sigtimedwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    FILE *truth = nullptr;
    if (!arguments.truthPath.empty()) {
        truth = std::fopen(arguments.truthPath.c_str(), "we");
        if (!truth)
            fail("cannot write the truth file " + arguments.truthPath + ": " + std::strerror(errno) + ".");
    }
    KernelEcho kernelEcho;
    if (arguments.options.icmp)
        arguments.options.icmp6 = kernelEcho.turnOff();

    EchoResponder responder(arguments.options);
    std::string error;
    if (!responder.open(&error)) {
        std::fprintf(stderr, "streamswarm-netlab-responder: %s.\n", error.c_str());
        return 2; // returning, not exiting, puts the kernel's echo back
    }
    responder.start();
    std::string answering;
    for (const std::string &protocol : responder.protocols())
        answering += " " + protocol;
    std::fprintf(stderr, "streamswarm-netlab-responder: answering%s, delay %lld ns, jitter %lld ns, loss %g %%\n",
        answering.c_str(), static_cast<long long>(arguments.options.delayNs),
        static_cast<long long>(arguments.options.jitterNs), arguments.options.lossPercent);
    std::fputs("ready\n", stdout);
    std::fflush(stdout);

    Tally tally;
    const timespec drainInterval{0, DRAIN_INTERVAL_NS};
    for (;;) {
        const int signal = sigtimedwait(&signals, nullptr, &drainInterval);
        writeRecords(truth, responder.takeRecords(), &tally);
        if (signal > 0)
            break;
    }
    responder.stop();
    writeRecords(truth, responder.takeRecords(), &tally);
    if (truth)
        std::fclose(truth);
    std::printf("summary probes=%llu sent=%llu lost=%llu overflow=%llu failed=%llu unsent=%llu late_median_ns=%lld "
                "late_p99_ns=%lld late_max_ns=%lld\n",
        static_cast<unsigned long long>(tally.probes), static_cast<unsigned long long>(tally.counts[0]),
        static_cast<unsigned long long>(tally.counts[1]), static_cast<unsigned long long>(tally.counts[2]),
        static_cast<unsigned long long>(tally.counts[3]), static_cast<unsigned long long>(tally.counts[4]),
        percentile(tally.lateness, 0.5), percentile(tally.lateness, 0.99), percentile(tally.lateness, 1.0));
    std::fflush(stdout);
    return 0;
}
