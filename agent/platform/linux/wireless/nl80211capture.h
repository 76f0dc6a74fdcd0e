// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace StreamSwarm::Agent::Nl80211 {

// The repo's text form of recorded netlink replies (tests/fixtures/nl80211/*.hex): '#' starts a
// comment line, every other line is one netlink message in hex. Written by the agent when
// STREAMSWARM_NL80211_CAPTURE names a folder, read by the parser's tests. Plain functions, any thread.

// The replies as text, one message a line, under a comment line per line of `comment`.
QByteArray toHexCapture(QByteArrayView replies, const QString &comment);
// The bytes of a capture: its hex digits, comments and white space left out.
QByteArray fromHexCapture(QByteArrayView text);

} // namespace StreamSwarm::Agent::Nl80211
