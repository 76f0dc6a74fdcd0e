// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "messages.h"

namespace StreamSwarm::Protocol {

bool TestSpec::operator==(const TestSpec &other) const
{
    // remainingMs is a snapshot, not part of what the test is.
    return id == other.id && name == other.name && type == other.type && target == other.target
        && intervalMs == other.intervalMs && durationMs == other.durationMs && params == other.params;
}

MessageType Message::type() const
{
    return static_cast<MessageType>(payload.index() + 1);
}

QString messageTypeName(MessageType type)
{
    switch (type) {
    case MessageType::Hello:
        return QStringLiteral("hello");
    case MessageType::Welcome:
        return QStringLiteral("welcome");
    case MessageType::Assign:
        return QStringLiteral("assign");
    case MessageType::Results:
        return QStringLiteral("results");
    case MessageType::Ack:
        return QStringLiteral("ack");
    case MessageType::Event:
        return QStringLiteral("event");
    case MessageType::Ping:
        return QStringLiteral("ping");
    case MessageType::Pong:
        return QStringLiteral("pong");
    case MessageType::Rekey:
        return QStringLiteral("rekey");
    case MessageType::Rekeyed:
        return QStringLiteral("rekeyed");
    case MessageType::BulkRequest:
        return QStringLiteral("bulk-request");
    case MessageType::BulkGrant:
        return QStringLiteral("bulk-grant");
    case MessageType::BulkRelease:
        return QStringLiteral("bulk-release");
    case MessageType::Serve:
        return QStringLiteral("serve");
    case MessageType::Serving:
        return QStringLiteral("serving");
    case MessageType::ServeStop:
        return QStringLiteral("serve-stop");
    }
    return QString();
}

} // namespace StreamSwarm::Protocol
