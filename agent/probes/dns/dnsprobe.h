// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>

#include "agent/probes/dns/areschannel.h"
#include "agent/probes/probe.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/details/dns.h"
#include "shared/testtypes/dns.h"

namespace StreamSwarm::Agent {

// The dns test: per round, one query for the target's records of the test's type, through the
// system's resolvers or the given server (c-ares: UDP with retries, TCP after a truncated answer).
// Its lookup time, RCODE and answer count as metrics, the answer section and the answering server
// as detail; an RCODE other than NOERROR also as the round's error, in plain words; no answer
// within the timeout as an error alone. A fresh channel per round, so a changed /etc/resolv.conf
// counts from the next round. Lives on the agent's main thread; never blocks it.
class DnsProbe final : public Probe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DnsProbe)
public:
    DnsProbe(const Protocol::TestSpec &spec, const Validation::DnsParams &params, QObject *parent = nullptr);
    ~DnsProbe() override;

    // A round still running is finished (and emitted) first, so each call gives exactly one
    // roundFinished(); the new round's own result always comes later, from the event loop.
    void startRound(qint64 roundTimeMs) override;

    const Validation::DnsParams &params() const { return m_params; }

private:
    void handleQueryFinished(const AresOutcome &outcome);
    void handleTimeout();
    void finishRound();
    void fillAnswered(Protocol::Round &round, Protocol::DnsDetail &detail, const AresOutcome &outcome);
    QString unansweredError(const AresOutcome &outcome) const;
    QString serverText(const AresOutcome &outcome) const;

    Protocol::TestSpec m_spec;
    Validation::DnsParams m_params;
    int m_typeCode = 1;
    std::unique_ptr<AresChannel> m_channel; // this round's
    Deadline m_giveUp; // the test's timeout
    Deadline m_finish; // finishes the round from the event loop, outside c-ares
    std::optional<AresOutcome> m_outcome; // c-ares' end of this round's query
    QString m_setupError;
    bool m_roundRunning = false;
    qint64 m_roundTimeMs = 0;
};

} // namespace StreamSwarm::Agent
