// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "logging.h"

namespace StreamSwarm {

Q_LOGGING_CATEGORY(lcProtocol, "streamswarm.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "streamswarm.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "streamswarm.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAgent, "streamswarm.agent", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProbe, "streamswarm.probe", QtInfoMsg)

void installMessagePattern()
{
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                                      "%{if-warning}warning%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif}"
                                      " %{category}: %{message}"));
}

} // namespace StreamSwarm
