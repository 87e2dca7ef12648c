// `aza-pg pgbouncer`: the pgbouncer image's entrypoint. Validates its environment, checks the
// auth user's password and the lookup function against PostgreSQL (the guide's "password
// must match or auth fails silently" becomes a clear error here), sizes the pools from the
// server's max_connections, renders pgbouncer.ini and the auth file (0600), drops to the
// pgbouncer user and supervises PgBouncer: SIGTERM -> SIGINT, PgBouncer's safe shutdown.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "bootstrap/server.h"
#include "cli/commands.h"
#include "cli/run_config.h"
#include "common/log.h"
#include "common/text.h"
#include "health/health.h"
#include "render/pgbouncer.h"
#include "supervisor/privileges.h"
#include "supervisor/process.h"

namespace aza::cli {
namespace {

constexpr char kRunDir[] = "/run/pgbouncer";
// How long to wait for PostgreSQL to accept the auth user before giving up.
constexpr std::chrono::seconds kServerWait{120};
// File descriptors PgBouncer needs beyond one per client and one per server connection.
constexpr std::uint64_t kSpareFds = 64;

Expected<render::PgBouncerSettings> ReadSettings(const Env& env) {
  render::PgBouncerSettings s;
  auto auth = ReadSecret(env, "PGBOUNCER_AUTH_PASS");
  if (!auth) return tl::unexpected(auth.error());
  if (!*auth) {
    return Fail(ErrorCode::kInvalidInput,
                "PGBOUNCER_AUTH_PASS or PGBOUNCER_AUTH_PASS_FILE is required (the password of "
                "the pgbouncer_auth role created by 03-pgbouncer-auth.sh)");
  }
  s.auth_password = **auth;
  auto stats = ReadSecret(env, "PGBOUNCER_STATS_PASS");
  if (!stats) return tl::unexpected(stats.error());
  if (*stats) s.stats_password = **stats;
  s.db_host = Var(env, "DB_HOST", s.db_host);
  s.pool_mode = Var(env, "PGBOUNCER_POOL_MODE", s.pool_mode);
  if (s.pool_mode != "transaction" && s.pool_mode != "session" && s.pool_mode != "statement") {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("PGBOUNCER_POOL_MODE='{}': expected transaction, session or statement",
                            s.pool_mode));
  }
  for (auto [name, field, lo, hi] :
       {std::tuple{"DB_PORT", &s.db_port, 1, 65535},
        std::tuple{"PGBOUNCER_MAX_CLIENT_CONN", &s.max_client_conn, 10, 100000},
        std::tuple{"PGBOUNCER_MAX_PREPARED_STATEMENTS", &s.max_prepared_statements, 0, 100000}}) {
    auto v = IntVar(env, name, *field, lo, hi);
    if (!v) return tl::unexpected(v.error());
    *field = *v;
  }
  return s;
}

// Connects as the auth user, proves the password and the lookup function, and reads what
// the pool sizes derive from. Retries while the server is starting; a wrong password, a
// missing role or a missing function is final.
Expected<tune::PoolInputs> AskServer(const render::PgBouncerSettings& s,
                                     supervisor::Supervisor& sup) {
  const health::ConnParams p{{"host", s.db_host},
                             {"port", std::to_string(s.db_port)},
                             {"dbname", s.auth_dbname},
                             {"user", s.auth_user},
                             {"password", s.auth_password},
                             {"connect_timeout", "3"},
                             {"application_name", "aza-pg-pgbouncer-check"}};
  const std::string sql =
      "SELECT concat_ws(',', current_setting('max_connections'), "
      "current_setting('superuser_reserved_connections'), current_setting('reserved_connections'), "
      "(SELECT count(*) FROM pgbouncer.user_lookup('pgbouncer_auth')))";
  const std::string where = fmt::format("{}:{}", s.db_host, s.db_port);
  // SQLSTATEs of a missing lookup function or schema (42883 undefined_function, 3F000
  // invalid_schema_name); a missing role or a wrong password fail the connection, which
  // libpq reports by message only.
  const bootstrap::ServerWait wait{"PostgreSQL at " + where,
                                   kServerWait,
                                   {"42883", "3F000"},
                                   {"password authentication failed", "does not exist"}};
  auto row = bootstrap::AskWhenReady(p, sql, wait, sup);
  if (!row) {
    const std::string& m = row.error().message;
    if (m.find("password authentication failed") != std::string::npos) {
      return Fail(ErrorCode::kState,
                  fmt::format("PGBOUNCER_AUTH_PASS does not match the password of role {} on {} "
                              "(set the same value for the postgres and pgbouncer services)",
                              s.auth_user, where));
    }
    if (!row.error().sqlstate.empty() || m.find("does not exist") != std::string::npos) {
      return Fail(ErrorCode::kState,
                  fmt::format("{} on {}: {} (03-pgbouncer-auth.sh runs only when the data "
                              "directory is first initialized)",
                              s.auth_user, where, m));
    }
    return tl::unexpected(row.error());
  }
  const auto f = Split(*row, ',');
  tune::PoolInputs in;
  if (f.size() == 4) {
    in.max_connections = static_cast<int>(ParseUint(f[0]).value_or(100));
    in.superuser_reserved_connections = static_cast<int>(ParseUint(f[1]).value_or(3));
    in.reserved_connections = static_cast<int>(ParseUint(f[2]).value_or(0));
  }
  return in;
}

}  // namespace

int RunPgBouncer() {
  const Env env = ProcessEnv();
  auto settings = ReadSettings(env);
  if (!settings) return ExitWith(settings.error());
  supervisor::BlockSignals();
  supervisor::Supervisor sup;

  auto server = AskServer(*settings, sup);
  if (!server && sup.phase() != supervisor::Phase::kRunning) {
    Log(server.error().message);
    return kExitOk;  // docker stop while waiting: nothing ran, nothing failed
  }
  if (!server) return ExitWith(server.error());
  if (auto size = IntVar(env, "PGBOUNCER_DEFAULT_POOL_SIZE", 0, 1, 10000); !size) {
    return ExitWith(size.error());
  } else if (*size > 0) {
    server->default_pool_size = *size;
  }
  settings->pools = tune::SizePools(*server);
  Log("pools: " + settings->pools.rule);

  const std::uint64_t fds = static_cast<std::uint64_t>(settings->max_client_conn) +
                            static_cast<std::uint64_t>(settings->pools.max_db_connections) +
                            kSpareFds;
  if (auto r = supervisor::EnsureOpenFiles(fds); !r) return ExitWith(r.error());
  if (geteuid() == 0) {
    auto account = supervisor::LookupAccount("pgbouncer");
    if (!account) return ExitWith(account.error());
    if (auto r = supervisor::OwnDirectory(kRunDir, *account, 0700); !r) return ExitWith(r.error());
    if (auto r = supervisor::DropTo(*account); !r) return ExitWith(r.error());
  }
  const std::string ini = std::string(kRunDir) + "/pgbouncer.ini";
  settings->auth_file = std::string(kRunDir) + "/userlist.txt";
  if (auto r = WritePrivate(settings->auth_file, render::PgBouncerAuthFile(*settings)); !r) {
    return ExitWith(r.error());
  }
  if (auto r = WritePrivate(ini, render::PgBouncerIni(*settings)); !r) return ExitWith(r.error());

  supervisor::SpawnSpec spec;
  spec.argv = {"pgbouncer", ini};
  spec.env = ServerEnv(env);
  auto pid = sup.Spawn(spec);
  if (!pid) return ExitWith(pid.error());
  Log(fmt::format("pgbouncer started (pid {}), {} mode on :{}, max_client_conn {}", *pid,
                  settings->pool_mode, settings->listen_port, settings->max_client_conn));
  const supervisor::ExitStatus st = sup.Wait(*pid);
  Log(fmt::format("pgbouncer exited with code {}", st.ShellCode()));
  return st.ShellCode();
}

int RunPgBouncerHealthcheck() {
  const Env env = ProcessEnv();
  auto settings = ReadSettings(env);
  if (!settings) return ExitWith(settings.error());
  // Through a regular database, never the admin console (the guide's gotcha 5).
  const health::ConnParams p{{"host", "127.0.0.1"},
                             {"port", std::to_string(settings->listen_port)},
                             {"dbname", settings->auth_dbname},
                             {"user", settings->auth_user},
                             {"password", settings->auth_password},
                             {"connect_timeout", "3"}};
  auto v = health::QueryValue(p, "SELECT 1");
  if (!v) {
    std::printf("unhealthy: %s\n", v.error().message.c_str());
    return kExitFailure;
  }
  std::printf("healthy: pgbouncer answers queries on 127.0.0.1:%d\n", settings->listen_port);
  return kExitOk;
}

}  // namespace aza::cli
