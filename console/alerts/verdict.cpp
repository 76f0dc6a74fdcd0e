// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "verdict.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

bool isSiteAddress(const QString &text)
{
    const QHostAddress address(text);
    if (address.isNull())
        return false;
    for (const auto &[network, length] : {std::pair{u"10.0.0.0"_s, 8}, std::pair{u"172.16.0.0"_s, 12},
             std::pair{u"192.168.0.0"_s, 16}, std::pair{u"100.64.0.0"_s, 10}, std::pair{u"169.254.0.0"_s, 16},
             std::pair{u"fc00::"_s, 7}, std::pair{u"fe80::"_s, 10}}) {
        if (address.isInSubnet(QHostAddress(network), length))
            return true;
    }
    return false;
}

Verdict Verdict::fromPath(const Protocol::TracerouteDetail &path)
{
    Verdict verdict;
    const auto &hops = path.hops;
    if (hops.isEmpty()) {
        verdict.evidence = tr("The traceroute taken when the alert fired found no hop.");
        return verdict;
    }
    const auto losing = [](const Protocol::TracerouteHop &hop) {
        return hop.address.isEmpty() || hop.lossPct >= LOSS_PCT;
    };
    // The first hop from which every hop to the end loses.
    qsizetype first = hops.size();
    while (first > 0 && losing(hops.at(first - 1)))
        --first;
    const bool reached = !path.address.isEmpty() && hops.constLast().address == path.address;
    if (first == hops.size()) {
        verdict.kind = Kind::Clean;
        verdict.evidence = tr("When traced, the path to %1 lost nothing that carried on to the target.")
                               .arg(path.address.isEmpty() ? path.target : path.address);
        return verdict;
    }
    const Protocol::TracerouteHop &hop = hops.at(first);
    const QString where = hop.address.isEmpty() ? tr("hop %1 (no answer)").arg(hop.ttl) : hop.address;
    const QString loss = hop.address.isEmpty() ? tr("no answer") : tr("%1 % lost").arg(hop.lossPct, 0, 'f', 0);
    if (first == 0) {
        verdict.kind = Kind::Local;
        verdict.evidence
            = tr("Loss starts at the first hop, %1 (the gateway: %2), and goes on to the target.").arg(where, loss);
        return verdict;
    }
    if (reached && first == hops.size() - 1) {
        verdict.kind = Kind::Remote;
        verdict.evidence
            = tr("Every hop before the target answered without loss; only the target %1 lost (%2).").arg(where, loss);
        return verdict;
    }
    // Inside the site while every hop so far has a site address.
    bool inside = true;
    for (qsizetype i = 0; i <= first && inside; ++i)
        inside = hops.at(i).address.isEmpty() || isSiteAddress(hops.at(i).address);
    if (inside && !hop.address.isEmpty()) {
        verdict.kind = Kind::Local;
        verdict.evidence
            = tr("Loss starts at %1 (%2), still inside your network, and goes on to the target.").arg(where, loss);
        return verdict;
    }
    verdict.kind = Kind::Provider;
    verdict.evidence
        = tr("Loss starts at %1 (%2), outside your network, and goes on to the target: the provider's side.")
              .arg(where, loss);
    return verdict;
}

QString Verdict::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Local:
        return u"local"_s;
    case Kind::Provider:
        return u"provider"_s;
    case Kind::Remote:
        return u"remote"_s;
    case Kind::Clean:
        return u"clean"_s;
    case Kind::Unknown:
        break;
    }
    return u"unknown"_s;
}

QString Verdict::text() const
{
    switch (kind) {
    case Kind::Local:
        return tr("On this side: %1").arg(evidence);
    case Kind::Provider:
        return tr("At the provider: %1").arg(evidence);
    case Kind::Remote:
        return tr("At the remote end: %1").arg(evidence);
    case Kind::Clean:
        return tr("No verdict: %1").arg(evidence);
    case Kind::Unknown:
        break;
    }
    return evidence.isEmpty() ? tr("No verdict: there was no traceroute to judge by.")
                              : tr("No verdict: %1").arg(evidence);
}

QJsonObject Verdict::toJson() const
{
    return {{u"kind"_s, kindKey(kind)}, {u"evidence"_s, evidence}};
}

Verdict Verdict::fromJson(const QJsonObject &object)
{
    Verdict verdict;
    const QString key = object.value(u"kind"_s).toString();
    for (Kind kind : {Kind::Local, Kind::Provider, Kind::Remote, Kind::Clean}) {
        if (kindKey(kind) == key)
            verdict.kind = kind;
    }
    verdict.evidence = object.value(u"evidence"_s).toString();
    return verdict;
}

} // namespace StreamSwarm::Console
