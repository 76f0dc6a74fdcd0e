// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "linuxwirelessreader.h"

#include <cerrno>

#include <linux/nl80211.h>

#include <QCoreApplication>
#include <QStringList>

#include "agent/platform/linux/wireless/nl80211link.h"
#include "agent/platform/linux/wireless/nl80211parser.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// The context this file's messages are translated in (shared by the wireless collector's files).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::WirelessText)
};

bool isStationType(quint32 type)
{
    return type == NL80211_IFTYPE_STATION || type == NL80211_IFTYPE_P2P_CLIENT;
}

} // namespace

LinuxWirelessReader::LinuxWirelessReader(const QString &captureFolder)
    : m_socket(captureFolder)
{ }

LinuxWirelessReader::~LinuxWirelessReader() = default;

WirelessReading LinuxWirelessReader::readLink(const QString &interfaceName)
{
    WirelessReading reading;
    if (!m_socket.isOpen() && !m_socket.open(&reading.unavailable))
        return reading;
    QString error;
    const auto interfaceReplies = m_socket.dump(NL80211_CMD_GET_INTERFACE, 0, &error);
    if (!interfaceReplies) {
        reading.unavailable = Tr::tr("Wi-Fi information could not be read: %1.").arg(error);
        return reading;
    }
    const Nl80211::Dump<Nl80211::Interface> interfaceDump = Nl80211::parseInterfaces(*interfaceReplies);
    if (interfaceDump.end.error == -EPERM || interfaceDump.end.error == -EACCES) {
        reading.unavailable
            = Tr::tr("Wi-Fi information is not available: the agent may not read it (permission denied).");
        return reading;
    }
    const QList<Nl80211::Interface> interfaces = Nl80211::networkInterfaces(interfaceDump);
    if (interfaces.isEmpty()) {
        reading.unavailable = Tr::tr("Wi-Fi is not available: this host has no Wi-Fi interface.");
        return reading;
    }

    // The named interface; else the first station interface with an access point; else the first one.
    struct Candidate
    {
        Nl80211::Interface interface;
        Nl80211::Dump<Nl80211::Station> stations;
    };
    std::optional<Candidate> chosen;
    QStringList names;
    for (const Nl80211::Interface &interface : interfaces) {
        names.append(interface.name);
        if (!interfaceName.isEmpty() && interface.name != interfaceName)
            continue;
        Candidate candidate{interface, {}};
        if (const auto replies = m_socket.dump(NL80211_CMD_GET_STATION, interface.ifindex, &error))
            candidate.stations = Nl80211::parseStations(*replies);
        const bool connected = isStationType(interface.type) && !candidate.stations.entries.isEmpty();
        if (!chosen || connected)
            chosen = candidate;
        if (connected || !interfaceName.isEmpty())
            break;
    }
    if (!chosen) {
        reading.unavailable = Tr::tr("There is no Wi-Fi interface named %1 on this host (it has: %2).")
                                  .arg(interfaceName, names.join(u", "_s));
        return reading;
    }
    Nl80211::Dump<Nl80211::Bss> scan;
    if (const auto replies = m_socket.dump(NL80211_CMD_GET_SCAN, chosen->interface.ifindex, &error))
        scan = Nl80211::parseScan(*replies);
    Nl80211::Dump<Nl80211::Survey> survey;
    if (const auto replies = m_socket.dump(NL80211_CMD_GET_SURVEY, chosen->interface.ifindex, &error))
        survey = Nl80211::parseSurvey(*replies);
    reading.link = Nl80211::assembleLink(chosen->interface, chosen->stations, scan, survey);
    if (const auto signal = Nl80211::signalOf(chosen->stations))
        reading.signal = *signal;
    return reading;
}

std::optional<WirelessSignal> LinuxWirelessReader::readSignal(int ifindex)
{
    QString error;
    if (!m_socket.isOpen() && !m_socket.open(&error))
        return std::nullopt;
    const auto replies = m_socket.dump(NL80211_CMD_GET_STATION, ifindex, &error);
    if (!replies)
        return std::nullopt;
    return Nl80211::signalOf(Nl80211::parseStations(*replies));
}

std::unique_ptr<WirelessReader> createWirelessReader(const QString &captureFolder)
{
    return std::make_unique<LinuxWirelessReader>(captureFolder);
}

} // namespace StreamSwarm::Agent
