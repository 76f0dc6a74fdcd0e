// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "maplayering.h"

#include <algorithm>
#include <limits>

#include <QMap>

namespace StreamSwarm::Console::MapLayering {

namespace {

constexpr double NO_WISH = std::numeric_limits<double>::max(); // nothing links into it from the left: last

} // namespace

QHash<QString, QPointF> places(const QList<Thing> &things, const QList<Line> &lines, const Spacing &spacing)
{
    QMap<int, QList<const Thing *>> columns;
    QHash<QString, int> columnOf;
    for (const Thing &thing : things) {
        columns[thing.column].append(&thing);
        columnOf.insert(thing.key, thing.column);
    }
    QHash<QString, QList<QString>> before; // thing -> the things linked into it
    QHash<int, double> roomBefore; // column -> room on its left
    for (const Line &line : lines) {
        before[line.to].append(line.from);
        const int to = columnOf.value(line.to);
        if (to > columnOf.value(line.from)) {
            double &room = roomBefore[to];
            room = std::max({room, spacing.columnRoom, line.labelWidth + 2 * spacing.labelClearance});
        }
    }

    QHash<QString, QPointF> placed;
    double x = spacing.topLeft.x();
    double previousHalf = 0;
    bool first = true;
    for (auto col = columns.begin(); col != columns.end(); ++col) {
        QList<const Thing *> &column = col.value();
        double half = 0;
        for (const Thing *thing : std::as_const(column))
            half = std::max(half, thing->halfWidth);
        x += first ? half : previousHalf + roomBefore.value(col.key(), spacing.columnRoom) + half;
        previousHalf = half;
        // The first column by name; the others level with the mean of what links into them.
        QHash<const Thing *, double> wish;
        for (const Thing *thing : std::as_const(column)) {
            double sum = 0;
            int count = 0;
            for (const QString &from : before.value(thing->key)) {
                if (const auto at = placed.constFind(from); at != placed.cend() && columnOf.value(from) < col.key()) {
                    sum += at->y();
                    ++count;
                }
            }
            wish.insert(thing, !first && count ? sum / double(count) : NO_WISH);
        }
        std::sort(column.begin(), column.end(), [&](const Thing *a, const Thing *b) {
            const double wa = wish.value(a);
            const double wb = wish.value(b);
            return wa != wb ? wa < wb : a->name.compare(b->name, Qt::CaseInsensitive) < 0;
        });
        QList<double> rows;
        double offSum = 0;
        int wishes = 0;
        for (const Thing *thing : std::as_const(column)) {
            const double w = wish.value(thing);
            double row = w == NO_WISH ? (rows.isEmpty() ? 0 : rows.constLast() + spacing.rowSpacing) : w;
            if (!rows.isEmpty())
                row = std::max(row, rows.constLast() + spacing.rowSpacing);
            rows.append(row);
            if (w != NO_WISH) {
                offSum += w - row;
                ++wishes;
            }
        }
        const double shift = wishes ? offSum / double(wishes) : 0; // the column as a whole where it is wished
        for (qsizetype i = 0; i < column.size(); ++i)
            placed.insert(column.at(i)->key, {x, rows.at(i) + shift});
        first = false;
    }
    // Down (or up) so that the top row's top is at the top left corner.
    double top = std::numeric_limits<double>::max();
    for (const Thing &thing : things)
        top = std::min(top, placed.value(thing.key).y() - thing.above);
    if (top != std::numeric_limits<double>::max()) {
        for (QPointF &place : placed)
            place.ry() += spacing.topLeft.y() - top;
    }
    return placed;
}

} // namespace StreamSwarm::Console::MapLayering
