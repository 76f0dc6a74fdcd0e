// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCborMap>
#include <QList>
#include <QString>

#include "shared/protocol/details/timing.h"

namespace StreamSwarm::Protocol {

class FieldReader;

inline constexpr int MAX_QOS_CLASSES = 64; // every DSCP once; agents run at most 8

// One DSCP class of a qos round; jitter, marking and clocks are absent when nothing came back.
struct QosClassDetail
{
    QString className; // "ef", "af41", "be" ...
    int dscp = 0;
    qint64 sent = 0;
    qint64 received = 0;
    // Per direction; agents before per-direction figures sent none of these.
    std::optional<qint64> lostThere;
    std::optional<qint64> lostBack;
    std::optional<qint64> reorderedThere;
    std::optional<qint64> reorderedBack;
    std::optional<qint64> duplicatesThere;
    std::optional<qint64> duplicatesBack;
    std::optional<double> jitterThereMs;
    std::optional<double> jitterBackMs;
    std::optional<bool> markingKeptThere;
    std::optional<bool> markingKeptBack;
    std::optional<bool> clocksSynchronised;
    std::optional<QString> oneWayDelaysLeftOut; // why, when one-way delays were left out
};

// A qos round's detail: what each DSCP class met on the way to the reflector and back.
struct QosDetail
{
    static constexpr char16_t KIND[] = u"qos"; // the wire's "kind"

    QList<QosClassDetail> classes;
    qint64 duplicates = 0; // all classes, both ways
    std::optional<TimestampTally> timestamps; // agents before timestamp quality sent neither
    std::optional<ClockReading> clock;

    // The wire form's fields after "kind", and back (README.md beside details.h).
    void writeTo(QCborMap &map) const;
    static QosDetail readFrom(const QCborMap &map, FieldReader &reader);
};

} // namespace StreamSwarm::Protocol
