// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// Delivery by e-mail: the mail settings' checks, the RFC 5322 message and its upload over SMTP.
#include <algorithm>

#include <QDateTime>
#include <QFileInfo>
#include <QUrl>
#include <QUuid>

#include "console/alerts/curleasy.h"
#include "console/alerts/delivery.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qsizetype MAX_7BIT_LINE = 998; // RFC 5322 2.1.1, without CRLF
constexpr qsizetype QP_LINE = 76; // RFC 2045 6.7
constexpr qsizetype MAX_ENCODED_LINE = 76; // RFC 2047 2: a line with encoded words
constexpr qsizetype ENCODED_WORD_OVERHEAD = 12; // "=?UTF-8?B?" and "?="

// The address as SMTP and the headers carry it: a domain in letters other than ASCII in its ACE form.
QByteArray wireAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return address.left(at).toLatin1() + '@' + QUrl::toAce(address.mid(at + 1));
}

QByteArray quotedPrintable(const QByteArray &text)
{
    QByteArray out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype l = 0; l < lines.size(); ++l) {
        const QByteArray &line = lines[l];
        qsizetype column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto byte = static_cast<unsigned char>(line[i]);
            const bool last = i + 1 == line.size();
            QByteArray piece;
            if ((byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last))
                piece = QByteArray(1, char(byte));
            else
                piece = '=' + QByteArray::number(byte, 16).toUpper().rightJustified(2, '0');
            if (column + piece.size() > QP_LINE - 1) {
                out += "=\r\n";
                column = 0;
            }
            out += piece;
            column += piece.size();
        }
        if (l + 1 < lines.size())
            out += "\r\n";
    }
    return out;
}

QString serverName(const QString &server)
{
    return CurlEasy::safeUrl(QUrl(server));
}

struct Upload
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readUpload(char *buffer, size_t size, size_t count, void *user)
{
    auto *upload = static_cast<Upload *>(user);
    const qsizetype bytes = std::min(qsizetype(size * count), upload->data.size() - upload->offset);
    std::copy_n(upload->data.constData() + upload->offset, bytes, buffer);
    upload->offset += bytes;
    return size_t(bytes);
}

} // namespace

bool SmtpSettings::check(QString *error) const
{
    if (server.trimmed().isEmpty()) {
        *error = tr("No mail server is set: give --smtp-server smtp://HOST:PORT in the console's settings.");
        return false;
    }
    const QUrl url(server, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"smtp" && scheme != u"smtps")) {
        *error = tr("The mail server \"%1\" is not a URL the console can use: write smtp://HOST:PORT (STARTTLS) or "
                    "smtps://HOST:PORT (TLS from the start).")
                     .arg(NotifyTarget::withoutLogin(server).left(80));
        return false;
    }
    if (!url.userInfo().isEmpty()) {
        *error = tr("The mail server's URL holds a user or password: give them with --smtp-user and the password "
                    "setting instead, and write smtp://HOST:PORT.");
        return false;
    }
    if (from.isEmpty()) {
        *error = tr("No sender address is set: give --smtp-from with the address alerts come from, e.g. "
                    "streamswarm@example.net.");
        return false;
    }
    if (!NotifyTarget::isEmailAddress(from)) {
        *error = tr("The sender address \"%1\" is not an e-mail address: give --smtp-from NAME@DOMAIN, e.g. "
                    "streamswarm@example.net.")
                     .arg(from.left(80));
        return false;
    }
    if (user.isEmpty() && !password.isEmpty()) {
        *error = tr("A mail server password is set but no user: give --smtp-user as well.");
        return false;
    }
    if (!caFile.isEmpty() && !QFileInfo(caFile).isReadable()) {
        *error = tr("The certificate authority file \"%1\" cannot be read: give a readable PEM file, or none to "
                    "trust the system's authorities.")
                     .arg(caFile);
        return false;
    }
    return true;
}

QByteArray Delivery::headerField(const QByteArray &name, const QString &value)
{
    QString text = value;
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' '; // no header injection through a line break
    }
    const QByteArray start = name + ": ";
    const bool ascii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (ascii)
        return start + text.toLatin1();
    // RFC 2047 encoded words of whole characters, each line (the first with the name) within 76.
    const auto fits = [](qsizetype used, qsizetype bytes) {
        return used + ENCODED_WORD_OVERHEAD + 4 * ((bytes + 2) / 3) <= MAX_ENCODED_LINE;
    };
    QByteArray field = start;
    qsizetype used = start.size();
    QByteArray chunk;
    const auto flush = [&] {
        field += "=?UTF-8?B?" + chunk.toBase64() + "?=";
        chunk.clear();
        field += "\r\n ";
        used = 1;
    };
    for (const char32_t codePoint : text.toUcs4()) {
        const QByteArray bytes = QString::fromUcs4(&codePoint, 1).toUtf8();
        if (!chunk.isEmpty() && !fits(used, chunk.size() + bytes.size()))
            flush();
        chunk += bytes;
    }
    if (!chunk.isEmpty())
        flush();
    field.chop(3); // the last fold
    return field;
}

QByteArray Delivery::emailText(const QString &from, const QString &to, const AlertMessage &message)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray fromWire = wireAddress(from);
    const QByteArray domain = fromWire.mid(fromWire.lastIndexOf('@') + 1);
    const QByteArray unique = message.id.isEmpty()
        ? QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        : QUrl::toPercentEncoding(message.id) + '.' + QByteArray::number(message.timeMs);

    QByteArray body = message.plainText().toUtf8();
    const QList<QByteArray> lines = body.split('\n');
    const bool sevenBit = std::all_of(body.cbegin(), body.cend(), [](char c) { return (c & 0x80) == 0; })
        && std::all_of(
            lines.cbegin(), lines.cend(), [](const QByteArray &line) { return line.size() <= MAX_7BIT_LINE; });
    body = sevenBit ? body.replace("\n", "\r\n") : quotedPrintable(body);
    if (!body.endsWith("\r\n"))
        body += "\r\n";

    QByteArray text;
    text += "Date: " + now.toString(Qt::RFC2822Date).toLatin1() + "\r\n";
    text += "From: StreamSwarm <" + fromWire + ">\r\n";
    text += "To: <" + wireAddress(to) + ">\r\n";
    text += headerField("Subject", message.subject()) + "\r\n";
    text += "Message-ID: <streamswarm." + unique + '@' + domain + ">\r\n";
    text += "Auto-Submitted: auto-generated\r\n"; // RFC 3834: no vacation replies to alerts
    text += headerField("X-StreamSwarm-Alert", message.alertName) + "\r\n";
    text += headerField("X-StreamSwarm-State", message.state) + "\r\n";
    text += "MIME-Version: 1.0\r\n";
    text += "Content-Type: text/plain; charset=UTF-8\r\n";
    text += QByteArray("Content-Transfer-Encoding: ") + (sevenBit ? "7bit" : "quoted-printable") + "\r\n";
    text += "\r\n";
    text += body;
    return text;
}

DeliveryOutcome Delivery::sendEmail(
    const QString &to, const AlertMessage &message, const DeliverySettings &settings, const StopFlag *stop)
{
    const SmtpSettings &smtp = settings.smtp;
    QString error;
    if (!smtp.check(&error))
        return {false, false, error};
    if (!NotifyTarget::isEmailAddress(to))
        return {false, false, tr("\"%1\" is not an e-mail address: give email:NAME@DOMAIN.").arg(to.left(80))};
    const QString where = serverName(smtp.server);

    CurlEasy curl(stop);
    if (!curl.isValid())
        return {false, true, tr("Could not prepare the mail to %1 (out of memory?).").arg(to)};
    CURL *easy = curl.handle();
    const QByteArray url = QUrl(smtp.server).toEncoded();
    const bool implicitTls = QUrl(smtp.server).scheme().toLower() == u"smtps";
    const QByteArray mailFrom = '<' + wireAddress(smtp.from) + '>';
    const QByteArray user = smtp.user.toUtf8();
    const QByteArray password = smtp.password.toUtf8();
    Upload upload{emailText(smtp.from, to, message)};

    curl_easy_setopt(easy, CURLOPT_URL, url.constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // STARTTLS: required unless the settings allow plain SMTP, then used when offered.
    if (!implicitTls)
        curl_easy_setopt(easy, CURLOPT_USE_SSL, long(smtp.requireTls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, mailFrom.constData());
    curl.addRecipient('<' + wireAddress(to) + '>');
    if (!smtp.user.isEmpty()) {
        curl_easy_setopt(easy, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, readUpload);
    curl_easy_setopt(easy, CURLOPT_READDATA, &upload);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.data.size()));
    curl.setTimeouts(settings.connectTimeoutMs, settings.emailTimeoutMs);
    curl.setCaFile(smtp.caFile);

    const CURLcode result = curl.perform();
    if (result == CURLE_OK)
        return {true, false, QString()};
    long reply = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply);
    QString said = curl.error(result);
    if (!smtp.password.isEmpty())
        said.replace(smtp.password, u"***"_s); // curl never echoes it; a server's reply might
    switch (result) {
    case CURLE_LOGIN_DENIED:
        return {false, false,
            tr("The mail server %1 refused the login of \"%2\": check the mail user and password in the console's "
               "settings.")
                .arg(where, smtp.user)};
    case CURLE_AUTH_ERROR:
        return {false, false,
            tr("The mail server %1 offers no login method the console can use for \"%2\" (%3).")
                .arg(where, smtp.user, said)};
    case CURLE_USE_SSL_FAILED:
        return {false, false,
            tr("The mail server %1 does not offer STARTTLS, and the console sends mail only encrypted: use "
               "smtps://HOST:PORT or a server with STARTTLS, or allow plain SMTP in the console's settings.")
                .arg(where)};
    case CURLE_PEER_FAILED_VERIFICATION:
        return {false, false,
            tr("The mail server %1 has a certificate this console does not trust (%2): give its authority's "
               "certificate in the mail settings, or the server's right name.")
                .arg(where, said)};
    case CURLE_SSL_CACERT_BADFILE:
        return {false, false, tr("The certificate authority file %1 cannot be read: %2.").arg(smtp.caFile, said)};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return {false, false, tr("The mail server URL %1 cannot be used: %2.").arg(where, said)};
    case CURLE_OPERATION_TIMEDOUT:
        return {false, true,
            tr("The mail server %1 did not take the message within %2 s.")
                .arg(where, QString::number(settings.emailTimeoutMs / 1000.0))};
    case CURLE_ABORTED_BY_CALLBACK:
        return {false, true, tr("The mail to %1 was stopped: the console is shutting down.").arg(to)};
    default:
        break;
    }
    // A reply of the server's own: 4xx is "try again later" (greylisting, a full queue), 5xx is no.
    if (reply >= 500 && reply < 600)
        return {false, false,
            tr("The mail server %1 refused the message to %2 with %3 (%4).")
                .arg(where, to, QString::number(reply), said)};
    if (reply >= 400 && reply < 500)
        return {false, true,
            tr("The mail server %1 asked to try the message to %2 again later with %3 (%4).")
                .arg(where, to, QString::number(reply), said)};
    return {false, true, tr("Could not send the mail to %1 through %2: %3.").arg(to, where, said)};
}

} // namespace StreamSwarm::Console
