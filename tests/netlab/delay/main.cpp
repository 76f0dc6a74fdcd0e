// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-netlab-delay: holds every packet of one NFQUEUE queue for a programmed delay and
// jitter, then lets it go on, and writes the exact truth of what it did. A lab router's FORWARD
// rules feed the queue (Lab::delayForwarded). See tests/netlab/README.md.
#include "delayqueue.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <net/if.h>

#include <pthread.h>

using StreamSwarm::NetLab::DelayOptions;
using StreamSwarm::NetLab::DelayQueue;
using StreamSwarm::NetLab::PacketRecord;

namespace {

constexpr std::size_t MAX_LATENESS_SAMPLES = 1 << 22;
constexpr long DRAIN_INTERVAL_NS = 50'000'000;

const char USAGE[] = "Usage: streamswarm-netlab-delay --queue N [--delay DUR] [--jitter DUR] [--seed N]\n"
                     "           [--queue-maxlen N] [--fail-open] [--truth FILE]\n"
                     "DUR is a number with a unit: ns, us, ms or s (20ms, 2.5ms, 500us). Holds each packet\n"
                     "that netfilter queues to queue N (iptables -j NFQUEUE --queue-num N) for its delay.\n";

[[noreturn]] void fail(const std::string &message)
{
    std::fprintf(stderr, "streamswarm-netlab-delay: %s\n", message.c_str());
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
    if (value * scale > 60e9)
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
    DelayOptions options;
    std::string truthPath;
};

Arguments parseArguments(int argc, char **argv)
{
    Arguments arguments;
    DelayOptions &options = arguments.options;
    bool haveQueue = false;
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
        } else if (name == "--queue") {
            if (!parseInteger(takeValue(), 0, 65535, &integer))
                fail("--queue wants a queue number from 0 to 65535, not '" + value + "'.");
            options.queue = int(integer);
            haveQueue = true;
        } else if (name == "--delay") {
            if (!parseDurationNs(takeValue(), &options.delayNs))
                fail("--delay wants a duration up to 60s such as 20ms or 500us, not '" + value + "'.");
        } else if (name == "--jitter") {
            if (!parseDurationNs(takeValue(), &options.jitterNs))
                fail("--jitter wants a duration such as 2ms, not '" + value + "'.");
        } else if (name == "--seed") {
            if (!parseInteger(takeValue(), 0, INT64_MAX, &integer))
                fail("--seed wants a non-negative integer, not '" + value + "'.");
            options.seed = std::uint64_t(integer);
        } else if (name == "--queue-maxlen") {
            if (!parseInteger(takeValue(), 1, 1 << 20, &integer))
                fail("--queue-maxlen wants a packet count from 1 to 1048576, not '" + value + "'.");
            options.queueMaxLength = std::uint32_t(integer);
        } else if (name == "--fail-open") {
            options.failOpen = true;
        } else if (name == "--truth") {
            arguments.truthPath = takeValue();
        } else {
            fail("unknown option '" + name + "' (see --help).");
        }
    }
    if (!haveQueue)
        fail("--queue is required (see --help).");
    return arguments;
}

const char *fateName(PacketRecord::Fate fate)
{
    switch (fate) {
    case PacketRecord::Fate::Released:
        return "released";
    case PacketRecord::Fate::Flushed:
        return "flushed";
    case PacketRecord::Fate::Failed:
        return "failed";
    }
    return "failed";
}

struct Tally
{
    std::uint64_t packets = 0;
    std::uint64_t counts[3] = {};
    std::uint64_t kernelStamps = 0;
    std::vector<std::int64_t> lateness;
};

std::string interfaceName(int index)
{
    char name[IF_NAMESIZE] = {};
    return index > 0 && if_indextoname(unsigned(index), name) ? name : "-";
}

void writeRecords(FILE *truth, std::vector<PacketRecord> records, Tally *tally)
{
    std::sort(records.begin(), records.end(), [](const auto &a, const auto &b) { return a.number < b.number; });
    for (const PacketRecord &record : records) {
        ++tally->packets;
        ++tally->counts[int(record.fate)];
        tally->kernelStamps += record.kernelStamp ? 1 : 0;
        const bool released = record.fate == PacketRecord::Fate::Released;
        if (released && tally->lateness.size() < MAX_LATENESS_SAMPLES)
            tally->lateness.push_back(record.lateNs);
        if (!truth)
            continue;
        char late[24] = "-";
        if (released)
            std::snprintf(late, sizeof(late), "%lld", static_cast<long long>(record.lateNs));
        std::fprintf(truth,
            "n=%llu family=%s proto=%s src=%s dst=%s len=%u in=%s stamp=%s arrival_ns=%lld delay_ns=%lld fate=%s "
            "late_ns=%s\n",
            static_cast<unsigned long long>(record.number),
            record.family == 4       ? "ipv4"
                : record.family == 6 ? "ipv6"
                                     : "-",
            record.protocol.c_str(), record.source.c_str(), record.destination.c_str(), record.length,
            interfaceName(record.inInterface).c_str(), record.kernelStamp ? "kernel" : "read",
            static_cast<long long>(record.arrivalRealNs), static_cast<long long>(record.delayNs), fateName(record.fate),
            late);
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

// The kernel's own count for our queue (this namespace's /proc/net/netfilter/nfnetlink_queue):
// packets dropped because the queue was full, and because they could not be handed to us.
void kernelDrops(int queue, long long *queueDropped, long long *userDropped)
{
    *queueDropped = *userDropped = -1;
    std::ifstream file("/proc/net/netfilter/nfnetlink_queue");
    std::string line;
    while (std::getline(file, line)) {
        std::istringstream fields(line);
        long long number = -1;
        long long portId = 0;
        long long total = 0;
        long long mode = 0;
        long long range = 0;
        long long dropped = 0;
        long long user = 0;
        if (fields >> number >> portId >> total >> mode >> range >> dropped >> user && number == queue) {
            *queueDropped = dropped;
            *userDropped = user;
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    const Arguments arguments = parseArguments(argc, argv);
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
    DelayQueue delay(arguments.options);
    std::string error;
    if (!delay.open(&error))
        fail(error + ".");
    delay.start();
    std::fprintf(stderr, "streamswarm-netlab-delay: queue %d, delay %lld ns, jitter %lld ns, at most %u held, %s\n",
        arguments.options.queue, static_cast<long long>(arguments.options.delayNs),
        static_cast<long long>(arguments.options.jitterNs), arguments.options.queueMaxLength,
        arguments.options.failOpen ? "fail-open" : "drop when full");
    std::fputs("ready\n", stdout);
    std::fflush(stdout);

    Tally tally;
    const timespec drainInterval{0, DRAIN_INTERVAL_NS};
    for (;;) {
        const int signal = sigtimedwait(&signals, nullptr, &drainInterval);
        writeRecords(truth, delay.takeRecords(), &tally);
        if (signal > 0)
            break;
    }
    delay.stop();
    writeRecords(truth, delay.takeRecords(), &tally);
    if (truth)
        std::fclose(truth);
    long long queueDropped = -1;
    long long userDropped = -1;
    kernelDrops(arguments.options.queue, &queueDropped, &userDropped);
    std::printf("summary packets=%llu released=%llu flushed=%llu failed=%llu kernel_stamps=%llu overruns=%llu "
                "refused=%llu queue_dropped=%lld user_dropped=%lld late_median_ns=%lld late_p99_ns=%lld "
                "late_max_ns=%lld\n",
        static_cast<unsigned long long>(tally.packets), static_cast<unsigned long long>(tally.counts[0]),
        static_cast<unsigned long long>(tally.counts[1]), static_cast<unsigned long long>(tally.counts[2]),
        static_cast<unsigned long long>(tally.kernelStamps), static_cast<unsigned long long>(delay.overruns()),
        static_cast<unsigned long long>(delay.refusedVerdicts()), queueDropped, userDropped,
        percentile(tally.lateness, 0.5), percentile(tally.lateness, 0.99), percentile(tally.lateness, 1.0));
    std::fflush(stdout);
    return 0;
}
