// bootstrap/init.h — the first start of an empty data directory: initdb (password through a
// pipe, never argv or disk) -> a configuration check -> a temporary server on a private
// Unix socket (invisible to pg_isready and every client on the usual socket) ->
// /docker-entrypoint-initdb.d/* in lexical order -> fast stop -> the "initialized" marker.
//
// A mistake is undone while only aza-pg has written: if initdb, the configuration check, the
// temporary server or CREATE DATABASE fails, everything initdb created is removed again, so a
// corrected retry simply works. Once an init script has started the directory is kept
// without the marker, its kInitializingFile naming the script that failed, and later starts
// refuse it (the official image silently starts half-initialized volumes:
// docker-library/postgres#891).
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "supervisor/process.h"

namespace aza::bootstrap {

struct InitSpec {
  std::string pgdata;
  std::string user;
  std::string database;
  std::string password;
  bool checksums = true;
  std::vector<std::string> initdb_args;  // extra, from POSTGRES_INITDB_ARGS
  std::vector<std::string> server_argv;  // postgres -D ... and every -c flag
  std::string command_args;              // the operator's part of server_argv, for messages
  std::vector<std::string> server_env;   // environment without secrets
  std::vector<std::string> script_env;   // resolved environment for init scripts
  std::string scripts_dir = "/docker-entrypoint-initdb.d";
  std::string port = "5432";
};

struct InitFailure {
  Error error;  // kInvalidInput when an input the operator gave is to blame
  bool undone;  // true: PGDATA holds nothing initdb wrote; false: kept and refused later
};
using InitResult = tl::expected<void, InitFailure>;

// Writes and fsyncs the marker: the data directory is complete.
Expected<void> WriteMarker(const std::string& pgdata);

// Runs the whole first start; on failure the temporary server is stopped and no marker is
// written. `sup` decides what a stop request does to each step.
InitResult Initialize(const InitSpec& spec, supervisor::Supervisor& sup);

}  // namespace aza::bootstrap
