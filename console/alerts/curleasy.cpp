// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "curleasy.h"

#include <mutex>

#include <QFile>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

int stopWhenAsked(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *stop = static_cast<const std::atomic<bool> *>(user);
    return stop && stop->load() ? 1 : 0;
}

} // namespace

CurlEasy::CurlEasy(const std::atomic<bool> *stop)
    : m_stop(stop)
{
    // curl_global_init is not thread-safe before 7.84 everywhere; once, before the first handle.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_easy = curl_easy_init();
    if (!m_easy)
        return;
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_error);
    curl_easy_setopt(m_easy, CURLOPT_USERAGENT, "StreamSwarm/" STREAMSWARM_VERSION);
    curl_easy_setopt(m_easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(m_easy, CURLOPT_XFERINFOFUNCTION, stopWhenAsked);
    curl_easy_setopt(m_easy, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool> *>(m_stop));
}

CurlEasy::~CurlEasy()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    curl_slist_free_all(m_headers);
    curl_slist_free_all(m_recipients);
}

void CurlEasy::addHeader(const char *line)
{
    if (curl_slist *list = curl_slist_append(m_headers, line))
        m_headers = list;
}

void CurlEasy::addRecipient(const QByteArray &address)
{
    if (curl_slist *list = curl_slist_append(m_recipients, address.constData()))
        m_recipients = list;
}

void CurlEasy::setTimeouts(int connectMs, int totalMs)
{
    curl_easy_setopt(m_easy, CURLOPT_CONNECTTIMEOUT_MS, long(connectMs));
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(totalMs));
}

void CurlEasy::setCaFile(const QString &file)
{
    if (file.isEmpty())
        return;
    m_caFile = QFile::encodeName(file);
    curl_easy_setopt(m_easy, CURLOPT_CAINFO, m_caFile.constData());
}

CURLcode CurlEasy::perform()
{
    if (m_headers)
        curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headers);
    if (m_recipients)
        curl_easy_setopt(m_easy, CURLOPT_MAIL_RCPT, m_recipients);
    m_error[0] = '\0';
    return curl_easy_perform(m_easy);
}

QString CurlEasy::error(CURLcode code) const
{
    QString text = QString::fromUtf8(m_error).trimmed();
    if (text.isEmpty())
        text = QString::fromUtf8(curl_easy_strerror(code));
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

QString CurlEasy::safeUrl(const QUrl &url)
{
    const QUrl origin
        = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    const bool more = (!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() || url.hasFragment();
    return origin.toString() + (more ? u"/…"_s : QString());
}

} // namespace StreamSwarm::Console
