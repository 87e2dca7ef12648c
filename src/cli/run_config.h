// cli/run_config.h — every variable the entrypoint reads, validated before any data is
// touched: the official image's POSTGRES_* (each also as *_FILE; both set is an error) and
// the guide's DISABLE_DATA_CHECKSUMS / POSTGRES_SKIP_AUTOCONFIG / POSTGRES_MEMORY /
// POSTGRES_CPUS. Pure apart from reading the *_FILE files. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"

namespace aza::cli {

struct RunConfig {
  std::string pgdata;
  std::string user = "postgres";
  std::string database;                 // default: the user's name, as in the official image
  std::optional<std::string> password;  // required only to initialize
  std::vector<std::string> initdb_args;
  bool checksums = true;
  AutoConfig autoconfig;
};

// Reads one secret-capable variable: NAME or NAME_FILE (the file's content without one
// trailing newline). Both set is an error; so is an unreadable file.
Expected<std::optional<std::string>> ReadSecret(const Env& env, const std::string& name);

// Validates the whole environment. Errors are one line naming the variable and value
// (never the value of a password).
Expected<RunConfig> ReadRunConfig(const Env& env);

// The environment for PostgreSQL itself: everything except passwords and their _FILE paths.
std::vector<std::string> ServerEnv(const Env& env);

// The environment for init scripts: all of it (stack scripts need their own secrets).
std::vector<std::string> ScriptEnv(const Env& env);

}  // namespace aza::cli
