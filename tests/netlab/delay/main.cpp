// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-netlab-delay: holds every packet of one NFQUEUE queue for a programmed delay and
// jitter, then lets it go on, and writes the exact truth of what it did. A lab router's FORWARD
// rules feed the queue (Lab::delayForwarded). See tests/netlab/README.md.
#include "delayqueue.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <net/if.h>

#include "tests/netlab/tools/commandline.h"
#include "tests/netlab/tools/latenesssamples.h"
#include "tests/netlab/tools/stopsignals.h"

using StreamSwarm::NetLab::CommandLine;
using StreamSwarm::NetLab::DelayOptions;
using StreamSwarm::NetLab::DelayQueue;
using StreamSwarm::NetLab::fail;
using StreamSwarm::NetLab::LatenessSamples;
using StreamSwarm::NetLab::PacketRecord;
using StreamSwarm::NetLab::StopSignals;

namespace {

constexpr const char *PROGRAM = "streamswarm-netlab-delay";
constexpr std::int64_t MAX_DELAY_NS = 60'000'000'000;
constexpr long DRAIN_INTERVAL_NS = 50'000'000;

const char USAGE[] = "Usage: streamswarm-netlab-delay --queue N [--delay DUR] [--jitter DUR] [--seed N]\n"
                     "           [--queue-maxlen N] [--fail-open] [--truth FILE]\n"
                     "DUR is a number with a unit: ns, us, ms or s (20ms, 2.5ms, 500us). Holds each packet\n"
                     "that netfilter queues to queue N (iptables -j NFQUEUE --queue-num N) for its delay.\n";

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
    CommandLine commandLine(argc, argv, PROGRAM, USAGE);
    while (commandLine.next()) {
        const std::string &option = commandLine.option();
        if (option == "--queue") {
            options.queue = int(commandLine.integerValue(0, 65535, "a queue number from 0 to 65535"));
            haveQueue = true;
        } else if (option == "--delay") {
            options.delayNs = commandLine.durationValue(MAX_DELAY_NS, "a duration up to 60s such as 20ms or 500us");
        } else if (option == "--jitter") {
            options.jitterNs = commandLine.durationValue(MAX_DELAY_NS, "a duration such as 2ms");
        } else if (option == "--seed") {
            options.seed = std::uint64_t(commandLine.integerValue(0, INT64_MAX, "a non-negative integer"));
        } else if (option == "--queue-maxlen") {
            options.queueMaxLength
                = std::uint32_t(commandLine.integerValue(1, 1 << 20, "a packet count from 1 to 1048576"));
        } else if (option == "--fail-open") {
            options.failOpen = true;
        } else if (option == "--truth") {
            arguments.truthPath = commandLine.value();
        } else {
            commandLine.failUnknownOption();
        }
    }
    if (!haveQueue)
        fail(PROGRAM, "--queue is required (see --help).");
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
    LatenessSamples lateness;
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
        if (released)
            tally->lateness.add(record.lateNs);
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
    const StopSignals stopSignals; // before the queue starts its threads, which inherit the mask

    FILE *truth = nullptr;
    if (!arguments.truthPath.empty()) {
        truth = std::fopen(arguments.truthPath.c_str(), "we");
        if (!truth)
            fail(PROGRAM, "cannot write the truth file " + arguments.truthPath + ": " + std::strerror(errno) + ".");
    }
    DelayQueue delay(arguments.options);
    std::string error;
    if (!delay.open(&error))
        fail(PROGRAM, error + ".");
    delay.start();
    std::fprintf(stderr, "streamswarm-netlab-delay: queue %d, delay %lld ns, jitter %lld ns, at most %u held, %s\n",
        arguments.options.queue, static_cast<long long>(arguments.options.delayNs),
        static_cast<long long>(arguments.options.jitterNs), arguments.options.queueMaxLength,
        arguments.options.failOpen ? "fail-open" : "drop when full");
    std::fputs("ready\n", stdout);
    std::fflush(stdout);

    Tally tally;
    for (bool stopping = false; !stopping;) {
        stopping = stopSignals.arrivedWithin(DRAIN_INTERVAL_NS);
        writeRecords(truth, delay.takeRecords(), &tally);
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
        tally.lateness.percentile(0.5), tally.lateness.percentile(0.99), tally.lateness.percentile(1.0));
    std::fflush(stdout);
    return 0;
}
