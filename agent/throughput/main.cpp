// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-agent-throughput: one bandwidth measurement in a process of its own. The agent starts
// it for a bandwidth round and kills it when the round's time is up, so a server that stops answering,
// the measuring libraries' own exit paths and their buffers never reach the agent's process, and the
// agent loads neither libiperf nor a second copy of libcurl while it runs no bandwidth test.
//
//   streamswarm-agent-throughput client HOST PORT [--udp] [--streams N] [--seconds S] [--omit S] [--reverse]
//                                [--bitrate BITS_PER_S] [--tos N] [--connect-timeout MS]
//   streamswarm-agent-throughput server PORT [--bind ADDRESS]    (answers one iperf3 measurement, then exits;
//                                PORT 0 picks a free one; "listening PORT" on stderr once it listens)
//   streamswarm-agent-throughput speedtest URL [--streams N] [--seconds S] [--warmup S] [--direction
//   download|upload|both]
//                                [--chunk-mib N] [--download-path P] [--upload-path P] [--connect-timeout MS]
//
// client and server write iperf3's own JSON report (as `iperf3 -J` does), speedtest its own JSON
// (httpspeed.h), on stdout; when it fails before it can report, a JSON object {"error": "..."}.
// Exit status 0 measured, 1 failed, 2 bad arguments.
#include <cstdio>
#include <string>

#include "agent/throughput/httpspeed.h"
#include "agent/throughput/iperfclient.h"
#include "agent/throughput/jsontext.h"

namespace StreamSwarm::Throughput {

int usage(const char *why)
{
    std::fprintf(stderr,
        "streamswarm-agent-throughput: %s\n"
        "usage: streamswarm-agent-throughput client HOST PORT [--udp] [--streams N] [--seconds S] [--omit S] "
        "[--reverse] [--bitrate BITS_PER_S] [--tos N] [--connect-timeout MS]\n"
        "       streamswarm-agent-throughput server PORT [--bind ADDRESS]\n"
        "       streamswarm-agent-throughput speedtest URL [--streams N] [--seconds S] [--warmup S] "
        "[--direction download|upload|both] [--chunk-mib N] [--download-path P] [--upload-path P] "
        "[--connect-timeout MS]\n",
        why);
    return EXIT_BAD_ARGUMENTS;
}

} // namespace StreamSwarm::Throughput

int main(int argc, char **argv)
{
    using namespace StreamSwarm::Throughput;
    const std::string role = argc > 1 ? argv[1] : "";
    if (role == "client")
        return runIperfClient(argc, argv);
    if (role == "server")
        return runIperfServer(argc, argv);
    if (role == "speedtest")
        return runHttpSpeed(argc, argv);
    return usage("say client, server or speedtest");
}
