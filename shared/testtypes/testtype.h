// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "shared/metrics/catalog.h"
#include "shared/protocol/messages.h"

// What a test type is, said once: its name, its parameters with their ranges and defaults, its
// metric family, its detail record and how it is charted. Validation, the CLI help, the Add-test
// dialog, the agent's probe factory, the metric catalog and the chart all read these descriptors;
// the type name is compared nowhere else. Immutable, any thread.
//
// Adding a test type NAME: new files that the build finds (shared/ and agent/CMakeLists.txt), and
// one existing file to edit, details.h, whose variant must name the new record.
// - shared/testtypes/NAME.{h,cpp}: the descriptor, returned by `const TestType &NAMEType()`, with its
//   typed parameter parser and its metric family (and Metric:: name constants if code names them);
// - shared/protocol/details/NAME.{h,cpp}: its detail record, named in details.h (DetailKind and
//   RoundDetail::Value), its wire form described in shared/protocol/README.md;
// - agent/probes/NAME/: its probe, and `ProbeType NAMEProbeType()` (see agent/probes/probefactory.h).
namespace StreamSwarm::TestTypes {

enum class ParamKind {
    Integer, // a whole number from minimum to maximum
    Duration, // "250ms", "2s": minimum to maximum milliseconds
    Choice, // one of choices
    Switch, // on/off (also true/false, yes/no, 1/0)
    Dscp, // a DSCP name (EF, AF41, CS1, BE) or a number 0-63
    DscpList, // DSCP classes separated by commas
    Address, // an IP address of this host
    Interface, // a network interface name
    Text, // free text of at most maximum characters (a server name, a body substring)
    File, // a path to a file on the agent's host, at most maximum characters
    Server, // a server's IP address with an optional port: 192.0.2.1, 192.0.2.1:5353, [2001:db8::1]:5353
    Size, // a byte count, "500kB", "10MB", "1MiB" or plain bytes: minimum to maximum bytes
    Bitrate, // bits per second, "100M", "1.5G", "64k" or plain bits: minimum to maximum bit/s
};

enum class TargetKind {
    Host, // a host name or an IP address
    ReflectorOrAgent, // the IP address of a STAMP reflector, or agent:NAME
    HostPort, // host:port, [IPv6]:port; the type's parser checks it (Validation::splitHostPort)
    DnsName, // a name to look up in the DNS ('_' allowed, as in SRV names), or an IP address; the type checks it
    Url, // an http:// or https:// URL; the type's parser checks it (Validation::checkHttpUrl)
    ServerOrUrl, // a server's host[:port], or an http(s) URL; which one, the type's parser says (bandwidth's method)
    ThisHost, // the agent's own host (system, wireless, hardware): no target; stored as Validation::LOCAL_TARGET
};

struct ParamInfo
{
    QString key; // as typed: "count", "max-hops"
    ParamKind kind = ParamKind::Integer;
    const char *help = nullptr; // untranslated; translate with TestTypes::text()
    qint64 minimum = 0; // Integer: the value; Duration: milliseconds; Size: bytes; Bitrate: bit/s
    qint64 maximum = 0; // Text: the longest text
    QString defaultText; // as the user would type it; empty when it follows from other values (help says how)
    QStringList choices; // Choice
};

// What the live chart draws: metric names within the type's family. "{class}" in a name stands for
// the test's first DSCP class (qos). Names and titles are untranslated; the title's %1 is the
// interval, %2 the class.
struct ChartInfo
{
    QString line;
    QString minimum; // empty: no min-max band
    QString maximum;
    QString loss;
    // Each round's spread around the line (a standard deviation): the chart draws it as the darker
    // inner smoke of a SmokePing-style band and colours the line by loss. Empty: no smoke.
    QString spread;
    const char *lineName = nullptr;
    const char *bandName = nullptr;
    const char *lossName = nullptr;
    const char *spreadName = nullptr;
    const char *title = nullptr;
    bool pathTable = false; // each round's detail is a path, shown hop by hop under the chart
    bool detailTable = false; // each round's detail (certificates, answers) is shown under the chart
    // Cumulative times from the start of a request, in order, drawn as a stacked bar per round
    // (http: DNS, connect, TLS, wait, download); a phase a round lacks adds nothing to the stack.
    QStringList phases;
    QList<const char *> phaseNames;
    const char *axisLabel = nullptr; // the value axis; nullptr: "RTT (ms)"
    // Figures that reports chart below the line, with their names: what engineers read next
    // (a ping's jitter, a host's memory and load).
    QStringList reportExtras;
    QList<const char *> reportExtraNames;
};

struct TestType
{
    QString name;
    int menuOrder = 0; // menus offer the types by this, lowest first
    const char *summary = nullptr; // one line: what it measures
    TargetKind target = TargetKind::Host;
    QString exampleTarget; // one target of the right shape, for help texts and tests; empty: an IP address
    QList<ParamInfo> params;
    QString metricFamily; // the catalog's prefix: "ping" for "ping.rtt_avg_ms"
    QList<MetricInfo> metrics; // the family, as the catalog lists it
    Protocol::DetailKind detailKind = Protocol::DetailKind::None; // the typed detail its rounds carry
    ChartInfo chart;
    // A target agent:NAME stays in the assignment as written: the agent asks the console for a turn
    // each round, and the console answers with where the named agent serves it (bandwidth between
    // agents). Otherwise the console puts in the named agent's address when it assigns (qos).
    bool agentTargetEachRound = false;
    // The type's typed parser, run for its verdict: every parameter by its descriptor, then the
    // rules that span parameters (does a round fit the interval?).
    bool (*checkParams)(const Protocol::TestSpec &spec, QString *error) = nullptr;
    // What "{class}" in the chart's metric names may stand for in this test, in the order the test
    // names them (each can be charted); nullptr when the names have none.
    QStringList (*chartClasses)(const Protocol::TestSpec &spec) = nullptr;
    // Whether this test's rounds can report the chart's loss; nullptr: whenever the chart has one.
    bool (*chartsLoss)(const Protocol::TestSpec &spec) = nullptr;

    const ParamInfo *param(QStringView key) const;
    QStringList paramKeys() const;
};

// The types this build can run, in the order menus offer them (menuOrder).
const QList<TestType> &all();
QStringList names();
// nullptr for a name this build cannot run.
const TestType *find(QStringView name);
// Types DESIGN.md plans that this build does not run yet (named so, not as unknown).
QStringList plannedNames();

// A descriptor's untranslated text in the user's language.
QString text(const char *untranslated);
// "count (1 to 100; default 1): echoes per round": one line per parameter, for help and tooltips.
QString describeParam(const ParamInfo &param);
// "ping: <summary>" and then one indented line per parameter: the CLI's `test add --help`.
QString describeType(const TestType &type);
// A chart metric name with "{class}" filled in: series is what the type's chartClass() gave.
QString chartMetric(const QString &pattern, const QString &series);

} // namespace StreamSwarm::TestTypes
