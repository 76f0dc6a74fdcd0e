// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <variant>

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "shared/protocol/details.h"
#include "shared/protocol/eventtext.h"

// Typed payloads of every protocol message. The wire format is described in README.md beside
// this file; the encoding and all checks live in codec.cpp and validation.cpp.
namespace StreamSwarm::Protocol {

inline constexpr int VERSION = 1;

// Append-only: never renumber or reuse a value; the wire carries the name.
enum class MessageType {
    Hello = 1, // agent -> console, first message after the upgrade
    Welcome = 2, // console -> agent, after authentication
    Assign = 3, // console -> agent, the full desired set of tests
    Results = 4, // agent -> console, a batch of rounds with a per-agent increasing seq
    Ack = 5, // console -> agent, highest seq durably committed
    Event = 6, // agent -> console, something worth a line in the event log
    Ping = 7, // console -> agent, liveness and clock offset
    Pong = 8, // agent -> console, answer to ping
    Rekey = 9, // console -> agent, a new credential to keep instead of the current one
    Rekeyed = 10, // agent -> console, the new credential is stored; the old one may go
    BulkRequest = 11, // agent -> console, a turn for a bandwidth round to another agent
    BulkGrant = 12, // console -> agent, the turn: where the peer serves it, or why there is none
    BulkRelease = 13, // agent -> console, the round has ended (or no longer wants its turn)
    Serve = 14, // console -> agent, serve one bandwidth measurement for a peer's turn
    Serving = 15, // agent -> console, the port it serves on, or why it cannot
    ServeStop = 16, // console -> agent, the turn is over: stop serving
};

// WebSocket close codes the console uses (4000-4999 is the application range).
enum CloseCode {
    CloseAuthenticationFailed = 4001, // token or credential missing, unknown, wrong, used up or expired
    CloseAgentRevoked = 4003, // the agent's credential was revoked
    CloseBadMessage = 4002, // a message failed to decode or arrived out of order
    CloseHelloTimeout = 4004, // no hello in time after the upgrade
    CloseReplaced = 4005, // the same agent connected again; the old session is closed
    CloseTooManyAttempts = 4006, // too many failed attempts from this address; locked out for a while
    CloseRateLimited = 4007, // too many messages, or too many connections waiting to authenticate
    CloseNameTaken = 4008, // enrollment refused: the name belongs to an enrolled agent (the token is not used up)
};

struct AgentInfo
{
    QString name;
    QString host;
    QString os;
    QString version;
    QStringList capabilities; // test types this agent can run
    quint16 stampPort = 0; // UDP port of this agent's STAMP reflector (--stamp-port); 0 = none
};

struct Hello
{
    AgentInfo agent;
};

struct Welcome
{
    qint64 agentId = 0;
    QString agentName;
    QString credential; // only after enrollment: the agent keeps it and forgets the token
    qint64 lastSeq = 0; // highest seq the console has committed for this agent
};

struct TestSpec
{
    qint64 id = 0;
    QString name;
    QString type;
    QString target;
    qint64 intervalMs = 1000;
    qint64 durationMs = 0; // 0 = continuous
    qint64 remainingMs = 0; // at the time the assign was sent; 0 = continuous
    QMap<QString, QString> params;

    bool operator==(const TestSpec &other) const;
};

struct Assign
{
    QList<TestSpec> tests;
};

struct MetricValue
{
    QString metric; // a name from the MetricCatalog
    double value = 0;
};

// One round of one test: a value per metric, an error when the round could not run, and an
// optional typed detail (traceroute path, timestamp quality ...; details.h).
struct Round
{
    qint64 testId = 0;
    qint64 timeMs = 0; // agent clock, ms since the epoch, when the round started
    QList<MetricValue> values;
    QString error;
    RoundDetail detail;
};

struct Event
{
    qint64 timeMs = 0;
    QString level; // "info", "warning", "error"
    QString kind; // short machine-readable tag, e.g. "probe-error"
    QString message; // the sentence as its maker wrote it: what a console that does not know the code shows
    qint64 testId = 0;
    EventText coded = {}; // optional: the same sentence as a code and values, shown in the reader's language

    // What to show: the coded sentence in the user's language when this build knows it, else the message.
    QString text() const { return coded.text(message); }
    // An event with a coded sentence, its message that sentence in the maker's language.
    static Event withText(
        qint64 timeMs, const QString &level, const QString &kind, const EventText &text, qint64 testId = 0)
    {
        return Event{timeMs, level, kind, text.text(), testId, text};
    }
};

struct Results
{
    qint64 seq = 0;
    QList<Round> rounds;
    // Events ride in batches so they are spooled and acked like samples (spool overflow, probe
    // failures); the standalone event message is for what need not survive a crash.
    QList<Event> events;
    // The lowest seq the agent may still send again (its oldest unacked batch); the console forgets
    // replay protection below it. 0 = not said.
    qint64 floorSeq = 0;
    // Rounds the agent ever dropped because its spool was full (a running total, sent with every
    // batch so the news cannot itself be dropped), and when the newest of them was measured.
    qint64 lostRounds = 0;
    qint64 lostUntilMs = 0;
};

struct Ack
{
    qint64 seq = 0;
};

struct Ping
{
    qint64 timeMs = 0;
};

struct Pong
{
    qint64 pingTimeMs = 0; // echoed from the ping
    qint64 agentTimeMs = 0; // agent clock when answering
};

struct Rekey
{
    QString credential;
};

struct Rekeyed
{ };

// Turns for bandwidth measurements between agents (bandwidth method=agent). The console keeps one
// turn at a time per agent, so no two such measurements share an agent's link, and the serving agent
// listens only during a turn. Leases are numbered by the side that opens them: a measuring agent
// numbers its requests, the console its serve orders.
struct BulkRequest
{
    qint64 lease = 0; // the agent's number for this request, above 0
    qint64 testId = 0;
    qint64 limitMs = 0; // how long the measurement may take once it starts
    qint64 waitMs = 0; // how long the round can wait for its turn

    bool operator==(const BulkRequest &other) const
    {
        return lease == other.lease && testId == other.testId && limitMs == other.limitMs && waitMs == other.waitMs;
    }
};

struct BulkGrant
{
    qint64 lease = 0; // the request's number
    QString address; // where the peer agent serves; empty with an error
    quint16 port = 0;
    QString error; // why there is no turn, a sentence for the round's result

    bool operator==(const BulkGrant &other) const
    {
        return lease == other.lease && address == other.address && port == other.port && error == other.error;
    }
};

struct BulkRelease
{
    qint64 lease = 0;

    bool operator==(const BulkRelease &other) const { return lease == other.lease; }
};

struct Serve
{
    qint64 lease = 0; // the console's number for this turn
    qint64 limitMs = 0; // serve at most this long once listening
    qint64 waitMs = 0; // wait at most this long for the agent's own bandwidth round to end

    bool operator==(const Serve &other) const
    {
        return lease == other.lease && limitMs == other.limitMs && waitMs == other.waitMs;
    }
};

struct Serving
{
    qint64 lease = 0;
    quint16 port = 0; // the TCP (and for UDP tests also UDP) port the agent listens on; 0 with an error
    QString error;

    bool operator==(const Serving &other) const
    {
        return lease == other.lease && port == other.port && error == other.error;
    }
};

struct ServeStop
{
    qint64 lease = 0;

    bool operator==(const ServeStop &other) const { return lease == other.lease; }
};

using Payload = std::variant<Hello, Welcome, Assign, Results, Ack, Event, Ping, Pong, Rekey, Rekeyed, BulkRequest,
    BulkGrant, BulkRelease, Serve, Serving, ServeStop>;

struct Message
{
    MessageType type() const;
    Payload payload;
};

QString messageTypeName(MessageType type);

} // namespace StreamSwarm::Protocol
