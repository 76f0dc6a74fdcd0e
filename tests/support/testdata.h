// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>
#include <QTest>

namespace StreamSwarm::Test {

// A folder or file of the source tree's tests/ ("fixtures/system", "data/nl80211"): below
// STREAMSWARM_SOURCE_DIR when ctest runs the test, else found beside the sources (header only, so a
// test needs no library for it).
inline QString testsPath(const QString &relative)
{
    const QString sourceDir = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    if (!sourceDir.isEmpty())
        return sourceDir + u"/tests/" + relative;
    return QTest::qFindTestData(u"../" + relative, __FILE__, __LINE__);
}

} // namespace StreamSwarm::Test
