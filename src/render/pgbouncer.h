// render/pgbouncer.h — pgbouncer.ini and its auth file, rendered from validated settings.
// No password ever appears in the ini; the auth file holds the auth user's and the stats
// user's passwords (PgBouncer needs the auth user's in plain text: pgbouncer#1186).
#pragma once

#include <string>

#include "tune/pgbouncer.h"

namespace aza::render {

struct PgBouncerSettings {
  std::string db_host = "postgres";
  int db_port = 5432;
  int listen_port = 6432;
  std::string pool_mode = "transaction";
  int max_client_conn = 1000;
  int max_prepared_statements = 200;
  std::string auth_user = "pgbouncer_auth";
  std::string auth_password;
  std::string auth_dbname = "postgres";
  std::string stats_user = "pgbouncer_stats";
  std::string stats_password;  // empty: no stats user
  std::string auth_file = "/run/pgbouncer/userlist.txt";
  tune::Pools pools;
};

// The lookup query; the function is installed by
// stacks/primary/configs/initdb/03-pgbouncer-auth.sh.
inline constexpr char kAuthQuery[] = "SELECT uname, phash FROM pgbouncer.user_lookup($1)";

std::string PgBouncerIni(const PgBouncerSettings& s);

// userlist.txt: "user" "password" lines, double quotes doubled.
std::string PgBouncerAuthFile(const PgBouncerSettings& s);

}  // namespace aza::render
