// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <atomic>

#include <QByteArray>
#include <QString>

#include <curl/curl.h>

class QUrl;

namespace StreamSwarm::Console {

// One libcurl easy handle for one blocking transfer, set up the way every sender wants it: no signals
// (it runs on a worker thread), a stop flag looked at by the progress callback, timeouts, an optional
// CA file. libcurl's global initialisation happens once, on the first handle. Any thread; one at a time.
class CurlEasy
{
    Q_DISABLE_COPY_MOVE(CurlEasy)
public:
    explicit CurlEasy(const std::atomic<bool> *stop);
    ~CurlEasy();

    bool isValid() const { return m_easy != nullptr; }
    CURL *handle() const { return m_easy; }
    void addHeader(const char *line);
    void addRecipient(const QByteArray &address); // CURLOPT_MAIL_RCPT
    void setTimeouts(int connectMs, int totalMs);
    void setCaFile(const QString &file); // empty: the system's authorities
    CURLcode perform();
    // curl's own words for a failure: its error buffer when it said more than the code's name.
    QString error(CURLcode code) const;

    // scheme://host:port/… : a URL without its user, password, path or query, for reasons and logs.
    static QString safeUrl(const QUrl &url);

private:
    CURL *m_easy = nullptr;
    curl_slist *m_headers = nullptr;
    curl_slist *m_recipients = nullptr;
    const std::atomic<bool> *m_stop = nullptr;
    QByteArray m_caFile;
    char m_error[CURL_ERROR_SIZE] = {};
};

} // namespace StreamSwarm::Console
