// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "iperfclient.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>

#include <iperf_api.h>
#include <unistd.h>

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

// How long the server may take to start listening before the helper stops looking.
constexpr auto LISTEN_WAIT = std::chrono::seconds(10);

// Whether port can be bound on every address, for this type of socket. false with EADDRINUSE once
// someone listens there (iperf3's listener is bound to every address, or to the one given).
bool canBind(int type, int port, int *error)
{
    const int fd = ::socket(AF_INET, type, 0);
    if (fd < 0) {
        *error = errno;
        return false;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    const bool bound = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    *error = bound ? 0 : errno;
    ::close(fd);
    return bound;
}

// A port free for both TCP (the control and TCP streams) and UDP (UDP streams): the kernel picks a
// TCP one, which is then checked for UDP. Another program may take it before iperf3 binds it; then
// iperf3 fails and says so, and the round reports it.
int pickFreePort()
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return 0;
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_ANY);
        socklen_t length = sizeof address;
        const bool named = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
        ::close(fd);
        int error = 0;
        const int port = named ? ntohs(address.sin_port) : 0;
        if (port && canBind(SOCK_DGRAM, port, &error))
            return port;
    }
    return 0;
}

// Whether a TCP socket on port is in the LISTEN state, from the kernel's tables (Linux). Binding is
// not enough: between iperf3's bind() and listen() a connection is refused, and under load that gap
// lasted long enough for the peer to be told too early.
bool listensOn(int port)
{
    for (const char *table : {"/proc/net/tcp6", "/proc/net/tcp"}) {
        FILE *file = std::fopen(table, "re");
        if (!file)
            continue;
        char line[512];
        bool found = false;
        while (!found && std::fgets(line, sizeof line, file)) {
            unsigned localPort = 0;
            unsigned state = 0;
            // "  0: 00000000:1F90 00000000:0000 0A ...": slot, local address:port, remote, state.
            found = std::sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &localPort, &state) == 2
                && int(localPort) == port && state == 0x0A;
        }
        std::fclose(file);
        if (found)
            return true;
    }
    return false;
}

// Says "listening PORT" on stderr once iperf3 listens, for the agent that waits to tell its peer
// where to connect. libiperf listens inside iperf_run_server() and says nothing, so a second thread
// watches the port: held (binding it fails), then listening.
void announceWhenListening(int port, const std::atomic<bool> *done)
{
    const auto until = std::chrono::steady_clock::now() + LISTEN_WAIT;
    while (!*done && std::chrono::steady_clock::now() < until) {
        int error = 0;
        if (!canBind(SOCK_STREAM, port, &error) && error == EADDRINUSE && listensOn(port)) {
            std::fprintf(stderr, "listening %d\n", port);
            std::fflush(stderr);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

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
    if (!readNumber(argv[2], 0, 65535, &port))
        return usage("PORT must be 0 (any free port) to 65535");
    if (port == 0 && (port = pickFreePort()) == 0)
        return reportError("no free port to listen on");
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
    std::atomic<bool> done{false};
    std::thread announcer(announceWhenListening, int(port), &done);
    const int served = iperf_run_server(test);
    done = true;
    announcer.join();
    if (served < 0) {
        if (!iperf_get_test_json_output_string(test))
            return reportError(iperf_strerror(i_errno));
        return EXIT_FAILED;
    }
    return EXIT_MEASURED;
}

} // namespace StreamSwarm::Throughput
