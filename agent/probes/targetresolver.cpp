// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "targetresolver.h"

#include <QHostInfo>
#include <QPointer>

#include "agent/probes/socketsupport.h"
#include "shared/util/logging.h"

namespace StreamSwarm::Agent {

namespace {

constexpr qint64 REFRESH_ADDRESS_MS = 300'000; // re-resolve a name this often
constexpr qint64 MIN_LOOKUP_GAP_MS = 30'000; // but never more often than this
constexpr qint64 RETRY_FAILED_LOOKUP_MS = 10'000; // a name that never resolved: retry after this

} // namespace

TargetResolver::TargetResolver(QString target, QString label, QObject *parent)
    : QObject(parent)
    , m_target(std::move(target))
    , m_label(std::move(label))
    , m_lookupContext(new QObject(this))
{
    const QHostAddress literal(m_target);
    if (!literal.isNull()) {
        m_address = Sockets::unmapped(literal);
        m_literal = true;
    }
}

TargetResolver::~TargetResolver()
{
    // Qt 6.4 leaks the functor of a lookup whose context object died (or that was aborted), so the
    // context outlives us and the functor deletes it when the result comes.
    if (m_lookupRunning)
        m_lookupContext->setParent(nullptr);
}

TargetResolver::State TargetResolver::prepare()
{
    if (!m_address.isNull()) {
        const bool stale = !m_resolvedAge.isValid() || m_resolvedAge.hasExpired(REFRESH_ADDRESS_MS);
        if (!m_literal && !m_lookupRunning && (stale || m_suspect)
            && (!m_lookupAge.isValid() || m_lookupAge.hasExpired(MIN_LOOKUP_GAP_MS))) {
            startLookup(); // applies from the next round
        }
        return State::Ready;
    }
    if (!m_lookupRunning && !m_error.isEmpty() && !m_lookupAge.hasExpired(RETRY_FAILED_LOOKUP_MS))
        return State::Failed;
    if (!m_lookupRunning)
        startLookup(); // may be answered at once
    if (!m_address.isNull())
        return State::Ready;
    return m_lookupRunning ? State::Waiting : State::Failed;
}

void TargetResolver::startLookup()
{
    m_lookupAge.start();
    m_lookupRunning = true; // before the call: do not rely on the result being queued
    m_starting = true;
    QObject *context = m_lookupContext;
    QHostInfo::lookupHost(
        m_target, context, [resolver = QPointer<TargetResolver>(this), context](const QHostInfo &info) {
            if (resolver)
                resolver->handleLookup(info);
            else
                context->deleteLater();
        });
    m_starting = false;
}

void TargetResolver::handleLookup(const QHostInfo &info)
{
    m_lookupRunning = false;
    QHostAddress chosen;
    const QList<QHostAddress> addresses = info.error() == QHostInfo::NoError ? info.addresses() : QList<QHostAddress>();
    for (const QHostAddress &address : addresses) {
        if (!address.isNull()) {
            chosen = Sockets::unmapped(address);
            break;
        }
    }
    if (chosen.isNull()) {
        const QString why = info.error() == QHostInfo::NoError ? tr("no addresses") : info.errorString();
        if (why != m_loggedError)
            qCWarning(lcProbe).noquote() << m_label << "cannot resolve" << m_target << ":" << why;
        m_loggedError = why;
        // A cached address stays in use: a resolver outage should not stop the measurement.
        if (m_address.isNull())
            m_error = why;
    } else {
        if (!m_loggedError.isEmpty() || (!m_address.isNull() && chosen != m_address))
            qCInfo(lcProbe).noquote() << m_label << m_target << "now resolves to" << chosen.toString();
        m_error.clear();
        m_loggedError.clear();
        m_resolvedAge.start();
        m_suspect = false;
        m_address = chosen;
    }
    if (!m_starting)
        Q_EMIT lookupFinished();
}

} // namespace StreamSwarm::Agent
