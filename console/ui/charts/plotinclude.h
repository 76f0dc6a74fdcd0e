// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

// qcustomplot.h spells Qt's keyword macros (signals, foreach), which this project switches off
// (QT_NO_KEYWORDS, QT_NO_FOREACH); they are mapped for this one include only. Include QCustomPlot
// through this header.
#define signals Q_SIGNALS
#define foreach(variable, container) for (variable : container) // NOLINT(bugprone-macro-parentheses)
#include <qcustomplot.h>
#undef foreach
#undef signals
