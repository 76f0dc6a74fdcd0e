// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "resolvingprobe.h"

#include <QPointer>

#include "shared/util/duration.h"
#include "shared/util/logging.h"

namespace StreamSwarm::Agent {

ResolvingProbe::ResolvingProbe(const Protocol::TestSpec &spec, const QString &logName, QObject *parent)
    : ResolvingProbe(spec, spec.target, logName, parent)
{ }

ResolvingProbe::ResolvingProbe(
    const Protocol::TestSpec &spec, const QString &host, const QString &logName, QObject *parent)
    : Probe(parent)
    , m_spec(spec)
    , m_logName(logName)
    , m_resolver(host, logName, this)
    , m_lookupWait([this] { handleLookupWait(); })
{
    connect(&m_resolver, &TargetResolver::lookupFinished, this, &ResolvingProbe::handleLookupFinished);
}

ResolvingProbe::~ResolvingProbe() = default;

void ResolvingProbe::startRound(qint64 roundTimeMs)
{
    if (m_roundRunning) {
        qCDebug(lcProbe).noquote() << m_logName << "round still running at the next start; finishing it now";
        QPointer<ResolvingProbe> guard(this);
        finishRound();
        if (!guard)
            return;
    }
    m_roundRunning = true;
    m_roundTimeMs = roundTimeMs;
    m_roundError.clear();
    m_roundUnresolved = false;
    clearRound();
    switch (m_resolver.prepare()) {
    case TargetResolver::State::Ready:
        beginMeasuring();
        return;
    case TargetResolver::State::Failed:
        // A name that just failed to resolve is not asked again at every round.
        failUnresolved();
        finishSoon();
        return;
    case TargetResolver::State::Waiting:
        // First round, or the name never resolved: this round waits for the lookup, within its own length.
        m_waitingForAddress = true;
        m_lookupWait.start(std::chrono::milliseconds(longestRoundMs()));
        return;
    }
}

void ResolvingProbe::endRound()
{
    m_lookupWait.stop();
    m_roundRunning = false;
    m_waitingForAddress = false;
}

void ResolvingProbe::handleLookupFinished()
{
    if (!m_roundRunning || !m_waitingForAddress)
        return; // a refresh: it applies from the next round
    m_waitingForAddress = false;
    m_lookupWait.stop();
    if (m_resolver.address().isNull()) {
        failUnresolved();
        finishRound();
        return;
    }
    beginMeasuring();
}

void ResolvingProbe::handleLookupWait()
{
    if (m_waitingForAddress) {
        m_waitingForAddress = false;
        setRoundError(slowLookupError(formatDurationMs(longestRoundMs())));
        m_roundUnresolved = true;
    }
    if (m_roundRunning)
        finishRound();
}

void ResolvingProbe::failUnresolved()
{
    setRoundError(unresolvedError(m_resolver.error()));
    m_roundUnresolved = true;
}

void ResolvingProbe::setRoundError(const QString &error)
{
    if (m_roundError.isEmpty()) {
        m_roundError = error;
        qCDebug(lcProbe).noquote() << m_logName << error;
    }
}

QString ResolvingProbe::takeRoundError()
{
    return std::exchange(m_roundError, QString());
}

void ResolvingProbe::noteSocketError(const QString &error)
{
    if (!error.isEmpty() && error != m_socketError)
        qCWarning(lcProbe).noquote() << error;
    m_socketError = error;
}

} // namespace StreamSwarm::Agent
