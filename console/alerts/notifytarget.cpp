// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "notifytarget.h"

#include <algorithm>

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MAX_LOCAL_PART = 64; // RFC 5321 4.5.3.1
constexpr int MAX_DOMAIN = 253;

bool hasControlCharacter(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

// RFC 5322's atext, with dots between atoms: what an unquoted local part may hold.
bool isLocalPart(const QString &local)
{
    if (local.isEmpty() || local.size() > MAX_LOCAL_PART || local.startsWith(u'.') || local.endsWith(u'.')
        || local.contains(u".."))
        return false;
    return std::all_of(local.cbegin(), local.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
            || QStringView(u"!#$%&'*+-/=?^_`{|}~.").contains(c);
    });
}

bool isDomain(const QString &domain)
{
    if (domain.isEmpty() || domain.size() > MAX_DOMAIN)
        return false;
    const QStringList labels = domain.split(u'.');
    return std::all_of(labels.cbegin(), labels.cend(), [](const QString &label) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
            return false;
        return std::all_of(label.cbegin(), label.cend(), [](QChar c) { return c.isLetterOrNumber() || c == u'-'; });
    });
}

const QString WEBHOOK = u"webhook"_s;
const QString EMAIL = u"email"_s;
const QString COMMAND = u"command"_s;
const QString DESKTOP = u"desktop"_s;

} // namespace

QString NotifyTarget::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Webhook:
        return WEBHOOK;
    case Kind::Email:
        return EMAIL;
    case Kind::Command:
        return COMMAND;
    case Kind::Desktop:
        return DESKTOP;
    }
    return DESKTOP;
}

QString NotifyTarget::withoutLogin(const QString &url)
{
    static const QRegularExpression login(uR"(//[^/?#@]*@)"_s);
    return QString(url).replace(login, u"//"_s);
}

bool NotifyTarget::isEmailAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at > 0 && isLocalPart(address.left(at)) && isDomain(address.mid(at + 1));
}

std::optional<NotifyTarget> NotifyTarget::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        *error = tr("The notification target is empty: write webhook:URL, email:ADDRESS, command:PATH or desktop.");
        return std::nullopt;
    }
    if (text.size() > MAX_LENGTH) {
        *error = tr("The notification target is %1 characters long, more than the %2 allowed: give a shorter URL, "
                    "address or path.")
                     .arg(text.size())
                     .arg(MAX_LENGTH);
        return std::nullopt;
    }
    if (hasControlCharacter(text)) {
        *error = tr("The notification target holds a line break or another control character: write it on one "
                    "line, e.g. webhook:https://hooks.example.net/alerts.");
        return std::nullopt;
    }
    const qsizetype colon = text.indexOf(u':');
    const QString kind = (colon < 0 ? text : text.left(colon)).toLower();
    const QString rest = colon < 0 ? QString() : text.mid(colon + 1);

    NotifyTarget target;
    if (kind == DESKTOP) {
        if (!rest.isEmpty()) {
            *error = tr("\"desktop\" takes nothing after it: write desktop alone.");
            return std::nullopt;
        }
        target.kind = Kind::Desktop;
        return target;
    }
    if (colon < 0 || (kind != WEBHOOK && kind != EMAIL && kind != COMMAND)) {
        *error = tr("\"%1\" is not a notification target: write webhook:URL, email:ADDRESS, command:PATH or desktop.")
                     .arg(text.left(80));
        return std::nullopt;
    }
    if (rest.isEmpty()) {
        const QString example = kind == WEBHOOK ? u"webhook:https://hooks.example.net/alerts"_s
            : kind == EMAIL                     ? u"email:noc@example.net"_s
                                                : u"command:/usr/local/bin/page-oncall"_s;
        *error = tr("\"%1:\" needs something after the colon: write e.g. %2.").arg(kind, example);
        return std::nullopt;
    }

    if (kind == WEBHOOK) {
        const QUrl url(rest, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || rest.contains(u' ') || !QStringList{u"http"_s, u"https"_s}.contains(scheme)) {
            *error = tr("\"%1\" is not an http or https URL: write webhook:https://HOST/PATH, e.g. "
                        "webhook:https://hooks.example.net/alerts.")
                         .arg(withoutLogin(rest).left(80));
            return std::nullopt;
        }
        if (url.host().isEmpty()) {
            *error = tr("The webhook URL names no host: write webhook:https://HOST/PATH, e.g. "
                        "webhook:https://hooks.example.net/alerts.");
            return std::nullopt;
        }
        target.kind = Kind::Webhook;
        target.target = rest;
        return target;
    }
    if (kind == EMAIL) {
        if (rest.contains(u',') || rest.contains(u';') || rest.contains(u' ')) {
            *error = tr("\"%1\" holds more than one address or a space: give one address per --notify, e.g. "
                        "--notify email:noc@example.net --notify email:oncall@example.net.")
                         .arg(rest.left(80));
            return std::nullopt;
        }
        if (!isEmailAddress(rest)) {
            *error = tr("\"%1\" is not an e-mail address: write email:NAME@DOMAIN, e.g. email:noc@example.net.")
                         .arg(rest.left(80));
            return std::nullopt;
        }
        target.kind = Kind::Email;
        target.target = rest;
        return target;
    }
    // command: run without a shell, so no arguments and no ~; existence is checked when it runs.
    if (!QDir::isAbsolutePath(rest) || rest.startsWith(u'~')) {
        *error = tr("\"%1\" is not an absolute path: write command:/FULL/PATH/TO/PROGRAM, e.g. "
                    "command:/usr/local/bin/page-oncall (it gets the alert as JSON on its standard input).")
                     .arg(rest.left(80));
        return std::nullopt;
    }
    target.kind = Kind::Command;
    target.target = rest;
    return target;
}

QString NotifyTarget::toString() const
{
    return kind == Kind::Desktop ? DESKTOP : kindKey(kind) + u':' + target;
}

QString NotifyTarget::displayText() const
{
    if (kind != Kind::Webhook)
        return toString();
    const QUrl url(target);
    const QUrl origin
        = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    const bool more = (!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() || url.hasFragment();
    return WEBHOOK + u':' + origin.toString() + (more ? u"/…"_s : u"/"_s);
}

} // namespace StreamSwarm::Console
