// cli/run_config.h — every variable the entrypoint reads, validated before any data is
// touched: the official image's POSTGRES_* (each also as *_FILE; both set is an error),
// DISABLE_DATA_CHECKSUMS / POSTGRES_SKIP_AUTOCONFIG / POSTGRES_MEMORY / POSTGRES_CPUS, the
// stack's role names and passwords. Every *_FILE is resolved here, once: init scripts get
// plain variables. Pure apart from reading the *_FILE files. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bootstrap/replica.h"
#include "cli/config.h"

namespace aza::cli {

struct RunConfig {
  std::string pgdata;
  std::string user = "postgres";
  std::string database;                 // default: the user's name, as in the official image
  std::optional<std::string> password;  // required only to initialize
  std::vector<std::string> initdb_args;
  bool checksums = true;
  bool ignore_old_data = false;  // POSTGRES_IGNORE_OLD_DATA
  AutoConfig autoconfig;
  // The environment init scripts see: every *_FILE replaced by its variable's value, the
  // official image's POSTGRES_USER / POSTGRES_DB / POSTGRES_PASSWORD always set.
  std::vector<std::string> script_env;
};

// Reads one secret-capable variable: NAME or NAME_FILE (the file's content without one
// trailing newline). Both set is an error; so is an unreadable file or a directory.
Expected<std::optional<std::string>> ReadSecret(const Env& env, const std::string& name);

// Checks a role or database name as PostgreSQL takes a quoted identifier (1 to 63 bytes),
// refusing what aza-pg or PostgreSQL reserve: roles named pg_*, the template databases, and
// in the bootstrap superuser's name the characters PostgreSQL 18 refuses there (" $ ' \).
enum class NameKind { kSuperuser, kRole, kDatabase };
Expected<void> CheckName(std::string_view variable, const std::string& value, NameKind kind);

// Checks a replication slot name as PostgreSQL does: a-z, 0-9 and _, at most 63.
Expected<void> CheckSlotName(std::string_view variable, const std::string& value);

// Validates the whole environment. Errors are one line naming the variable and value
// (never the value of a password).
Expected<RunConfig> ReadRunConfig(const Env& env);

// Replica mode: nullopt when PRIMARY_HOST is unset (not a replica). Errors name the variable.
Expected<std::optional<bootstrap::ReplicaConfig>> ReadReplicaConfig(const Env& env);

// The environment for PostgreSQL itself: everything except passwords and their _FILE paths.
std::vector<std::string> ServerEnv(const Env& env);

}  // namespace aza::cli
