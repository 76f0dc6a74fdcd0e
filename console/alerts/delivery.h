// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>

#include <QCoreApplication>
#include <QString>

#include "console/alerts/alertmessage.h"
#include "console/alerts/notifytarget.h"

class QUrl;

namespace StreamSwarm::Console {

// How one delivery attempt went. why is plain words for the event log and the window: it names the
// host, address or program, never a password or a webhook's secret path.
struct DeliveryOutcome
{
    bool delivered = false;
    bool retryable = false; // the same message may get through later (busy, unreachable, 5xx, 4xx mail)
    QString why; // empty when delivered
};

// The console's mail server. server is smtp://HOST:PORT (STARTTLS, required unless requireTls is off)
// or smtps://HOST:PORT (TLS from the start); AUTH when user is set.
struct SmtpSettings
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::SmtpSettings)
public:
    QString server;
    QString from;
    QString user;
    QString password;
    QString caFile; // empty: the system's authorities
    bool requireTls = true;

    // False and one sentence saying what to set (never the password).
    bool check(QString *error) const;
};

struct DeliverySettings
{
    SmtpSettings smtp;
    QString webhookCaFile; // empty: the system's authorities
    int connectTimeoutMs = 5000;
    int webhookTimeoutMs = 15000;
    int emailTimeoutMs = 30000;
    int commandTimeoutMs = 30000; // then the command, and what it started, are killed
};

// The senders: each blocks until its attempt is over, bounded by the settings' timeouts, so they run
// on the notifier's worker thread (or any thread but one whose event loop the receiver needs). A set
// stop flag cuts an attempt short (retryable). Desktop targets are not delivered here.
class Delivery
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Delivery)
public:
    static constexpr int MAX_STDERR = 4096; // bytes of a command's stderr kept for the reason
    static constexpr int MAX_REPLY = 512; // bytes of a webhook's answer kept for the reason

    using StopFlag = std::atomic<bool>;

    static DeliveryOutcome deliver(const NotifyTarget &target, const AlertMessage &message,
        const DeliverySettings &settings, const StopFlag *stop = nullptr);

    // POST of the JSON body: 2xx delivered; 408, 429, 5xx and network trouble retryable; no redirects.
    static DeliveryOutcome postWebhook(
        const QUrl &url, const QByteArray &json, const DeliverySettings &settings, const StopFlag *stop = nullptr);
    static DeliveryOutcome sendEmail(const QString &to, const AlertMessage &message, const DeliverySettings &settings,
        const StopFlag *stop = nullptr);
    // Runs path (no shell) with json on stdin; exit 0 delivered, another exit or a timeout retryable,
    // a missing or non-executable program final.
    static DeliveryOutcome runCommand(
        const QString &path, const QByteArray &json, const DeliverySettings &settings, const StopFlag *stop = nullptr);

    // The RFC 5322 message sendEmail() uploads: CRLF line ends, the subject RFC 2047 encoded when not
    // ASCII, the body quoted-printable when not ASCII or a line is too long for 7bit.
    static QByteArray emailText(const QString &from, const QString &to, const AlertMessage &message);
    // "Name: value", the value in RFC 2047 encoded words on folded lines when it is not ASCII.
    static QByteArray headerField(const QByteArray &name, const QString &value);
};

} // namespace StreamSwarm::Console
