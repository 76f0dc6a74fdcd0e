// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "schema.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QStringList>

#include "console/storage/database.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// SQL written once for both drivers: {ID} is the auto-numbered key, {BLOB} a byte string.
QString dialect(const Database &db, QString sql)
{
    const bool sqlite = db.isSqlite();
    sql.replace(u"{ID}"_s, sqlite ? u"INTEGER PRIMARY KEY"_s : u"BIGSERIAL PRIMARY KEY"_s);
    sql.replace(u"{BLOB}"_s, sqlite ? u"BLOB"_s : u"BYTEA"_s);
    sql.replace(u"{REAL}"_s, sqlite ? u"REAL"_s : u"DOUBLE PRECISION"_s);
    return sql;
}

// Append-only: each entry is one schema version. Never edit a shipped entry; add a new one.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> list{
        // 1: the walking skeleton's tables.
        {
            u"CREATE TABLE tokens (id {ID}, name TEXT NOT NULL UNIQUE, lookup_id TEXT NOT NULL UNIQUE, "
            "salt {BLOB} NOT NULL, hash {BLOB} NOT NULL, uses_left BIGINT NOT NULL, expires_at BIGINT, "
            "created_at BIGINT NOT NULL, revoked_at BIGINT)"_s,
            u"CREATE TABLE agents (id {ID}, name TEXT NOT NULL UNIQUE, host TEXT NOT NULL DEFAULT '', "
            "os TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '', capabilities TEXT NOT NULL DEFAULT '', "
            "credential_id TEXT UNIQUE, credential_salt {BLOB}, credential_hash {BLOB}, "
            "enrolled_at BIGINT NOT NULL, token_id BIGINT, last_seen BIGINT, online INTEGER NOT NULL DEFAULT 0, "
            "revoked_at BIGINT, last_seq BIGINT NOT NULL DEFAULT 0)"_s,
            u"CREATE TABLE tests (id {ID}, name TEXT NOT NULL UNIQUE, type TEXT NOT NULL, target TEXT NOT NULL, "
            "interval_ms BIGINT NOT NULL, duration_ms BIGINT NOT NULL, params TEXT NOT NULL DEFAULT '{}', "
            "all_agents INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, stopped_at BIGINT)"_s,
            u"CREATE TABLE test_assignments (test_id BIGINT NOT NULL REFERENCES tests(id) ON DELETE CASCADE, "
            "agent_id BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE, PRIMARY KEY (test_id, agent_id))"_s,
            u"CREATE TABLE metrics (id {ID}, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL)"_s,
            u"CREATE TABLE samples (agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, metric_id BIGINT NOT NULL, "
            "t BIGINT NOT NULL, value {REAL} NOT NULL)"_s,
            u"CREATE INDEX samples_series ON samples (test_id, agent_id, metric_id, t)"_s,
            u"CREATE INDEX samples_time ON samples (t)"_s,
            u"CREATE TABLE details (id {ID}, agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, t BIGINT NOT NULL, "
            "kind TEXT NOT NULL, body TEXT NOT NULL)"_s,
            u"CREATE INDEX details_series ON details (test_id, agent_id, t)"_s,
            u"CREATE TABLE events (id {ID}, t BIGINT NOT NULL, level TEXT NOT NULL, kind TEXT NOT NULL, "
            "agent_id BIGINT, test_id BIGINT, message TEXT NOT NULL)"_s,
            u"CREATE INDEX events_time ON events (t)"_s,
        },
        // 2: credential rotation. The next credential is valid beside the current one until the
        // agent confirms it has stored it, so a lost message never locks an agent out.
        {
            u"ALTER TABLE agents ADD COLUMN next_credential_id TEXT"_s,
            u"ALTER TABLE agents ADD COLUMN next_credential_salt {BLOB}"_s,
            u"ALTER TABLE agents ADD COLUMN next_credential_hash {BLOB}"_s,
            u"ALTER TABLE agents ADD COLUMN rekey_requested_at BIGINT"_s,
            u"CREATE UNIQUE INDEX agents_next_credential ON agents (next_credential_id)"_s,
        },
        // 3: delivery. One row per stored batch: replays are recognised by (agent, seq) even out of
        // order, and the console's receive time sits beside the agent's measurement times. Rows
        // below the floor the agent reports (it will never send those again) are pruned.
        // The agent's clock offset as measured from ping/pong; the rounds its spool dropped.
        {
            u"CREATE TABLE batches (agent_id BIGINT NOT NULL, seq BIGINT NOT NULL, received_at BIGINT NOT NULL, "
            "rounds INTEGER NOT NULL, first_t BIGINT, last_t BIGINT, PRIMARY KEY (agent_id, seq))"_s,
            u"INSERT INTO batches (agent_id, seq, received_at, rounds) SELECT id, last_seq, COALESCE(last_seen, 0), 0 "
            "FROM agents WHERE last_seq > 0"_s,
            u"ALTER TABLE agents ADD COLUMN clock_offset_ms BIGINT"_s,
            u"ALTER TABLE agents ADD COLUMN clock_error_ms BIGINT"_s,
            u"ALTER TABLE agents ADD COLUMN clock_checked_at BIGINT"_s,
            u"ALTER TABLE agents ADD COLUMN lost_rounds BIGINT NOT NULL DEFAULT 0"_s,
        },
        // 4: a token made to move one enrolled agent to a new host (token create --replace): only
        // such a token may enroll under the name of an agent that is not revoked.
        {
            u"ALTER TABLE tokens ADD COLUMN replaces_agent_id BIGINT"_s,
        },
        // 5: events say what happened as a code and its values (a JSON array), translated when shown;
        // message keeps the untranslated sentence. Older rows (code NULL) have only their message.
        {
            u"ALTER TABLE events ADD COLUMN code TEXT"_s,
            u"ALTER TABLE events ADD COLUMN args TEXT"_s,
        },
        // 6: tests that start later, pause, or are deleted while their data is kept (deleted_at: the
        // row stays for its samples, under a name that frees the old one); agents' tags, and tests
        // given to every agent that carries a tag.
        {
            u"ALTER TABLE tests ADD COLUMN starts_at BIGINT"_s,
            u"ALTER TABLE tests ADD COLUMN paused_at BIGINT"_s,
            u"ALTER TABLE tests ADD COLUMN deleted_at BIGINT"_s,
            u"CREATE TABLE agent_tags (agent_id BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE, "
            "tag TEXT NOT NULL, PRIMARY KEY (agent_id, tag))"_s,
            u"CREATE TABLE test_tags (test_id BIGINT NOT NULL REFERENCES tests(id) ON DELETE CASCADE, "
            "tag TEXT NOT NULL, PRIMARY KEY (test_id, tag))"_s,
        },
        // 7: the address an agent's connection last came from, as the console saw it.
        {
            u"ALTER TABLE agents ADD COLUMN address TEXT NOT NULL DEFAULT ''"_s,
        },
        // 8: scheduled reports; request is the report's options as JSON (ReportSchedule::requestToJson).
        {
            u"CREATE TABLE report_schedules (id {ID}, name TEXT NOT NULL UNIQUE, every TEXT NOT NULL, "
            "folder TEXT NOT NULL, printer TEXT NOT NULL DEFAULT '', request TEXT NOT NULL, "
            "created_at BIGINT NOT NULL, reported_until BIGINT NOT NULL)"_s,
        },
    };
    return list;
}

} // namespace

int Schema::currentVersion()
{
    return int(migrations().size());
}

bool Schema::migrate(Database &db, QString *error)
{
    if (!db.exec(u"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"_s, error))
        return false;
    if (!db.beginWrite(error))
        return false;
    QSqlQuery query(db.connection());
    if (!query.exec(u"SELECT version FROM schema_version"_s)) {
        db.rollback();
        return db.exec(query, error);
    }
    int version = 0;
    if (query.next())
        version = query.value(0).toInt();
    query.finish();
    if (version > currentVersion()) {
        db.rollback();
        if (error) {
            *error = QCoreApplication::translate("StreamSwarm::Console::Schema",
                "The database %1 was made by a newer StreamSwarm (schema %2; this "
                "version knows up to %3). Update StreamSwarm to open it.")
                         .arg(db.url().displayName())
                         .arg(version)
                         .arg(currentVersion());
        }
        return false;
    }
    for (int next = version + 1; next <= currentVersion(); ++next) {
        for (const QString &statement : migrations().at(next - 1)) {
            if (!db.exec(dialect(db, statement), error)) {
                db.rollback();
                return false;
            }
        }
    }
    if (version != currentVersion()) {
        const QString record = version == 0 ? u"INSERT INTO schema_version (version) VALUES (%1)"_s
                                            : u"UPDATE schema_version SET version = %1"_s;
        if (!db.exec(record.arg(currentVersion()), error)) {
            db.rollback();
            return false;
        }
    }
    if (!db.commit(error)) {
        db.rollback();
        return false;
    }
    return true;
}

} // namespace StreamSwarm::Console
