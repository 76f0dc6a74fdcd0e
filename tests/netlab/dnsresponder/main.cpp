// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// streamswarm-test-dns: the suite's DNS server with programmed records, delay and failures, on
// loopback or in a lab namespace. See tests/netlab/README.md ("A DNS server").
#include <csignal>
#include <cstdio>

#include <sys/socket.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSocketNotifier>

#include <unistd.h>

#include "tests/netlab/dnsresponder/dnsresponder.h"
#include "tests/netlab/tools/realtime.h"

using namespace Qt::StringLiterals;
using StreamSwarm::NetLab::DnsResponder;
using StreamSwarm::NetLab::DnsZone;

namespace {

int g_signalPipe[2] = {-1, -1};

void handleSignal(int)
{
    const char byte = 0;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "streamswarm-test-dns: %s\n", why.toUtf8().constData());
    std::exit(2);
}

// "20ms", "1.5ms", "500us", "1s" in microseconds; -1 when it is none of these.
int parseDelayUs(const QString &text)
{
    static const QList<std::pair<QString, double>> units{{u"us"_s, 1}, {u"ms"_s, 1000}, {u"s"_s, 1'000'000}};
    for (const auto &[unit, factor] : units) {
        if (text.endsWith(unit)) {
            bool ok = false;
            const double value = text.chopped(unit.size()).toDouble(&ok);
            if (ok && value >= 0 && value * factor <= 60'000'000)
                return int(value * factor);
        }
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Answers DNS queries over UDP and TCP with programmed records, "
                                     u"delay and failures. Prints \"ready\", then \"port N\", then one "
                                     u"line per answer."_s);
    parser.addHelpOption();
    const QCommandLineOption listen(
        u"listen"_s, u"Address to listen on (default 127.0.0.1)."_s, u"address"_s, u"127.0.0.1"_s);
    const QCommandLineOption port(u"port"_s, u"UDP and TCP port (default 0: any free one)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption record(u"record"_s, u"A record: \"NAME TYPE TTL DATA\" (repeatable)."_s, u"record"_s);
    const QCommandLineOption records(u"records"_s, u"A file of records, one a line, # comments."_s, u"file"_s);
    const QCommandLineOption delay(u"delay"_s, u"Hold each answer back: 20ms, 500us."_s, u"duration"_s, u"0ms"_s);
    const QCommandLineOption rcode(
        u"rcode"_s, u"Answer every query with NXDOMAIN, SERVFAIL or REFUSED and no records."_s, u"rcode"_s);
    const QCommandLineOption truncate(u"truncate"_s, u"Over UDP answer with TC set and no records."_s);
    const QCommandLineOption silent(u"silent"_s, u"Never answer."_s);
    parser.addOptions({listen, port, record, records, delay, rcode, truncate, silent});
    parser.process(app);

    DnsZone zone;
    QString error;
    QStringList lines = parser.values(record);
    if (parser.isSet(records)) {
        QFile file(parser.value(records));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            fail(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
        for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n')) {
            if (!line.trimmed().isEmpty() && !line.trimmed().startsWith(u'#'))
                lines.append(line);
        }
    }
    for (const QString &line : lines) {
        if (!zone.add(line, &error))
            fail(error);
    }
    DnsResponder::Options options;
    options.delayUs = parseDelayUs(parser.value(delay));
    if (options.delayUs < 0)
        fail(u"--delay takes a duration such as 20ms or 500us"_s);
    if (parser.isSet(rcode)) {
        static const QStringList codes{
            u"NOERROR"_s, u"FORMERR"_s, u"SERVFAIL"_s, u"NXDOMAIN"_s, u"NOTIMP"_s, u"REFUSED"_s};
        options.forcedRcode = int(codes.indexOf(parser.value(rcode).toUpper()));
        if (options.forcedRcode < 0)
            fail(u"--rcode takes one of %1"_s.arg(codes.join(u", "_s)));
    }
    options.truncateUdp = parser.isSet(truncate);
    options.silent = parser.isSet(silent);

    // SIGTERM and SIGINT end the event loop cleanly.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        fail(u"cannot make a socket pair"_s);
    std::signal(SIGTERM, handleSignal);
    std::signal(SIGINT, handleSignal);
    QSocketNotifier stop(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&stop, &QSocketNotifier::activated, &app, &QCoreApplication::quit);

    // The programmed delay is the truth measurements are compared with: woken ahead of build jobs.
    StreamSwarm::NetLab::tryRealtime();
    DnsResponder responder(zone, options);
    const QHostAddress address(parser.value(listen));
    if (address.isNull())
        fail(u"--listen takes an IP address"_s);
    const quint16 bound = responder.listen(address, quint16(parser.value(port).toUInt()), &error);
    if (bound == 0)
        fail(u"cannot listen on %1 port %2: %3"_s.arg(address.toString(), parser.value(port), error));
    std::printf("ready\nport %u\n", unsigned(bound));
    std::fflush(stdout);
    return app.exec();
}
