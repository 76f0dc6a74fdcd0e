// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

struct nl_sock;

namespace StreamSwarm::Agent::Nl80211 {

// A generic-netlink socket to the kernel's nl80211 family (through libnl-genl), which asks for one
// dump at a time and hands back the raw replies for the parser. nl80211 answers these queries at
// once from kernel memory; a receive timeout still bounds each wait, so a silent kernel costs at most
// REPLY_TIMEOUT_MS and never stalls the caller's event loop for long. Lives on the caller's thread.
class Socket
{
    Q_DISABLE_COPY_MOVE(Socket)
public:
    static constexpr int REPLY_TIMEOUT_MS = 250;
    static constexpr qsizetype MAX_REPLY_BYTES = 4 * 1024 * 1024; // a dense scan list is ~100 kB

    // captureFolder: where each dump's replies are written as COMMAND.hex (the latest of each kind,
    // in the fixtures' format, nl80211capture.h); empty: nowhere.
    explicit Socket(QString captureFolder = QString());
    ~Socket();

    // Connects and resolves the nl80211 family; false and why in plain words when there is none.
    bool open(QString *unavailable);
    bool isOpen() const { return m_socket != nullptr; }
    void close();

    // Sends an NLM_F_DUMP request of command (NL80211_CMD_GET_*), for ifindex when it is not 0, and
    // returns the replies as received up to the dump's end; nullopt and why when they did not come
    // (the socket is closed then, so that late replies cannot mix with the next request's).
    std::optional<QByteArray> dump(int command, int ifindex, QString *error);

private:
    void capture(int command, const QByteArray &replies) const;

    QString m_captureFolder;
    nl_sock *m_socket = nullptr;
    int m_family = 0;
};

} // namespace StreamSwarm::Agent::Nl80211
