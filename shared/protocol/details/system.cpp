// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "system.h"

#include <QCborArray>

#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

void SystemDetail::writeTo(QCborMap &map) const
{
    if (!kernel.isEmpty())
        map.insert(u"kernel"_s, kernel);
    QCborArray sources;
    for (const UnavailableSource &source : unavailable)
        sources.append(QCborMap{{u"what"_s, source.what}, {u"why"_s, source.why}});
    map.insert(u"unavailable"_s, sources);
}

SystemDetail SystemDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    SystemDetail detail;
    detail.kernel = reader.text(map, u"kernel"_s, MAX_UNAVAILABLE_TEXT, false);
    const QCborArray sources = reader.array(map, u"unavailable"_s, MAX_UNAVAILABLE_SOURCES);
    for (qsizetype i = 0; i < sources.size() && reader.ok(); ++i) {
        if (!sources.at(i).isMap()) {
            reader.fail(u"each unavailable source must be a map"_s);
            break;
        }
        const QCborMap source = sources.at(i).toMap();
        UnavailableSource entry;
        entry.what = reader.text(source, u"what"_s, MAX_UNAVAILABLE_TEXT);
        entry.why = reader.text(source, u"why"_s, MAX_UNAVAILABLE_TEXT);
        detail.unavailable.append(entry);
    }
    return detail;
}

} // namespace StreamSwarm::Protocol
