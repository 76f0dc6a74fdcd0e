// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "credentialstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "shared/util/fingerprint.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

CredentialStore::CredentialStore(QString stateDir)
    : m_stateDir(std::move(stateDir))
{ }

QString CredentialStore::filePath() const
{
    return m_stateDir + u"/credential.json"_s;
}

QString CredentialStore::pinPath() const
{
    return m_stateDir + u"/console-fingerprint"_s;
}

std::optional<QByteArray> CredentialStore::loadPin(QString *error) const
{
    QFile file(pinPath());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    const auto pin = parseFingerprint(QString::fromLatin1(file.read(256)));
    if (!pin)
        *error = tr("%1 is damaged; delete it, or start the agent with --fingerprint.").arg(file.fileName());
    return pin;
}

bool CredentialStore::savePin(const QByteArray &sha256, QString *error) const
{
    QSaveFile file(pinPath());
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(formatFingerprint(sha256).toLatin1() + '\n');
    if (!file.commit()) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

bool CredentialStore::prepare(QString *error)
{
    if (!QDir().mkpath(m_stateDir)) {
        *error = tr("Cannot create the state folder %1; check its permissions or pick another with --state-dir.")
                     .arg(m_stateDir);
        return false;
    }
    QFile::setPermissions(m_stateDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

std::optional<StoredCredential> CredentialStore::load(QString *error) const
{
    QFile file(filePath());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject object = QJsonDocument::fromJson(file.read(64 * 1024), &parseError).object();
    StoredCredential stored;
    stored.server = object.value(u"server"_s).toString();
    stored.agentName = object.value(u"agentName"_s).toString();
    stored.agentId = object.value(u"agentId"_s).toInteger();
    stored.credential = object.value(u"credential"_s).toString();
    if (parseError.error != QJsonParseError::NoError || stored.credential.isEmpty()) {
        *error = tr("%1 is damaged; delete it and enroll the agent again with a new token.").arg(file.fileName());
        return std::nullopt;
    }
    return stored;
}

bool CredentialStore::save(const StoredCredential &credential, QString *error) const
{
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    // Restrict the temporary file before the secret is written into it.
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    const QJsonObject object{{u"server"_s, credential.server}, {u"agentName"_s, credential.agentName},
        {u"agentId"_s, credential.agentId}, {u"credential"_s, credential.credential}};
    file.write(QJsonDocument(object).toJson());
    if (!file.commit()) {
        *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

} // namespace StreamSwarm::Agent
