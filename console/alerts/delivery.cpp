// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "delivery.h"

#include <algorithm>

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QUrl>

#include <curl/curl.h>

#ifdef Q_OS_UNIX
#include <csignal>

#include <unistd.h>
#endif

#include "console/alerts/curleasy.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MAX_REASON_EXCERPT = 300; // characters of what a receiver said, in a reason
constexpr int START_TIMEOUT_MS = 5000;
constexpr int POLL_MS = 100; // a command's stderr is read, and the stop flag looked at, this often

size_t keepReply(char *data, size_t size, size_t count, void *user)
{
    auto *reply = static_cast<QByteArray *>(user);
    const qsizetype bytes = qsizetype(size) * qsizetype(count);
    if (reply->size() < Delivery::MAX_REPLY)
        reply->append(data, std::min(bytes, Delivery::MAX_REPLY - reply->size()));
    return size * count;
}

// What a program or a receiver said, fit for one line of a reason.
QString excerpt(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes).simplified();
    return text.size() <= MAX_REASON_EXCERPT ? text : text.left(MAX_REASON_EXCERPT - 1) + u'…';
}

QString statusWithExcerpt(long status, const QByteArray &reply)
{
    const QString said = excerpt(reply);
    return said.isEmpty() ? QString::number(status) : u"%1 (\"%2\")"_s.arg(status).arg(said);
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0);
}

void keepAtMost(QByteArray &kept, const QByteArray &more, qsizetype limit)
{
    if (kept.size() < limit)
        kept.append(more.left(limit - kept.size()));
}

} // namespace

DeliveryOutcome Delivery::deliver(
    const NotifyTarget &target, const AlertMessage &message, const DeliverySettings &settings, const StopFlag *stop)
{
    switch (target.kind) {
    case NotifyTarget::Kind::Webhook:
        return postWebhook(
            QUrl(target.target), QJsonDocument(message.toJson()).toJson(QJsonDocument::Compact), settings, stop);
    case NotifyTarget::Kind::Email:
        return sendEmail(target.target, message, settings, stop);
    case NotifyTarget::Kind::Command:
        return runCommand(
            target.target, QJsonDocument(message.toJson()).toJson(QJsonDocument::Indented), settings, stop);
    case NotifyTarget::Kind::Desktop:
        break;
    }
    return {false, false, tr("Desktop notifications are shown by the console window, not sent.")};
}

DeliveryOutcome Delivery::postWebhook(
    const QUrl &url, const QByteArray &json, const DeliverySettings &settings, const StopFlag *stop)
{
    const QString where = CurlEasy::safeUrl(url);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || !QStringList{u"http"_s, u"https"_s}.contains(scheme))
        return {false, false, tr("The webhook URL %1 is not an http or https URL with a host.").arg(where)};

    CurlEasy curl(stop);
    if (!curl.isValid())
        return {false, true, tr("Could not prepare the request to the webhook at %1 (out of memory?).").arg(where)};
    CURL *easy = curl.handle();
    const QByteArray encoded = url.toEncoded();
    QByteArray reply;
    curl_easy_setopt(easy, CURLOPT_URL, encoded.constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L); // a POST is not resent elsewhere: a 3xx is final
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, json.constData());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(json.size()));
    curl.addHeader("Content-Type: application/json");
    curl.addHeader("Expect:"); // no 100-continue round trip (curl waits up to a second for it)
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, keepReply);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
    curl.setTimeouts(settings.connectTimeoutMs, settings.webhookTimeoutMs);
    curl.setCaFile(settings.webhookCaFile);

    const CURLcode result = curl.perform();
    if (result != CURLE_OK) {
        switch (result) {
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return {false, false, tr("The webhook URL %1 cannot be used: %2.").arg(where, curl.error(result))};
        case CURLE_PEER_FAILED_VERIFICATION:
            return {false, false,
                tr("The webhook at %1 has a certificate this console does not trust (%2): give the right URL, or "
                   "install its authority's certificate on this host.")
                    .arg(where, curl.error(result))};
        case CURLE_SSL_CACERT_BADFILE:
            return {false, false,
                tr("The certificate authority file %1 cannot be read: %2.")
                    .arg(settings.webhookCaFile, curl.error(result))};
        case CURLE_OPERATION_TIMEDOUT:
            return {false, true,
                tr("The webhook at %1 did not answer within %2 s.").arg(where, seconds(settings.webhookTimeoutMs))};
        case CURLE_ABORTED_BY_CALLBACK:
            return {false, true,
                tr("The request to the webhook at %1 was stopped: the console is shutting down.").arg(where)};
        default:
            return {false, true, tr("Could not reach the webhook at %1: %2.").arg(where, curl.error(result))};
        }
    }
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
        return {true, false, QString()};
    if (status == 408 || status == 429 || status >= 500)
        return {false, true, tr("The webhook at %1 answered HTTP %2.").arg(where, statusWithExcerpt(status, reply))};
    if (status >= 300 && status < 400) {
        char *location = nullptr;
        curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
        const QString to = location ? CurlEasy::safeUrl(QUrl(QString::fromUtf8(location))) : tr("another address");
        return {false, false,
            tr("The webhook at %1 answered HTTP %2, a redirect to %3: give the final URL in the alert's --notify.")
                .arg(where, QString::number(status), to)};
    }
    return {false, false,
        tr("The webhook at %1 refused the notification with HTTP %2: check the URL and what the receiver expects.")
            .arg(where, statusWithExcerpt(status, reply))};
}

DeliveryOutcome Delivery::runCommand(
    const QString &path, const QByteArray &json, const DeliverySettings &settings, const StopFlag *stop)
{
    const QFileInfo info(path);
    if (!info.exists())
        return {false, false,
            tr("The command %1 does not exist: install it there or change the alert's --notify command:PATH.")
                .arg(path)};
    if (!info.isFile())
        return {false, false, tr("%1 is a folder, not a program: give the program's path in command:PATH.").arg(path)};
    if (!info.isExecutable())
        return {false, false,
            tr("The command %1 is not executable: allow it to run (chmod +x) for the console's user.").arg(path)};

    QProcess process;
    process.setProgram(path);
    process.setStandardOutputFile(QProcess::nullDevice());
#ifdef Q_OS_UNIX
    // A process group of its own, so that a timeout ends what the command started as well.
    process.setChildProcessModifier([] { ::setsid(); });
#endif
    process.start(QIODevice::ReadWrite);
    if (!process.waitForStarted(START_TIMEOUT_MS))
        return {false, false, tr("The command %1 could not be started: %2.").arg(path, process.errorString())};
    process.write(json);
    process.closeWriteChannel();

    QByteArray stderrKept;
    const QDeadlineTimer deadline(settings.commandTimeoutMs);
    bool ended = false;
    while (!ended) {
        const int wait = int(std::min<qint64>(deadline.remainingTime(), POLL_MS));
        ended = process.waitForFinished(std::max(wait, 0)) || process.state() == QProcess::NotRunning;
        keepAtMost(stderrKept, process.readAllStandardError(), MAX_STDERR);
        if (!ended && (deadline.hasExpired() || (stop && stop->load())))
            break;
    }
    if (!ended) {
#ifdef Q_OS_UNIX
        if (process.processId() > 0)
            ::kill(-pid_t(process.processId()), SIGKILL);
#endif
        process.kill();
        process.waitForFinished(START_TIMEOUT_MS);
        if (stop && stop->load())
            return {false, true, tr("The command %1 was stopped: the console is shutting down.").arg(path)};
        return {false, true,
            tr("The command %1 did not finish within %2 s and was stopped.")
                .arg(path, seconds(settings.commandTimeoutMs))};
    }
    keepAtMost(stderrKept, process.readAllStandardError(), MAX_STDERR);
    const QString said = excerpt(stderrKept);
    if (process.exitStatus() == QProcess::CrashExit)
        return {false, true,
            said.isEmpty() ? tr("The command %1 crashed.").arg(path)
                           : tr("The command %1 crashed: %2").arg(path, said)};
    if (process.exitCode() != 0)
        return {false, true,
            said.isEmpty()
                ? tr("The command %1 ended with exit code %2.").arg(path, QString::number(process.exitCode()))
                : tr("The command %1 ended with exit code %2: %3")
                      .arg(path, QString::number(process.exitCode()), said)};
    return {true, false, QString()};
}

} // namespace StreamSwarm::Console
