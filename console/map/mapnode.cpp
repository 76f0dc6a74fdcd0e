// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mapnode.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

QString MapNode::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Agent:
        return u"agent"_s;
    case Kind::Target:
        return u"target"_s;
    case Kind::Hop:
        return u"hop"_s;
    }
    return u"target"_s;
}

bool MapNode::kindFromKey(const QString &key, Kind *kind)
{
    for (Kind candidate : {Kind::Agent, Kind::Target, Kind::Hop}) {
        if (kindKey(candidate) == key) {
            *kind = candidate;
            return true;
        }
    }
    return false;
}

} // namespace StreamSwarm::Console
