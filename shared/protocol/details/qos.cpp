// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "qos.h"

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

template <typename T>
QCborValue optionalValue(const std::optional<T> &value)
{
    return value ? QCborValue(*value) : QCborValue(); // undefined, as the first agents sent it
}

QCborMap encodeClass(const QosClassDetail &c)
{
    QCborMap map{{u"class"_s, c.className}, {u"dscp"_s, c.dscp}, {u"sent"_s, c.sent}, {u"received"_s, c.received}};
    const std::pair<QString, const std::optional<qint64> &> directions[]{{u"lostThere"_s, c.lostThere},
        {u"lostBack"_s, c.lostBack}, {u"reorderedThere"_s, c.reorderedThere}, {u"reorderedBack"_s, c.reorderedBack},
        {u"duplicatesThere"_s, c.duplicatesThere}, {u"duplicatesBack"_s, c.duplicatesBack}};
    for (const auto &[key, value] : directions) {
        if (value)
            map.insert(key, *value);
    }
    // Present even when nothing came back (undefined then), as agents have always sent them.
    map.insert(u"jitterThereMs"_s, optionalValue(c.jitterThereMs));
    map.insert(u"jitterBackMs"_s, optionalValue(c.jitterBackMs));
    map.insert(u"markingKeptThere"_s, optionalValue(c.markingKeptThere));
    map.insert(u"markingKeptBack"_s, optionalValue(c.markingKeptBack));
    map.insert(u"clocksSynchronised"_s, optionalValue(c.clocksSynchronised));
    if (c.oneWayDelaysLeftOut)
        map.insert(u"oneWayDelaysLeftOut"_s, *c.oneWayDelaysLeftOut);
    return map;
}

QosClassDetail readClass(const QCborMap &c, FieldReader &reader)
{
    QosClassDetail out;
    out.className = reader.text(c, u"class"_s, Validation::MAX_NAME_LENGTH);
    out.dscp = int(reader.count(c, u"dscp"_s, 0, 63));
    out.sent = reader.count(c, u"sent"_s, 0, MAX_DETAIL_COUNT);
    out.received = reader.count(c, u"received"_s, 0, MAX_DETAIL_COUNT);
    for (auto [key, value] : {std::pair{u"lostThere"_s, &out.lostThere}, std::pair{u"lostBack"_s, &out.lostBack},
             std::pair{u"reorderedThere"_s, &out.reorderedThere}, std::pair{u"reorderedBack"_s, &out.reorderedBack},
             std::pair{u"duplicatesThere"_s, &out.duplicatesThere},
             std::pair{u"duplicatesBack"_s, &out.duplicatesBack}}) {
        if (c.contains(key))
            *value = reader.count(c, key, 0, MAX_DETAIL_COUNT);
    }
    out.jitterThereMs = reader.optionalNumber(c, u"jitterThereMs"_s, 0, MAX_DETAIL_MS);
    out.jitterBackMs = reader.optionalNumber(c, u"jitterBackMs"_s, 0, MAX_DETAIL_MS);
    out.markingKeptThere = reader.optionalBoolean(c, u"markingKeptThere"_s);
    out.markingKeptBack = reader.optionalBoolean(c, u"markingKeptBack"_s);
    out.clocksSynchronised = reader.optionalBoolean(c, u"clocksSynchronised"_s);
    if (c.contains(u"oneWayDelaysLeftOut"_s))
        out.oneWayDelaysLeftOut = reader.text(c, u"oneWayDelaysLeftOut"_s, MAX_MESSAGE_TEXT_LENGTH);
    return out;
}

} // namespace

void QosDetail::writeTo(QCborMap &map) const
{
    QCborArray encodedClasses;
    for (const QosClassDetail &c : classes)
        encodedClasses.append(encodeClass(c));
    map.insert(u"classes"_s, encodedClasses);
    map.insert(u"duplicates"_s, duplicates);
    if (timestamps)
        map.insert(u"timestamps"_s, encodeTally(*timestamps));
    if (clock)
        map.insert(u"clock"_s, encodeClock(*clock));
}

QosDetail QosDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    QosDetail detail;
    const QCborArray encodedClasses = reader.array(map, u"classes"_s, MAX_QOS_CLASSES);
    for (qsizetype i = 0; i < encodedClasses.size() && reader.ok(); ++i) {
        reader.setContext(u"qos detail, class %1: "_s.arg(i + 1));
        if (!encodedClasses.at(i).isMap())
            return reader.fail(u"each class must be a map"_s), detail;
        detail.classes.append(readClass(encodedClasses.at(i).toMap(), reader));
    }
    reader.setContext(u"qos detail: "_s);
    detail.duplicates = reader.count(map, u"duplicates"_s, 0, MAX_DETAIL_COUNT);
    detail.timestamps = readOptionalTally(map, reader);
    detail.clock = readOptionalClock(map, reader);
    return detail;
}

} // namespace StreamSwarm::Protocol
