// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-test-web: the suite's HTTP/HTTPS server (README.md beside this file). Prints "ready PORT"
// once it listens, then serves until it is terminated.
#include <csignal>
#include <cstdio>

#include <sys/prctl.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

#include "tests/support/webserver/webserver.h"

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    // A test that dies (a crash, ctest's timeout) must not leave its server behind.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The StreamSwarm test suite's HTTP/HTTPS server (loopback and labs only)."_s);
    parser.addHelpOption();
    const QCommandLineOption listen(
        u"listen"_s, u"Address to listen on (default 127.0.0.1)."_s, u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption port(u"port"_s, u"Port (default: any free one)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption certificate(u"cert"_s, u"Serve https with this PEM chain."_s, u"file"_s);
    const QCommandLineOption key(u"key"_s, u"The PEM key of --cert."_s, u"file"_s);
    parser.addOptions({listen, port, certificate, key});
    parser.process(app);

    StreamSwarm::Test::WebServer server;
    if (parser.isSet(certificate)) {
        QString error;
        if (!server.useTls(parser.value(certificate), parser.value(key), &error)) {
            std::fprintf(stderr, "streamswarm-test-web: %s\n", qPrintable(error));
            return 2;
        }
    }
    if (!server.listen(QHostAddress(parser.value(listen)), quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "streamswarm-test-web: cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("ready %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
