// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-netlab-responder: answers ICMP echo and UDP probes after a programmed delay, jitter
// and loss, inside a lab network namespace, and writes the exact truth of what it did. See
// tests/netlab/README.md for the options, the UDP reply format and the truth file.
#include "echoresponder.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <dirent.h>
#include <unistd.h>

#include "tests/netlab/tools/commandline.h"
#include "tests/netlab/tools/latenesssamples.h"
#include "tests/netlab/tools/stopsignals.h"

using StreamSwarm::NetLab::CommandLine;
using StreamSwarm::NetLab::EchoResponder;
using StreamSwarm::NetLab::fail;
using StreamSwarm::NetLab::LatenessSamples;
using StreamSwarm::NetLab::ProbeRecord;
using StreamSwarm::NetLab::ResponderOptions;
using StreamSwarm::NetLab::StopSignals;

namespace {

constexpr const char *PROGRAM = "streamswarm-netlab-responder";
constexpr const char *ECHO4_SYSCTL = "/proc/sys/net/ipv4/icmp_echo_ignore_all";
constexpr const char *ECHO6_SYSCTL = "/proc/sys/net/ipv6/icmp/echo_ignore_all";
constexpr std::int64_t MAX_DELAY_NS = 3'600'000'000'000;
constexpr long DRAIN_INTERVAL_NS = 50'000'000;

const char USAGE[] = "Usage: streamswarm-netlab-responder [--delay DUR] [--jitter DUR] [--loss PERCENT] [--seed N]\n"
                     "           [--udp-port PORT] [--no-icmp] [--truth FILE]\n"
                     "DUR is a number with a unit: ns, us, ms or s (10ms, 2.5ms, 500us). Run it inside a lab\n"
                     "network namespace (ip netns exec): it turns the kernel's own echo off there.\n";

struct Arguments
{
    ResponderOptions options;
    std::string truthPath;
};

Arguments parseArguments(int argc, char **argv)
{
    Arguments arguments;
    ResponderOptions &options = arguments.options;
    CommandLine commandLine(argc, argv, PROGRAM, USAGE);
    while (commandLine.next()) {
        const std::string &option = commandLine.option();
        if (option == "--delay") {
            options.delayNs = commandLine.durationValue(MAX_DELAY_NS, "a duration such as 10ms or 500us");
        } else if (option == "--jitter") {
            options.jitterNs = commandLine.durationValue(MAX_DELAY_NS, "a duration such as 2ms");
        } else if (option == "--loss") {
            const std::string &value = commandLine.value();
            char *end = nullptr;
            options.lossPercent = std::strtod(value.c_str(), &end);
            if (end == value.c_str() || *end || !(options.lossPercent >= 0 && options.lossPercent <= 100))
                commandLine.failWants("a percentage from 0 to 100");
        } else if (option == "--seed") {
            options.seed = std::uint64_t(commandLine.integerValue(0, INT64_MAX, "a non-negative integer"));
        } else if (option == "--udp-port") {
            options.udpPort = int(commandLine.integerValue(1, 65535, "a port from 1 to 65535"));
        } else if (option == "--no-icmp") {
            options.icmp = false;
        } else if (option == "--truth") {
            arguments.truthPath = commandLine.value();
        } else {
            commandLine.failUnknownOption();
        }
    }
    if (!options.icmp && options.udpPort == 0)
        fail(PROGRAM, "with --no-icmp there is nothing to answer: give --udp-port too.");
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
            fail(PROGRAM,
                "refusing to turn off the kernel's echo in the host's network namespace: run me in a lab "
                "namespace (ip netns exec NAME ...), or answer UDP only with --no-icmp.");
        m_old4 = readFile(ECHO4_SYSCTL);
        if (m_old4.empty() || !writeFile(ECHO4_SYSCTL, "1"))
            fail(PROGRAM,
                std::string("cannot turn off the kernel's echo (") + ECHO4_SYSCTL + "): " + std::strerror(errno));
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
    LatenessSamples lateness;
};

void writeRecords(FILE *truth, std::vector<ProbeRecord> records, Tally *tally)
{
    std::sort(records.begin(), records.end(), [](const auto &a, const auto &b) { return a.number < b.number; });
    for (const ProbeRecord &record : records) {
        ++tally->probes;
        ++tally->counts[int(record.fate)];
        const bool sent = record.fate == ProbeRecord::Fate::Sent;
        if (sent)
            tally->lateness.add(record.lateNs);
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

} // namespace

int main(int argc, char **argv)
{
    Arguments arguments = parseArguments(argc, argv);
    const StopSignals stopSignals; // before the responder starts its threads, which inherit the mask

    FILE *truth = nullptr;
    if (!arguments.truthPath.empty()) {
        truth = std::fopen(arguments.truthPath.c_str(), "we");
        if (!truth)
            fail(PROGRAM, "cannot write the truth file " + arguments.truthPath + ": " + std::strerror(errno) + ".");
    }
    KernelEcho kernelEcho;
    if (arguments.options.icmp)
        arguments.options.icmp6 = kernelEcho.turnOff();

    EchoResponder responder(arguments.options);
    std::string error;
    if (!responder.open(&error)) {
        std::fprintf(stderr, "%s: %s.\n", PROGRAM, error.c_str());
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
    for (bool stopping = false; !stopping;) {
        stopping = stopSignals.arrivedWithin(DRAIN_INTERVAL_NS);
        writeRecords(truth, responder.takeRecords(), &tally);
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
        tally.lateness.percentile(0.5), tally.lateness.percentile(0.99), tally.lateness.percentile(1.0));
    std::fflush(stdout);
    return 0;
}
