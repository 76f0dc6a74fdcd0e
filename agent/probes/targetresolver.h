// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QString>

class QHostInfo;

namespace StreamSwarm::Agent {

// A test's target, a name or an address, as the address a round sends to, with one policy for
// every probe: the first round waits for the lookup; later rounds use the address they have while
// a refresh runs beside them (every 5 minutes, or soon after a round got no answer at all, at most
// every 30 s); a name that does not resolve is asked again after 10 s, not at every round; a
// resolver outage keeps the last address in use. One log line per change of address or of error.
// Main thread.
class TargetResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetResolver)
public:
    enum class State {
        Ready, // address() is the one to use
        Waiting, // the first lookup runs: lookupFinished() follows
        Failed, // the name does not resolve (yet): error() says why
    };

    // label names the test in the log, e.g. "ping 7".
    TargetResolver(QString target, QString label, QObject *parent = nullptr);
    ~TargetResolver() override;

    // At the start of each round.
    State prepare();
    // The last round got no answer at all: the address may be stale.
    void markSuspect() { m_suspect = true; }

    QString target() const { return m_target; }
    bool isLiteral() const { return m_literal; }
    QHostAddress address() const { return m_address; } // null until the name first resolves
    QString error() const { return m_error; } // why the name does not resolve, while it never has

Q_SIGNALS:
    // A lookup has ended (the one prepare() returned Waiting for, or a refresh): address() or
    // error() says how.
    void lookupFinished();

private:
    void startLookup();
    void handleLookup(const QHostInfo &info);

    QString m_target;
    QString m_label;
    bool m_literal = false;
    QHostAddress m_address;
    QString m_error;
    QString m_loggedError; // the last lookup failure logged, so an outage is one line, not one a lookup
    QElapsedTimer m_resolvedAge; // since a lookup last confirmed m_address
    QElapsedTimer m_lookupAge; // since the last lookup started
    bool m_lookupRunning = false;
    bool m_starting = false; // inside startLookup(): a result now is not news to anyone
    bool m_suspect = false;
    QObject *m_lookupContext; // a child; outlives us while a lookup runs (see the destructor)
};

} // namespace StreamSwarm::Agent
