// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

namespace StreamSwarm::Console {

// Where the network map draws one thing: an agent (by its name), a test's target (host or address),
// or a router seen on traced paths (its address). Saved in the database, so every console that
// opens it sees the same map.
struct MapNode
{
    enum class Kind { Agent, Target, Hop };
    Kind kind = Kind::Target;
    QString name;
    double x = 0;
    double y = 0;

    static QString kindKey(Kind kind); // "agent", "target", "hop"
    static bool kindFromKey(const QString &key, Kind *kind);
    friend bool operator==(const MapNode &a, const MapNode &b)
    {
        return a.kind == b.kind && a.name == b.name && a.x == b.x && a.y == b.y;
    }
};

// The whole saved map: its nodes and an optional background picture (PNG or JPEG bytes, e.g. a floor
// plan or a site diagram).
struct MapLayout
{
    static constexpr qsizetype MAX_BACKGROUND_BYTES = 16 * 1024 * 1024;
    static constexpr qsizetype MAX_NODES = 20000;
    QList<MapNode> nodes;
    QByteArray background;
};

} // namespace StreamSwarm::Console
