// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "agentadmission.h"

#include <QDateTime>
#include <QHostAddress>

#include "console/storage/storageservice.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

struct Enrollment
{
    QString eventKind = u"agent-enrolled"_s;
    Protocol::EventText message;
};

// Uses up one use of the token and registers the agent; fills outcome and says what to log.
std::optional<Enrollment> enroll(Repositories &repos, const Auth::ParsedSecret &token, const Protocol::Hello &hello,
    const QString &peer, qint64 now, AdmissionOutcome &outcome)
{
    qint64 replaces = 0; // the agent the token was made to move, if any
    QString tokenName;
    const auto tokenId = repos.tokens.consume(token, now, &outcome.refusal, &outcome.error, &replaces, &tokenName);
    if (!tokenId)
        return std::nullopt;
    std::optional<AgentRecord> before;
    if (replaces) {
        before = repos.agents.findById(replaces, &outcome.error);
        if (!outcome.error.isEmpty())
            return std::nullopt;
    }
    qint64 agentId = 0;
    const auto credential
        = repos.agents.enroll(hello.agent, *tokenId, now, &agentId, &outcome.error, &outcome.refusal, replaces);
    if (!credential) {
        outcome.nameTaken = !replaces && !outcome.refusal.isEmpty();
        return std::nullopt;
    }
    outcome.credential = *credential;
    outcome.agent = repos.agents.findById(agentId, &outcome.error);
    if (!outcome.agent)
        return std::nullopt;
    Enrollment done;
    if (before && !before->revoked) {
        done.eventKind = u"agent-replaced"_s;
        done.message = Protocol::EventText(
            u"agent-replaced"_s, {outcome.agent->name, before->host, hello.agent.host, peer, tokenName});
    } else {
        done.message = Protocol::EventText(u"agent-enrolled"_s, {hello.agent.host, peer, tokenName});
    }
    return done;
}

// "192.0.2.7:50312" or "::ffff:192.0.2.7:50312" (a dual-stack listener) -> "192.0.2.7"; "::1:50312" -> "::1".
QString addressOf(const QString &peer)
{
    const QString address = peer.section(u':', 0, -2);
    const QHostAddress parsed(address);
    bool isV4 = false;
    const quint32 v4 = parsed.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address;
}

} // namespace

AdmissionOutcome admitAgent(
    Repositories &repos, const Auth::ParsedSecret &secret, const Protocol::Hello &hello, const QString &peer)
{
    AdmissionOutcome outcome;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!repos.db.beginWrite(&outcome.error))
        return outcome;
    std::optional<Enrollment> enrollment;
    if (secret.kind == Auth::SecretKind::EnrollmentToken) {
        enrollment = enroll(repos, secret, hello, peer, now, outcome);
        if (!enrollment)
            outcome.agent.reset();
    } else {
        outcome.agent = repos.agents.authenticate(secret, &outcome.refusal, &outcome.error);
        // The console's name for the agent wins over the one in hello; the agent learns it in welcome.
        if (outcome.agent && !repos.agents.updateOnConnect(outcome.agent->id, hello.agent, now, &outcome.error))
            outcome.agent.reset();
    }
    if (!outcome.agent) {
        // Nothing of the attempt stays: no token use is spent on a refused enrollment.
        repos.db.rollback();
        // The database's own words when it failed: those have no code.
        const QJsonValue why = outcome.refusal.isEmpty() ? QJsonValue(outcome.error) : outcome.refusal.toJson();
        const bool enrolling = secret.kind == Auth::SecretKind::EnrollmentToken;
        repos.events.add(now, u"warning"_s, enrolling ? u"enroll-refused"_s : u"auth-refused"_s, 0, 0,
            Protocol::EventText(u"agent-refused"_s, {hello.agent.name, peer, why}), nullptr);
        return outcome;
    }
    const QString address = addressOf(peer);
    if (!repos.agents.recordAddress(outcome.agent->id, address, &outcome.error)) {
        repos.db.rollback();
        outcome.agent.reset();
        return outcome;
    }
    outcome.agent->address = address;
    if (enrollment) {
        repos.events.add(now, u"info"_s, enrollment->eventKind, outcome.agent->id, 0, enrollment->message, nullptr);
    } else {
        // The name the host gives itself, and where its connection really comes from.
        const QString from = hello.agent.host.isEmpty() ? address : hello.agent.host + u" ("_s + address + u')';
        repos.events.add(now, u"info"_s, u"agent-online"_s, outcome.agent->id, 0,
            Protocol::EventText(u"agent-online"_s, {from}), nullptr);
    }
    // Other consoles on a shared PostgreSQL show the agent online too.
    if (!repos.db.announceChange(&outcome.error) || !repos.db.commit(&outcome.error))
        outcome.agent.reset();
    return outcome;
}

} // namespace StreamSwarm::Console
