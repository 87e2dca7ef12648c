// supervisor/init.h — the first start of an empty data directory, fail-closed:
// initdb (password through a pipe, never argv or disk) -> a temporary server on the Unix
// socket only -> /docker-entrypoint-initdb.d/* in lexical order -> fast stop -> the
// "initialized" marker. A data directory without the marker is refused on later starts
// (the official image silently starts half-initialized volumes: docker-library/postgres#891).
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "supervisor/process.h"

namespace aza::supervisor {

inline constexpr char kMarkerFile[] = "aza-pg.initialized";

enum class DataState { kEmpty, kInitialized, kHalfInitialized };

// Looks at PGDATA: no PG_VERSION -> empty; PG_VERSION and the marker -> initialized;
// PG_VERSION without the marker -> a first start that did not finish.
DataState InspectDataDirectory(const std::string& pgdata);

struct InitSpec {
  std::string pgdata;
  std::string user;
  std::string database;
  std::string password;
  bool checksums = true;
  std::vector<std::string> initdb_args;  // extra, from POSTGRES_INITDB_ARGS
  std::vector<std::string> server_argv;  // postgres -D ... and every -c flag
  std::vector<std::string> server_env;   // environment without secrets
  std::vector<std::string> script_env;   // full environment for init scripts
  std::string scripts_dir = "/docker-entrypoint-initdb.d";
  std::string socket_dir = "/var/run/postgresql";
  std::string port = "5432";
};

// Writes and fsyncs the marker: the data directory is complete.
Expected<void> WriteMarker(const std::string& pgdata);

// Runs the whole first start. On any failure the temporary server is stopped, no marker is
// written, and the error says which step failed.
Expected<void> Initialize(const InitSpec& spec, Supervisor& sup);

}  // namespace aza::supervisor
