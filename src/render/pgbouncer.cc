#include "render/pgbouncer.h"

#include <fmt/format.h>

#include "common/text.h"

namespace aza::render {
std::string PgBouncerIni(const PgBouncerSettings& s) {
  std::string out = fmt::format(
      "; Rendered by aza-pg at start from the environment; edits are lost on restart.\n"
      "[databases]\n"
      "* = host={} port={}\n"
      "\n"
      "[pgbouncer]\n"
      "listen_addr = 0.0.0.0\n"
      "listen_port = {}\n"
      "unix_socket_dir =\n"
      "pidfile =\n"
      "; SCRAM only; passwords of application roles come from the server through a\n"
      "; SECURITY DEFINER lookup that never returns superusers or expired roles\n"
      "auth_type = scram-sha-256\n"
      "auth_file = {}\n"
      "auth_user = {}\n"
      "auth_query = {}\n"
      "auth_dbname = {}\n"
      "pool_mode = {}\n"
      "max_client_conn = {}\n"
      "; {}\n"
      "max_db_connections = {}\n"
      "default_pool_size = {}\n"
      "reserve_pool_size = {}\n"
      "reserve_pool_timeout = 3\n"
      "; protocol-level prepared statements work in transaction mode\n"
      "max_prepared_statements = {}\n"
      "; JDBC and others send it; PgBouncer must not refuse them for it\n"
      "ignore_startup_parameters = extra_float_digits\n"
      "server_idle_timeout = 300\n"
      "query_wait_timeout = 60\n"
      "log_connections = 0\n"
      "log_disconnections = 0\n"
      "log_pooler_errors = 1\n",
      s.db_host, s.db_port, s.listen_port, s.auth_file, s.auth_user, kAuthQuery, s.auth_dbname,
      s.pool_mode, s.max_client_conn, s.pools.rule, s.pools.max_db_connections,
      s.pools.default_pool_size, s.pools.reserve_pool_size, s.max_prepared_statements);
  if (!s.stats_password.empty()) out += fmt::format("stats_users = {}\n", s.stats_user);
  return out;
}

std::string PgBouncerAuthFile(const PgBouncerSettings& s) {
  std::string out = DoubleQuoted(s.auth_user) + " " + DoubleQuoted(s.auth_password) + "\n";
  if (!s.stats_password.empty())
    out += DoubleQuoted(s.stats_user) + " " + DoubleQuoted(s.stats_password) + "\n";
  return out;
}

}  // namespace aza::render
