// cli/backup.h — backups and point-in-time recovery with pgBackRest: its settings from the
// environment (validated like every other variable), the configuration rendered at every
// start, and the `backup`, `backups` and `restore` subcommands. Each command runs as postgres
// and supervises pgBackRest, so docker stop reaches it.
#pragma once

#include <string>

#include "cli/config.h"
#include "cli/run_config.h"
#include "render/pgbackrest.h"
#include "supervisor/process.h"

namespace aza::cli {

// BACKUP_RETENTION_FULL (1-100, default 2), BACKUP_COMPRESS (zst, lz4, gz or none; default
// zst), BACKUP_PROCESS_MAX (1-64, default 1), BACKUP_CIPHER_PASS / _FILE (optional: the
// repository is then encrypted with aes-256-cbc). Errors name the variable.
Expected<render::PgBackRestSettings> ReadBackupSettings(const Env& env, const RunConfig& cfg);

// Writes the configuration (0600), as the postgres user.
Expected<void> WritePgBackRestConf(const render::PgBackRestSettings& s);

// Creates the stanza from pg_control (--no-online), before the postmaster starts, so that
// archive_command works from the first segment; idempotent. A failure (a repository of
// another cluster, an unwritable one) is logged as a warning: the server starts and keeps its
// WAL until it can be archived.
void CreateStanza(const Env& env, const RunConfig& cfg, supervisor::Supervisor& sup);

// What `restore` recovers to: the end of the archived WAL, or a point named by its kind.
struct RestoreTarget {
  std::string type;   // "" (latest), time, lsn, xid or name: pgBackRest's --type
  std::string value;  // its --target
};

// Parses "latest", "time:2026-12-07 10:00:00+00", "lsn:0/3000060", "xid:1234",
// "name:before-migration". Errors name the flag.
Expected<RestoreTarget> ParseRestoreTarget(const std::string& text);

int RunBackup(const std::string& type);
int RunBackups();
int RunRestore(const std::string& target);

}  // namespace aza::cli
