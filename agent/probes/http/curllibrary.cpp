// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "curllibrary.h"

#include <QCoreApplication>
#include <QLibrary>

#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

class Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::CurlLibrary)
};

// Debian's libcurl4 (the OpenSSL build); libcurl3-gnutls is libcurl-gnutls.so.4 and is not wanted:
// the probe reads the certificate chain through OpenSSL's SSL_CTX.
constexpr auto LIBRARY_NAME = "curl";
constexpr int LIBRARY_MAJOR = 4;

struct Loaded
{
    CurlLibrary curl;
    QString error;
    bool ok = false;
};

template <typename Function>
bool resolve(QLibrary &library, const char *name, Function &function, QString *missing)
{
    function = reinterpret_cast<Function>(library.resolve(name));
    if (!function && missing->isEmpty())
        *missing = QString::fromLatin1(name);
    return function != nullptr;
}

Loaded loadLibrary()
{
    Loaded loaded;
    static QLibrary library(QString::fromLatin1(LIBRARY_NAME), LIBRARY_MAJOR);
    if (!library.load()) {
        loaded.error = Tr::tr("http tests need libcurl (the Debian package libcurl4), which could not be loaded: %1")
                           .arg(library.errorString());
        return loaded;
    }
    CurlLibrary &c = loaded.curl;
    QString missing;
    resolve(library, "curl_version_info", c.version_info, &missing);
    resolve(library, "curl_global_init", c.global_init, &missing);
    resolve(library, "curl_easy_init", c.easy_init, &missing);
    resolve(library, "curl_easy_setopt", c.easy_setopt, &missing);
    resolve(library, "curl_easy_getinfo", c.easy_getinfo, &missing);
    resolve(library, "curl_easy_cleanup", c.easy_cleanup, &missing);
    resolve(library, "curl_easy_strerror", c.easy_strerror, &missing);
    resolve(library, "curl_multi_init", c.multi_init, &missing);
    resolve(library, "curl_multi_setopt", c.multi_setopt, &missing);
    resolve(library, "curl_multi_add_handle", c.multi_add_handle, &missing);
    resolve(library, "curl_multi_remove_handle", c.multi_remove_handle, &missing);
    resolve(library, "curl_multi_socket_action", c.multi_socket_action, &missing);
    resolve(library, "curl_multi_info_read", c.multi_info_read, &missing);
    resolve(library, "curl_multi_assign", c.multi_assign, &missing);
    resolve(library, "curl_multi_cleanup", c.multi_cleanup, &missing);
    if (!missing.isEmpty()) {
        loaded.error = Tr::tr("http tests need libcurl 7.85 or newer; the installed %1 has no %2")
                           .arg(library.fileName(), missing);
        return loaded;
    }
    const curl_version_info_data *version = c.version_info(CURLVERSION_NOW);
    const QString versionText = QString::fromLatin1(version->version);
    if (version->version_num < CurlLibrary::OLDEST_VERSION) {
        loaded.error = Tr::tr("http tests need libcurl 7.85 or newer; this system has %1").arg(versionText);
        return loaded;
    }
    const QString tlsLibrary = version->ssl_version ? QString::fromLatin1(version->ssl_version) : QString();
    if (!tlsLibrary.startsWith(u"OpenSSL"_s)) {
        loaded.error = Tr::tr("http tests need libcurl built with OpenSSL (the Debian package libcurl4); this "
                              "one uses %1")
                           .arg(tlsLibrary.isEmpty() ? Tr::tr("no TLS library") : tlsLibrary);
        return loaded;
    }
    if (const CURLcode code = c.global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
        loaded.error = Tr::tr("libcurl did not start: %1").arg(QString::fromUtf8(c.easy_strerror(code)));
        return loaded;
    }
    qCInfo(lcAgent, "Loaded libcurl %s (%s) for the http tests", version->version, version->ssl_version);
    loaded.ok = true;
    return loaded;
}

const Loaded &library()
{
    static const Loaded loaded = loadLibrary(); // thread-safe, once
    return loaded;
}

} // namespace

const CurlLibrary *CurlLibrary::load(QString *error)
{
    const Loaded &loaded = library();
    if (!loaded.ok && error)
        *error = loaded.error;
    return loaded.ok ? &loaded.curl : nullptr;
}

const CurlLibrary &CurlLibrary::loaded()
{
    Q_ASSERT(library().ok);
    return library().curl;
}

} // namespace StreamSwarm::Agent
