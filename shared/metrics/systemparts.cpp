// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "systemparts.h"

namespace StreamSwarm {

SystemParts systemPartOf(QStringView sampleName)
{
    const QStringView prefix = sampleName.left(sampleName.indexOf(u'.'));
    if (prefix == u"cpu")
        return SystemPart::Cpu;
    if (prefix == u"mem" || prefix == u"swap")
        return SystemPart::Memory;
    if (prefix == u"proc" || prefix == u"host")
        return SystemPart::Processes;
    if (prefix == u"disk")
        return SystemPart::Disks;
    if (prefix == u"fs")
        return SystemPart::Filesystems;
    if (prefix == u"if")
        return SystemPart::Interfaces;
    if (prefix == u"net")
        return SystemPart::Network;
    return {};
}

} // namespace StreamSwarm
