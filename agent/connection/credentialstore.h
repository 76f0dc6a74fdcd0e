// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>

namespace StreamSwarm::Agent {

struct StoredCredential
{
    QString server; // the console it belongs to
    QString agentName;
    qint64 agentId = 0;
    QString credential;
};

// The agent's credential in its state dir: credential.json, mode 0600 in a 0700 folder, written
// atomically (QSaveFile) so a crash never leaves half a file.
class CredentialStore
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Agent::CredentialStore)
public:
    explicit CredentialStore(QString stateDir);

    bool prepare(QString *error); // creates the state dir with safe permissions
    std::optional<StoredCredential> load(QString *error) const;
    bool save(const StoredCredential &credential, QString *error) const;
    QString filePath() const;

    // The console certificate's SHA-256 this agent trusts (pinned on first use or from --fingerprint).
    std::optional<QByteArray> loadPin(QString *error) const;
    bool savePin(const QByteArray &sha256, QString *error) const;
    QString pinPath() const;

private:
    QString m_stateDir;
};

} // namespace StreamSwarm::Agent
