// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "schema.h"

#include <array>

#include <QCoreApplication>
#include <QMap>
#include <QSqlQuery>
#include <QStringList>

#include "console/storage/database.h"
#include "console/storage/hourdays.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// A key for PostgreSQL's advisory lock that lets one program at a time migrate a shared database.
constexpr qint64 MIGRATION_LOCK = 0x5353'6d69'6772; // "SSmigr"

// SQL written once for both drivers: {ID} is the auto-numbered key, {BLOB} a byte string, {REAL} a
// double, {COMPACT} a table stored by its primary key, {INSTR} where a text holds another (0: not at
// all). A statement that starts with {SQLITE} or
// {POSTGRES} runs only on that engine (empty: skipped).
QString dialect(const Database &db, QString sql)
{
    const bool sqlite = db.isSqlite();
    for (const auto &[marker, forSqlite] : {std::pair{u"{SQLITE}"_s, true}, std::pair{u"{POSTGRES}"_s, false}}) {
        if (sql.startsWith(marker))
            sql = forSqlite == sqlite ? sql.mid(marker.size()) : QString();
    }
    sql.replace(u"{ID}"_s, sqlite ? u"INTEGER PRIMARY KEY"_s : u"BIGSERIAL PRIMARY KEY"_s);
    sql.replace(u"{BLOB}"_s, sqlite ? u"BLOB"_s : u"BYTEA"_s);
    sql.replace(u"{REAL}"_s, sqlite ? u"REAL"_s : u"DOUBLE PRECISION"_s);
    sql.replace(u"{COMPACT}"_s, sqlite ? u" WITHOUT ROWID"_s : QString());
    sql.replace(u"{INSTR}"_s, sqlite ? u"instr"_s : u"strpos"_s);
    return sql;
}

// The columns of a rollup tier's rows: a series' figures over one minute or hour starting at t.
// sketch is the distribution of a latency metric's values (LatencySketch), NULL for other metrics.
QString rollupTable(const QString &name)
{
    return u"CREATE TABLE %1 (test_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, metric_id BIGINT NOT NULL, "
           "t BIGINT NOT NULL, n BIGINT NOT NULL, total {REAL} NOT NULL, lowest {REAL} NOT NULL, "
           "highest {REAL} NOT NULL, p50 {REAL}, p95 {REAL}, p99 {REAL}, sketch {BLOB}, "
           "PRIMARY KEY (test_id, agent_id, metric_id, t)){COMPACT}"_s.arg(name);
}

// A migration step done in code: the rows of rollups_hour packed into rollups_hour_days.
const QString PACK_HOUR_ROLLUPS = u"{PACK_HOUR_ROLLUPS}"_s;

bool packHourRollups(Database &db, QString *error)
{
    // A series at a time, read whole before its days are written: PostgreSQL's driver drops a result
    // still being read when another statement runs on the connection.
    QSqlQuery series(db.connection());
    series.setForwardOnly(true);
    if (!series.exec(u"SELECT DISTINCT test_id, agent_id, metric_id FROM rollups_hour"_s))
        return db.exec(series, error);
    QList<std::array<qint64, 3>> keys;
    while (series.next())
        keys.append({series.value(0).toLongLong(), series.value(1).toLongLong(), series.value(2).toLongLong()});
    series.finish();
    QSqlQuery old(db.connection());
    old.setForwardOnly(true);
    old.prepare(u"SELECT t, n, total, lowest, highest, p50, p95, p99, sketch FROM rollups_hour WHERE test_id = ? "
                "AND agent_id = ? AND metric_id = ? ORDER BY t"_s);
    QSqlQuery insert(db.connection());
    insert.prepare(
        u"INSERT INTO rollups_hour_days (test_id, agent_id, metric_id, day, hours) VALUES (?, ?, ?, ?, ?)"_s);
    const auto optional = [&old](int column) {
        return old.value(column).isNull() ? std::nullopt : std::optional<double>(old.value(column).toDouble());
    };
    for (const auto &key : std::as_const(keys)) {
        for (int i = 0; i < 3; ++i)
            old.bindValue(i, key.at(i));
        if (!db.exec(old, error))
            return false;
        QMap<qint64, QList<RollupFigures>> days;
        while (old.next()) {
            const qint64 timeMs = old.value(0).toLongLong();
            days[HourDay::dayOf(timeMs)].append(
                RollupFigures{timeMs, old.value(1).toLongLong(), old.value(2).toDouble(), old.value(3).toDouble(),
                    old.value(4).toDouble(), optional(5), optional(6), optional(7), old.value(8).toByteArray()});
        }
        old.finish();
        for (auto day = days.cbegin(); day != days.cend(); ++day) {
            for (int i = 0; i < 3; ++i)
                insert.bindValue(i, key.at(i));
            insert.bindValue(3, day.key());
            insert.bindValue(4, HourDay::encode(day.key(), day.value()));
            if (!db.exec(insert, error))
                return false;
        }
    }
    return true;
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
        // 9: scale. Rollups per minute and per hour, kept up to date from the raw samples by the
        // console's maintenance (rollup_pending: the minutes and hours each agent's data changed in since,
        // tier 1 minute, 2 hour; marks counts the changes, so a change made while the rollup was
        // being computed is not lost). settings: site-wide values such as retention. On PostgreSQL,
        // samples become a table partitioned by day (samples_d<day since 1970>), so retention drops
        // whole days; the rows are moved across. details: failed rounds and changed routes flagged,
        // so that reports find the few among a month of rounds through an index of those alone.
        {
            u"ALTER TABLE details ADD COLUMN failed INTEGER NOT NULL DEFAULT 0"_s,
            u"ALTER TABLE details ADD COLUMN route_changed INTEGER NOT NULL DEFAULT 0"_s,
            u"UPDATE details SET failed = 1 WHERE {INSTR}(body, '\"error\":') > 0"_s,
            u"UPDATE details SET route_changed = 1 WHERE {INSTR}(body, '\"route_changed\":true') > 0"_s,
            u"CREATE INDEX details_failed ON details (test_id, agent_id, t) WHERE failed = 1"_s,
            u"CREATE INDEX details_route_changed ON details (test_id, agent_id, t) WHERE route_changed = 1"_s,
            u"CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
            rollupTable(u"rollups_minute"_s),
            u"CREATE INDEX rollups_minute_time ON rollups_minute (t)"_s,
            rollupTable(u"rollups_hour"_s),
            u"CREATE INDEX rollups_hour_time ON rollups_hour (t)"_s,
            u"CREATE TABLE rollup_pending (tier INTEGER NOT NULL, t BIGINT NOT NULL, agent_id BIGINT NOT NULL, "
            "marks BIGINT NOT NULL, PRIMARY KEY (tier, t, agent_id)){COMPACT}"_s,
            u"INSERT INTO rollup_pending (tier, t, agent_id, marks) SELECT DISTINCT 1, (t / 60000) * 60000, agent_id, "
            u"1 "
            "FROM samples"_s,
            u"{POSTGRES}ALTER TABLE samples RENAME TO samples_unpartitioned"_s,
            u"{POSTGRES}DROP INDEX samples_series"_s,
            u"{POSTGRES}DROP INDEX samples_time"_s,
            u"{POSTGRES}CREATE TABLE samples (agent_id BIGINT NOT NULL, test_id BIGINT NOT NULL, "
            "metric_id BIGINT NOT NULL, t BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL) PARTITION BY RANGE (t)"_s,
            u"{POSTGRES}CREATE INDEX samples_series ON samples (test_id, agent_id, metric_id, t)"_s,
            u"{POSTGRES}CREATE INDEX samples_time ON samples (t)"_s,
            u"{POSTGRES}DO $$ DECLARE day BIGINT; BEGIN "
            "FOR day IN SELECT DISTINCT floor(t / 86400000.0)::BIGINT FROM samples_unpartitioned LOOP "
            "EXECUTE format('CREATE TABLE %I PARTITION OF samples FOR VALUES FROM (%s) TO (%s)', "
            "'samples_d' || replace(day::TEXT, '-', 'm'), day * 86400000, (day + 1) * 86400000); "
            "END LOOP; END $$"_s,
            u"{POSTGRES}INSERT INTO samples SELECT agent_id, test_id, metric_id, t, value FROM samples_unpartitioned"_s,
            u"{POSTGRES}DROP TABLE samples_unpartitioned"_s,
        },
        // 10: hourly rollups packed a day of a series to a row (HourDay): a year of a series is 365 rows
        // to read instead of 8,760. The hours already made move across.
        {
            u"CREATE TABLE rollups_hour_days (test_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, "
            "metric_id BIGINT NOT NULL, day BIGINT NOT NULL, hours {BLOB} NOT NULL, "
            "PRIMARY KEY (test_id, agent_id, metric_id, day)){COMPACT}"_s,
            u"CREATE INDEX rollups_hour_days_day ON rollups_hour_days (day)"_s,
            PACK_HOUR_ROLLUPS,
            u"DROP TABLE rollups_hour"_s,
        },
        // 11: alerts. A rule on a test's metric; the agents in trouble under it now; each time it fired
        // (kept after the rule is gone, for the history); the notifications until they are delivered;
        // maintenance windows.
        {
            u"CREATE TABLE alert_rules (id {ID}, name TEXT NOT NULL UNIQUE, test_id BIGINT NOT NULL, "
            "metric TEXT NOT NULL, comparison TEXT NOT NULL, raise_level {REAL} NOT NULL, clear_level {REAL}, "
            "for_rounds INTEGER NOT NULL, of_rounds INTEGER NOT NULL, agents TEXT NOT NULL, "
            "min_agents INTEGER NOT NULL, severity TEXT NOT NULL, notify TEXT NOT NULL, depends_on TEXT NOT NULL, "
            "measure TEXT NOT NULL, window_rounds INTEGER NOT NULL, percentile {REAL} NOT NULL, event TEXT NOT NULL, "
            "created_at BIGINT NOT NULL)"_s,
            u"CREATE TABLE alert_troubles (rule_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, since BIGINT NOT NULL, "
            "value {REAL} NOT NULL, PRIMARY KEY (rule_id, agent_id)){COMPACT}"_s,
            u"CREATE TABLE alert_incidents (id {ID}, rule_id BIGINT NOT NULL, rule_name TEXT NOT NULL, "
            "test_name TEXT NOT NULL, metric TEXT NOT NULL, severity TEXT NOT NULL, started_at BIGINT NOT NULL, "
            "cleared_at BIGINT, acked_at BIGINT, acked_by TEXT, ack_comment TEXT, silenced_by TEXT, "
            "agents TEXT NOT NULL, value {REAL} NOT NULL, rule_text TEXT NOT NULL, diagnosis TEXT NOT NULL, "
            "notify_at BIGINT, held_by BIGINT, shared_hop TEXT NOT NULL, verdict TEXT NOT NULL)"_s,
            u"CREATE INDEX alert_incidents_started ON alert_incidents (started_at)"_s,
            u"CREATE INDEX alert_incidents_open ON alert_incidents (rule_id) WHERE cleared_at IS NULL"_s,
            u"CREATE TABLE alert_outbox (id {ID}, incident_id BIGINT NOT NULL, target TEXT NOT NULL, "
            "message TEXT NOT NULL, created_at BIGINT NOT NULL, attempts INTEGER NOT NULL, sent_at BIGINT, "
            "failure TEXT)"_s,
            u"CREATE INDEX alert_outbox_unsent ON alert_outbox (id) WHERE sent_at IS NULL AND failure IS NULL"_s,
            u"CREATE TABLE maintenance_windows (id {ID}, name TEXT NOT NULL UNIQUE, from_ms BIGINT NOT NULL, "
            "to_ms BIGINT NOT NULL, every_ms BIGINT NOT NULL, agents TEXT NOT NULL, tests TEXT NOT NULL, "
            "created_at BIGINT NOT NULL)"_s,
            // The network map: where each agent, target and hop is drawn, and its background picture.
            u"CREATE TABLE map_nodes (kind TEXT NOT NULL, name TEXT NOT NULL, x {REAL} NOT NULL, y {REAL} NOT NULL, "
            "PRIMARY KEY (kind, name))"_s,
            u"CREATE TABLE map_background (id INTEGER PRIMARY KEY, picture {BLOB} NOT NULL)"_s,
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
    // Several collectors may start at once on one PostgreSQL: one migrates, the others wait here and
    // then find the schema current. (SQLite's BEGIN IMMEDIATE below does the same for its file.)
    if (!db.isSqlite()) {
        if (!db.exec(u"SELECT pg_advisory_lock(%1)"_s.arg(MIGRATION_LOCK), error))
            return false;
        const bool done = migrateLocked(db, error);
        db.exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(MIGRATION_LOCK), nullptr);
        return done;
    }
    return migrateLocked(db, error);
}

bool Schema::migrateLocked(Database &db, QString *error)
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
            if (statement == PACK_HOUR_ROLLUPS) {
                if (!packHourRollups(db, error)) {
                    db.rollback();
                    return false;
                }
                continue;
            }
            const QString sql = dialect(db, statement);
            if (!sql.isEmpty() && !db.exec(sql, error)) {
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
