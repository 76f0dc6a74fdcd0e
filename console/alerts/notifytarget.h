// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>

namespace StreamSwarm::Console {

// Where one alert notification goes, as --notify takes it: webhook:URL (http or https), email:ADDRESS,
// command:PATH (absolute; run with the payload on stdin) or desktop (the console window's tray). Parsing
// checks the form only: whether the host answers or the program exists is found out at delivery.
// A value; any thread.
struct NotifyTarget
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::NotifyTarget)
public:
    static constexpr int MAX_LENGTH = 2048; // the whole text, "webhook:" included

    enum class Kind { Webhook, Email, Command, Desktop };

    Kind kind = Kind::Desktop;
    QString target; // the URL, address or path; empty for Desktop

    static std::optional<NotifyTarget> parse(const QString &text, QString *error);
    QString toString() const; // what parse() reads back: "webhook:https://hooks.example.net/x"
    // For logs and messages: a webhook's URL without user, password, path or query (they may hold
    // secrets, as Slack's and Teams' do), e.g. "webhook:https://hooks.example.net/…".
    QString displayText() const;
    static QString kindKey(Kind kind); // "webhook", "email", "command", "desktop"
    // A URL as typed, without the user and password before its host ("https://u:p@h/x" -> "https://h/x"),
    // for echoing text that may not even parse.
    static QString withoutLogin(const QString &url);

    // local@domain: ASCII local part without spaces, commas, quotes or brackets; a domain of letters,
    // digits and hyphens between dots. What the mail settings' sender address is held to as well.
    static bool isEmailAddress(const QString &address);

    friend bool operator==(const NotifyTarget &a, const NotifyTarget &b)
    {
        return a.kind == b.kind && a.target == b.target;
    }
    friend bool operator!=(const NotifyTarget &a, const NotifyTarget &b) { return !(a == b); }
};

} // namespace StreamSwarm::Console
