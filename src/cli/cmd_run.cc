// `aza-pg run -- postgres [args]`: the image's ENTRYPOINT and PID 1. Reads like its steps:
// validate -> size -> refuse data it must not start on (or beside) -> prepare as root, drop
// privileges -> tune -> initialize an empty data directory -> start the postmaster ->
// supervise until it exits.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "bootstrap/init.h"
#include "bootstrap/layout.h"
#include "bootstrap/replica.h"
#include "cli/backup.h"
#include "cli/commands.h"
#include "cli/run_config.h"
#include "common/log.h"
#include "health/health.h"
#include "probe/root.h"
#include "render/render.h"
#include "supervisor/privileges.h"
#include "supervisor/process.h"
#include "tune/tune.h"

namespace aza::cli {
namespace {

// The official image's convention: no arguments or a leading flag means "postgres ...".
std::vector<std::string> NormalizeCommand(std::vector<std::string> args) {
  if (args.empty() || args[0].rfind('-', 0) == 0) args.insert(args.begin(), "postgres");
  return args;
}

// Flags with which postgres only prints and exits, as the official image treats them: run
// as given, before any data directory is looked at.
bool Informational(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-?" || a == "--version" || a == "-V" || a == "--describe-config" ||
        a == "-C") {
      return true;
    }
  }
  return false;
}

// Anything other than postgres runs as is, in place of this process (bash, psql, ...).
int ExecOther(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  const int err = errno;
  Log(fmt::format("cannot run {}: {}", args[0], std::strerror(err)));
  return supervisor::ExecFailureCode(err);
}

// With auto-config off, a standby still needs at least the primary's values of these
// (PostgreSQL refuses to start otherwise); with it on, the tuner takes them as an option.
std::vector<std::string> MinimumFlags(const tune::PrimaryMinimums& m) {
  std::vector<std::string> out;
  for (const auto& [name, value] :
       {std::pair{"max_wal_senders", m.max_wal_senders},
        std::pair{"max_prepared_transactions", m.max_prepared_transactions},
        std::pair{"max_locks_per_transaction", m.max_locks_per_transaction}}) {
    if (value > 0) {
      out.emplace_back("-c");
      out.push_back(fmt::format("{}={}", name, value));
    }
  }
  return out;
}

// What to size for, validated before anything is written: nullopt with auto-config off.
Expected<std::optional<probe::Resources>> Size(const RunConfig& cfg) {
  if (cfg.autoconfig.skip) return std::optional<probe::Resources>();
  auto r = ResolveResources(SizingFlags{}, cfg.autoconfig);
  if (!r) return tl::unexpected(r.error());
  if (auto ok = CheckStartable(*r); !ok) return tl::unexpected(ok.error());
  return std::optional<probe::Resources>(std::move(*r));
}

std::vector<std::string> TunedFlags(const std::optional<probe::Resources>& r,
                                    const std::optional<tune::PrimaryMinimums>& primary) {
  if (!r) {
    Log("auto-config skipped (POSTGRES_SKIP_AUTOCONFIG=true): using the configuration files");
    return primary ? MinimumFlags(*primary) : std::vector<std::string>{};
  }
  for (const probe::Warning& w : r->warnings) Log("warning: " + w.text);
  tune::Options options;
  if (primary) {
    options.primary = *primary;
    Log(fmt::format(
        "replica: the primary requires max_connections>={} max_worker_processes>={} "
        "max_wal_senders>={} max_prepared_transactions>={} max_locks_per_transaction>={}",
        primary->max_connections, primary->max_worker_processes, primary->max_wal_senders,
        primary->max_prepared_transactions, primary->max_locks_per_transaction));
  }
  const tune::Tuning t = tune::Tune(TuneInputs(*r), options);
  for (const std::string& w : t.warnings) Log("warning: " + w);
  Log(render::DetectedLogLine(*r));
  Log(render::TunedLogLine(t));
  return render::Flags(t);
}

// Refuses, before anything is written, a PGDATA this image must not start on or beside.
// Returns the exit code, or nullopt to go on.
std::optional<int> RefuseLayout(const RunConfig& cfg, bootstrap::DataState state) {
  const probe::Root root("/");
  std::vector<std::string> lines;
  int code = kExitUsage;
  if (state == bootstrap::DataState::kEmpty) {
    if (!cfg.ignore_old_data) lines = bootstrap::FindStrandedData(root, cfg.pgdata);
  } else {
    lines = bootstrap::RefuseExisting(root, cfg.pgdata, state);
    if (bootstrap::ClusterMajor(root, cfg.pgdata) == bootstrap::kServerMajor) code = kExitFailure;
  }
  if (lines.empty()) return std::nullopt;
  Log("error: " + lines[0]);
  for (std::size_t i = 1; i < lines.size(); ++i) Log(lines[i]);
  return code;
}

// A replica's data comes from the primary (no initdb, no init scripts): clone an empty
// directory, then read the settings the primary requires from pg_control.
Expected<tune::PrimaryMinimums> PrepareReplica(const bootstrap::ReplicaConfig& replica,
                                               const std::string& pgdata,
                                               bootstrap::DataState state, const Env& env,
                                               supervisor::Supervisor& sup) {
  if (state == bootstrap::DataState::kEmpty) {
    if (auto r = bootstrap::CloneFromPrimary(replica, pgdata, ServerEnv(env), sup); !r) {
      return tl::unexpected(r.error());
    }
    if (auto r = bootstrap::WriteMarker(pgdata); !r) return tl::unexpected(r.error());
    Log("replica: cloned from the primary; marker written");
  }
  return bootstrap::ReadPrimaryMinimums(pgdata, ServerEnv(env), sup);
}

// A primary's first start: initdb, init scripts on a private-socket server, the marker.
// Returns the exit code of a failure, or nullopt.
std::optional<int> InitializePrimary(const RunConfig& cfg, const std::vector<std::string>& server,
                                     const std::vector<std::string>& command, const Env& env,
                                     supervisor::Supervisor& sup) {
  bootstrap::InitSpec spec;
  spec.pgdata = cfg.pgdata;
  spec.user = cfg.user;
  spec.database = cfg.database;
  spec.password = *cfg.password;
  spec.checksums = cfg.checksums;
  spec.initdb_args = cfg.initdb_args;
  spec.server_argv = server;
  for (const std::string& a : command)
    spec.command_args += (spec.command_args.empty() ? "" : " ") + a;
  spec.server_env = ServerEnv(env);
  spec.script_env = cfg.script_env;
  const bootstrap::InitResult r = bootstrap::Initialize(spec, sup);
  if (r) {
    return sup.phase() == supervisor::Phase::kRunning ? std::nullopt
                                                      : std::optional<int>(kExitFailure);
  }
  const Error& e = r.error().error;
  if (r.error().undone) {
    Log(
        fmt::format("error: the first start failed: {}; nothing was kept ({} is as it was before "
                    "initdb): correct it and start again",
                    e.message, cfg.pgdata));
    return e.code == ErrorCode::kInvalidInput ? kExitUsage : kExitFailure;
  }
  Log(
      fmt::format("error: the first start failed: {}; {} is kept without the '{}' marker and "
                  "later starts refuse it (remove the volume to start over)",
                  e.message, cfg.pgdata, bootstrap::kMarkerFile));
  return kExitFailure;
}

}  // namespace

int RunEntrypoint(const std::vector<std::string>& command) {
  const Env env = ProcessEnv();
  auto cfg = ReadRunConfig(env);
  if (!cfg) return ExitWith(cfg.error());
  auto replica = ReadReplicaConfig(env);
  if (!replica) return ExitWith(replica.error());
  auto backups = ReadBackupSettings(env, *cfg);
  if (!backups) return ExitWith(backups.error());
  const std::vector<std::string> args = NormalizeCommand(command);
  if (args[0] != "postgres" || Informational(args)) return ExecOther(args);

  supervisor::BlockSignals();
  auto resources = Size(*cfg);
  if (!resources) return ExitWith(resources.error());
  const bootstrap::DataState state = bootstrap::InspectDataDirectory(probe::Root("/"), cfg->pgdata);
  if (const auto refused = RefuseLayout(*cfg, state)) return *refused;
  if (state == bootstrap::DataState::kEmpty && !*replica && !cfg->password) {
    return ExitWith({ErrorCode::kInvalidInput,
                     "POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required to initialize an "
                     "empty data directory"});
  }
  if (auto r = PrepareAsRoot(cfg->pgdata); !r) return ExitWith(r.error());
  if (auto r = WritePgBackRestConf(*backups); !r) return ExitWith(r.error());

  supervisor::Supervisor sup;
  std::optional<tune::PrimaryMinimums> primary;
  if (*replica) {
    auto minimums = PrepareReplica(**replica, cfg->pgdata, state, env, sup);
    if (!minimums && sup.phase() != supervisor::Phase::kRunning) {
      Log(minimums.error().message);
      return kExitOk;  // docker stop while waiting: nothing ran, nothing failed
    }
    if (!minimums) return ExitWith(minimums.error());
    primary = *minimums;
  }

  // postgres -D PGDATA, tuned flags, then the user's own arguments so that theirs win.
  std::vector<std::string> server = {"postgres", "-D", cfg->pgdata};
  const std::vector<std::string> tuned = TunedFlags(*resources, primary);
  server.insert(server.end(), tuned.begin(), tuned.end());
  server.insert(server.end(), args.begin() + 1, args.end());

  if (!*replica && state == bootstrap::DataState::kEmpty) {
    const std::vector<std::string> given(args.begin() + 1, args.end());
    if (const auto failed = InitializePrimary(*cfg, server, given, env, sup)) return *failed;
  }

  if (!*replica) CreateStanza(env, *cfg, sup);

  supervisor::SpawnSpec postmaster;
  postmaster.argv = server;
  postmaster.env = ServerEnv(env);
  auto pid = sup.Spawn(postmaster);
  if (!pid) return ExitWith(pid.error());
  Log(fmt::format("postmaster started (pid {})", *pid));
  const supervisor::ExitStatus st = sup.Wait(*pid);
  Log(fmt::format("postmaster exited with code {}", st.ShellCode()));
  return st.ShellCode();
}

int RunHealthcheck() {
  const Env env = ProcessEnv();
  auto cfg = ReadRunConfig(env);
  if (!cfg) return ExitWith(cfg.error());
  if (bootstrap::InspectDataDirectory(probe::Root("/"), cfg->pgdata) !=
      bootstrap::DataState::kInitialized) {
    std::puts("unhealthy: initializing (no marker yet)");
    return kExitFailure;
  }
  const auto port = env.find("PGPORT");
  health::ConnParams p{
      {"host", "127.0.0.1"},    {"port", port == env.end() ? "5432" : port->second},
      {"user", cfg->user},      {"dbname", cfg->database},
      {"connect_timeout", "3"}, {"application_name", "aza-pg-healthcheck"}};
  if (cfg->password) p["password"] = *cfg->password;
  auto role = health::QueryValue(
      p,
      "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 'primary' WHEN EXISTS (SELECT 1 FROM "
      "pg_stat_wal_receiver WHERE status = 'streaming') THEN 'streaming' ELSE 'recovering' END");
  if (!role) {
    std::printf("unhealthy: %s\n", role.error().message.c_str());
    return kExitFailure;
  }
  if (*role == "recovering") {
    std::puts("unhealthy: in recovery, WAL receiver not streaming");
    return kExitFailure;
  }
  std::printf("healthy: %s, accepting queries on 127.0.0.1:%s\n", role->c_str(), p["port"].c_str());
  return kExitOk;
}

}  // namespace aza::cli
