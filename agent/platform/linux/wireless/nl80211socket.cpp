// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "nl80211socket.h"

#include <cstdlib>

#include <linux/nl80211.h>
#include <sys/socket.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QSaveFile>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "agent/platform/linux/wireless/nl80211capture.h"
#include "agent/platform/linux/wireless/nl80211parser.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent::Nl80211 {

namespace {

const char *commandName(int command)
{
    switch (command) {
    case NL80211_CMD_GET_INTERFACE:
        return "get_interface";
    case NL80211_CMD_GET_STATION:
        return "get_station";
    case NL80211_CMD_GET_SCAN:
        return "get_scan";
    case NL80211_CMD_GET_SURVEY:
        return "get_survey";
    default:
        return "other";
    }
}

// The context this file's messages are translated in (shared by the wireless collector's files).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::WirelessText)
};

QString libnlError(int code)
{
    return QString::fromLocal8Bit(nl_geterror(code));
}

} // namespace

Socket::Socket(QString captureFolder)
    : m_captureFolder(std::move(captureFolder))
{ }

Socket::~Socket()
{
    close();
}

bool Socket::open(QString *unavailable)
{
    close();
    m_socket = nl_socket_alloc();
    if (!m_socket) {
        *unavailable = Tr::tr("Wi-Fi information cannot be read: out of memory.");
        return false;
    }
    nl_socket_disable_auto_ack(m_socket); // a dump ends with NLMSG_DONE; an ACK after it would be left over
    if (const int status = genl_connect(m_socket); status < 0) {
        *unavailable = status == -NLE_PERM
            ? Tr::tr("Wi-Fi information is not available: the agent may not open a netlink socket (permission denied).")
            : Tr::tr("Wi-Fi information is not available: no netlink socket (%1).").arg(libnlError(status));
        close();
        return false;
    }
    const timeval timeout{0, REPLY_TIMEOUT_MS * 1000};
    setsockopt(nl_socket_get_fd(m_socket), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    m_family = genl_ctrl_resolve(m_socket, NL80211_GENL_NAME);
    if (m_family < 0) {
        // The family exists once a Wi-Fi driver (cfg80211) is loaded.
        *unavailable = m_family == -NLE_OBJ_NOTFOUND
            ? Tr::tr("Wi-Fi is not available: this host has no Wi-Fi driver loaded (the kernel offers no nl80211).")
            : Tr::tr("Wi-Fi is not available: the kernel's nl80211 could not be found (%1).").arg(libnlError(m_family));
        close();
        return false;
    }
    return true;
}

void Socket::close()
{
    if (m_socket)
        nl_socket_free(m_socket);
    m_socket = nullptr;
    m_family = 0;
}

std::optional<QByteArray> Socket::dump(int command, int ifindex, QString *error)
{
    if (!m_socket) {
        *error = Tr::tr("the netlink socket is not open");
        return std::nullopt;
    }
    nl_msg *request = nlmsg_alloc();
    if (!request || !genlmsg_put(request, NL_AUTO_PORT, NL_AUTO_SEQ, m_family, 0, NLM_F_DUMP, quint8(command), 0)
        || (ifindex > 0 && nla_put_u32(request, NL80211_ATTR_IFINDEX, quint32(ifindex)) < 0)) {
        nlmsg_free(request);
        *error = Tr::tr("out of memory");
        return std::nullopt;
    }
    const int sent = nl_send_auto(m_socket, request);
    nlmsg_free(request);
    if (sent < 0) {
        *error = libnlError(sent);
        close();
        return std::nullopt;
    }
    QByteArray replies;
    const QDeadlineTimer deadline(REPLY_TIMEOUT_MS * 4);
    while (!deadline.hasExpired()) {
        unsigned char *buffer = nullptr;
        sockaddr_nl peer{};
        const int received = nl_recv(m_socket, &peer, &buffer, nullptr);
        if (received <= 0) {
            std::free(buffer);
            *error = received == 0 || received == -NLE_AGAIN ? Tr::tr("the kernel did not answer in time")
                                                             : libnlError(received);
            close();
            return std::nullopt;
        }
        // A datagram holds whole messages: only the new one needs a look for the dump's end.
        const DumpEnd end = dumpEnd(QByteArrayView(reinterpret_cast<const char *>(buffer), received));
        replies.append(reinterpret_cast<const char *>(buffer), received);
        std::free(buffer);
        if (end.done || end.damaged || replies.size() > MAX_REPLY_BYTES) {
            capture(command, replies);
            return replies; // the parser says what a damaged or cut reply still holds
        }
    }
    *error = Tr::tr("the kernel's answer did not end in time");
    close();
    return std::nullopt;
}

void Socket::capture(int command, const QByteArray &replies) const
{
    if (m_captureFolder.isEmpty())
        return;
    QDir().mkpath(m_captureFolder);
    QSaveFile file(QDir(m_captureFolder).filePath(QString::fromLatin1(commandName(command)) + u".hex"_s));
    if (!file.open(QIODevice::WriteOnly))
        return;
    const QString comment = u"nl80211 %1 dump replies, as received by streamswarm-agent at %2"_s.arg(
        QString::fromLatin1(commandName(command)), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    file.write(toHexCapture(replies, comment));
    file.commit();
}

} // namespace StreamSwarm::Agent::Nl80211
