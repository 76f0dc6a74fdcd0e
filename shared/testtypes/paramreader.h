// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QString>

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

// Reading a test's parameters by their descriptors, for the typed parsers of each test type: the
// range and the wording of every message come from one place. A parameter that is absent leaves
// *value as it was (the default). Each returns false with a sentence that names the parameter, the
// bad value and what would be right.
namespace StreamSwarm::TestTypes {

// Every key of the spec must be one of the type's parameters.
bool checkKnownParams(const TestType &type, const Protocol::TestSpec &spec, QString *error);

// maximum < 0: the descriptor's maximum; otherwise a tighter one that depends on other parameters.
bool readInteger(const TestType &type, const Protocol::TestSpec &spec, QStringView key, int *value, QString *error,
    int maximum = -1);
bool readDuration(const TestType &type, const Protocol::TestSpec &spec, QStringView key, qint64 *ms, QString *error);
bool readSwitch(const TestType &type, const Protocol::TestSpec &spec, QStringView key, bool *value, QString *error);
// Bytes, from minimum to maximum.
bool readSize(const TestType &type, const Protocol::TestSpec &spec, QStringView key, qint64 *bytes, QString *error);
// A DSCP class by name (EF, AF41, CS1, BE) or number (0 to 63); an absent parameter leaves it alone.
bool readDscp(const TestType &type, const Protocol::TestSpec &spec, QStringView key, int *codePoint, QString *error);
// Bits per second, from minimum to maximum.
bool readBitrate(
    const TestType &type, const Protocol::TestSpec &spec, QStringView key, qint64 *bitsPerSecond, QString *error);
// *value is the choice as given; an absent parameter leaves it alone.
bool readChoice(const TestType &type, const Protocol::TestSpec &spec, QStringView key, QString *value, QString *error);

// Interface: a network interface name as Linux allows one (Validation::isInterfaceName()). Whether the
// host has it is the agent's to say.
bool readInterface(
    const TestType &type, const Protocol::TestSpec &spec, QStringView key, QString *value, QString *error);
// Text: at most the descriptor's maximum characters, no control characters.
bool readText(const TestType &type, const Protocol::TestSpec &spec, QStringView key, QString *value, QString *error);
// File: an absolute path of at most the descriptor's maximum characters. Whether the file exists is
// the agent's to say: it may be there and not here.
bool readFile(const TestType &type, const Protocol::TestSpec &spec, QStringView key, QString *value, QString *error);
// A host-and-port target (Validation::splitHostPort) whose port may also come as the parameter "port":
// given in both places, they must agree. defaultPort 0: one of them must give it.
bool readTargetPort(const TestType &type, const Protocol::TestSpec &spec, quint16 defaultPort, QString *host,
    quint16 *port, QString *error);
// The parameter "timeout" of a type whose round waits for one answer: by default the interval, at most
// longestDefaultMs; never longer than the interval.
bool readTimeout(
    const TestType &type, const Protocol::TestSpec &spec, qint64 longestDefaultMs, qint64 *ms, QString *error);
bool fail(QString *error, const QString &why);

} // namespace StreamSwarm::TestTypes
