// cli/commands.h — one function per subcommand; each validates its inputs, calls the
// modules and returns the process exit code. Only cli wires probe, tune and render together.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"

namespace aza::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;  // bad input or usage: one line on stderr

// Logs "error: <message>" and returns the exit code for it: 2 for invalid input, else 1.
int ExitWith(const Error& e);

// As root: PGDATA (0700), the socket directory and pgBackRest's directories belong to
// postgres, then the process becomes postgres for good. As any other user (docker run
// --user): PGDATA must be writable.
Expected<void> PrepareAsRoot(const std::string& pgdata);

// Writes `body` to `path`, readable and writable by this process's user only (0600).
Expected<void> WritePrivate(const std::string& path, const std::string& body);

struct CommandArgs {
  SizingFlags sizing;
  bool json = false;
  std::string format = "flags";
  std::string max_connections;  // empty = derived
};

int RunDetect(const CommandArgs& args);
int RunTune(const CommandArgs& args);
int RunVersion();

// The container entrypoint (PID 1): `command` is what follows `run --`.
int RunEntrypoint(const std::vector<std::string>& command);

// Healthy only when the marker exists and a query answers over TCP on 127.0.0.1.
int RunHealthcheck();

// The pgbouncer image's entrypoint, and its healthcheck through a regular database.
int RunPgBouncer();
int RunPgBouncerHealthcheck();

}  // namespace aza::cli
