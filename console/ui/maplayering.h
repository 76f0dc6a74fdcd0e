// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>

// Where the things of the network map go when laid out in columns, left to right (agents, the
// routers of traced paths by hop, targets): each level with the mean of what links into it, so that
// lines cross little, then spread out; columns far enough apart for the labels of the links between
// them. Plain data, no widgets; any thread.
namespace StreamSwarm::Console::MapLayering {

struct Thing
{
    QString key;
    QString name; // orders a column where nothing else does
    int column = 0;
    double halfWidth = 0;
    double above = 0; // how far it reaches above its centre
};

struct Line
{
    QString from;
    QString to;
    double labelWidth = 0; // 0: unlabelled
};

struct Spacing
{
    QPointF topLeft; // of the first column and the top row
    double columnRoom = 0; // at least, between two columns
    double rowSpacing = 0; // between centres in a column
    double labelClearance = 0; // between a label and the things at its link's ends
};

// The centre of each thing, by key.
QHash<QString, QPointF> places(const QList<Thing> &things, const QList<Line> &lines, const Spacing &spacing);

} // namespace StreamSwarm::Console::MapLayering
