// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace StreamSwarm {

// Certificate fingerprints as people read and paste them: "sha256:ab:cd:...:ef" (32 bytes).
QString formatFingerprint(const QByteArray &sha256);

// Accepts the formatted form, plain hex, upper or lower case, with or without "sha256:" and
// colons or spaces; nullopt when it is not 32 bytes of hex.
std::optional<QByteArray> parseFingerprint(QStringView text);

} // namespace StreamSwarm
