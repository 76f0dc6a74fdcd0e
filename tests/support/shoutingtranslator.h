// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QTranslator>

namespace StreamSwarm::Test {

// A translation into "shouting": every event sentence in capitals, its placeholders kept, so a test
// sees where translated text ends up.
class ShoutingTranslator final : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        if (qstrcmp(context, "StreamSwarm::Protocol::EventText") != 0)
            return QString();
        return QString::fromUtf8(sourceText).toUpper();
    }
    bool isEmpty() const override { return false; }
};

} // namespace StreamSwarm::Test
