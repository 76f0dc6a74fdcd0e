// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "iperfclient.h"

#include <cstdint>
#include <string>

#include <iperf_api.h>

#include "agent/throughput/jsontext.h"

namespace StreamSwarm::Throughput {

namespace {

// Bounds on what the agent may ask for; its validation keeps to narrower ones.
constexpr long long MAX_STREAMS = 128;
constexpr long long MAX_SECONDS = 3600;
constexpr long long MAX_BITRATE = 400'000'000'000LL; // 400 Gbit/s
constexpr long long MAX_CONNECT_TIMEOUT_MS = 60'000;

struct Test
{
    iperf_test *test = iperf_new_test();
    Test(const Test &) = delete;
    Test &operator=(const Test &) = delete;
    Test() = default;
    ~Test()
    {
        if (test)
            iperf_free_test(test);
    }
};

} // namespace

int runIperfClient(int argc, char **argv)
{
    if (argc < 4)
        return usage("client needs HOST and PORT");
    long long port = 0;
    if (!readNumber(argv[3], 1, 65535, &port))
        return usage("PORT must be 1 to 65535");
    Test run;
    if (!run.test || iperf_defaults(run.test) < 0)
        return reportError("libiperf could not set up a test");
    iperf_test *test = run.test;
    iperf_set_test_role(test, 'c');
    iperf_set_test_server_hostname(test, argv[2]);
    iperf_set_test_server_port(test, int(port));
    iperf_set_test_json_output(test, 1);
    iperf_set_test_duration(test, 10);
    for (int i = 4; i < argc; ++i) {
        const std::string option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        long long number = 0;
        if (option == "--udp") {
            if (set_protocol(test, Pudp) < 0)
                return reportError("libiperf cannot measure over UDP");
            iperf_set_test_blksize(test, DEFAULT_UDP_BLKSIZE);
            continue;
        }
        if (option == "--reverse") {
            iperf_set_test_reverse(test, 1);
            continue;
        }
        if (option == "--streams" && readNumber(value, 1, MAX_STREAMS, &number))
            iperf_set_test_num_streams(test, int(number));
        else if (option == "--seconds" && readNumber(value, 1, MAX_SECONDS, &number))
            iperf_set_test_duration(test, int(number));
        else if (option == "--omit" && readNumber(value, 0, MAX_SECONDS, &number))
            iperf_set_test_omit(test, int(number));
        else if (option == "--bitrate" && readNumber(value, 0, MAX_BITRATE, &number))
            iperf_set_test_rate(test, uint64_t(number));
        else if (option == "--tos" && readNumber(value, 0, 255, &number))
            iperf_set_test_tos(test, int(number));
        else if (option == "--connect-timeout" && readNumber(value, 1, MAX_CONNECT_TIMEOUT_MS, &number))
            iperf_set_test_connect_timeout(test, int(number));
        else
            return usage(("bad option or value: " + option).c_str());
        ++i;
    }
    if (iperf_run_client(test) < 0) {
        // With JSON output on, libiperf has written its report with the error in it only when the
        // test got as far as starting; say it ourselves otherwise.
        if (!iperf_get_test_json_output_string(test))
            return reportError(iperf_strerror(i_errno));
        return EXIT_FAILED;
    }
    return EXIT_MEASURED;
}

int runIperfServer(int argc, char **argv)
{
    if (argc < 3)
        return usage("server needs PORT");
    long long port = 0;
    if (!readNumber(argv[2], 1, 65535, &port))
        return usage("PORT must be 1 to 65535");
    Test run;
    if (!run.test || iperf_defaults(run.test) < 0)
        return reportError("libiperf could not set up a test");
    iperf_test *test = run.test;
    iperf_set_test_role(test, 's');
    iperf_set_test_server_port(test, int(port));
    iperf_set_test_one_off(test, 1);
    iperf_set_test_json_output(test, 1);
    for (int i = 3; i < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--bind" && i + 1 < argc)
            iperf_set_test_bind_address(test, argv[i + 1]);
        else
            return usage(("bad option or value: " + option).c_str());
    }
    if (iperf_run_server(test) < 0) {
        if (!iperf_get_test_json_output_string(test))
            return reportError(iperf_strerror(i_errno));
        return EXIT_FAILED;
    }
    return EXIT_MEASURED;
}

} // namespace StreamSwarm::Throughput
