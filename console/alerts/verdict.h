// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include "shared/protocol/details.h"

namespace StreamSwarm::Console {

// Where the trouble an alert saw most likely is, from the traceroute taken when it fired: on this
// side (the gateway or the site's own network), at the provider (from the first hop outside the
// site), or at the remote end (only the target loses). Read as mtr is read: loss at a hop counts only
// when it goes on to the target, since routers may ignore probes to themselves and still forward.
struct Verdict
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Verdict)
public:
    enum class Kind { Unknown, Local, Provider, Remote, Clean };
    static constexpr double LOSS_PCT = 20; // a hop losing at least this much, on to the target, is losing

    Kind kind = Kind::Unknown;
    QString evidence; // one sentence: what led to it

    static Verdict fromPath(const Protocol::TracerouteDetail &path);
    static QString kindKey(Kind kind); // "local", "provider", "remote", "clean", "unknown"
    QString text() const; // "Remote end: ..." in plain words
    QJsonObject toJson() const;
    static Verdict fromJson(const QJsonObject &object);
};

// An address inside a site: private (RFC 1918, unique local IPv6), shared (CGNAT) or link-local.
bool isSiteAddress(const QString &address);

} // namespace StreamSwarm::Console
