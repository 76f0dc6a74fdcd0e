// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

class QWidget;

namespace StreamSwarm::Console {

class ConsoleService;

// Agents > Console certificate: the fingerprint agents pin, with a Copy button, or the warning that
// the console runs without TLS. Opened, not exec()'d, and deletes itself when closed.
void showCertificateBox(ConsoleService *service, QWidget *parent);

} // namespace StreamSwarm::Console
