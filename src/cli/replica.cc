#include "cli/replica.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/run_config.h"
#include "common/log.h"
#include "common/text.h"
#include "health/health.h"

namespace aza::cli {
namespace {

// Between two attempts to reach the primary.
constexpr std::chrono::seconds kRetryInterval{2};

std::string Var(const Env& env, const std::string& name, const std::string& fallback) {
  const auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

void EmptyDirectory(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::filesystem::remove_all(e.path(), ec);
  }
}

}  // namespace

Expected<std::optional<ReplicaConfig>> ReadReplicaConfig(const Env& env) {
  ReplicaConfig c;
  c.primary_host = Var(env, "PRIMARY_HOST", "");
  if (c.primary_host.empty()) return std::optional<ReplicaConfig>();
  c.primary_port = Var(env, "PRIMARY_PORT", c.primary_port);
  const auto port = ParseUint(c.primary_port);
  if (!port || *port == 0 || *port > 65535) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("PRIMARY_PORT='{}': expected a port number", c.primary_port));
  }
  c.slot = Var(env, "REPLICATION_SLOT_NAME", c.slot);
  if (auto r = CheckSlotName("REPLICATION_SLOT_NAME", c.slot); !r) {
    return tl::unexpected(r.error());
  }
  auto password = ReadSecret(env, "REPLICATION_PASSWORD");
  if (!password) return tl::unexpected(password.error());
  if (!*password) {
    return Fail(ErrorCode::kInvalidInput,
                "REPLICATION_PASSWORD or REPLICATION_PASSWORD_FILE is required with PRIMARY_HOST");
  }
  c.password = **password;
  const auto wait = ParseUint(Var(env, "REPLICA_WAIT_SECONDS", "120"));
  if (!wait || *wait > 86400) {
    return Fail(ErrorCode::kInvalidInput, "REPLICA_WAIT_SECONDS: expected seconds up to 86400");
  }
  c.wait_seconds = static_cast<int>(*wait);
  return std::optional<ReplicaConfig>(c);
}

PrimaryMinimums ParseControlData(const std::string& text) {
  PrimaryMinimums m;
  const std::pair<const char*, int*> fields[] = {
      {"max_connections setting", &m.max_connections},
      {"max_worker_processes setting", &m.max_worker_processes},
      {"max_wal_senders setting", &m.max_wal_senders},
      {"max_prepared_xacts setting", &m.max_prepared_transactions},
      {"max_locks_per_xact setting", &m.max_locks_per_transaction},
  };
  for (const std::string_view line : Split(text, '\n')) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = Trim(line.substr(0, colon));
    for (const auto& [name, field] : fields) {
      if (key == name) {
        if (const auto v = ParseUint(Trim(line.substr(colon + 1)))) *field = static_cast<int>(*v);
      }
    }
  }
  return m;
}

Expected<PrimaryMinimums> ReadPrimaryMinimums(const std::string& pgdata,
                                              const std::vector<std::string>& env,
                                              supervisor::Supervisor& sup) {
  supervisor::SpawnSpec s;
  s.argv = {"pg_controldata", pgdata};
  s.env = env;
  s.env.emplace_back("LC_ALL=C");  // the labels parsed above are the untranslated ones
  auto out = supervisor::RunCapture(s, sup);
  if (!out) return tl::unexpected(out.error());
  return ParseControlData(*out);
}

Expected<void> CloneFromPrimary(const ReplicaConfig& cfg, const std::string& pgdata,
                                const std::vector<std::string>& env, supervisor::Supervisor& sup) {
  const std::string where = cfg.primary_host + ":" + cfg.primary_port;
  const health::ConnParams p{{"host", cfg.primary_host},
                             {"port", cfg.primary_port},
                             {"user", cfg.user},
                             {"password", cfg.password},
                             {"dbname", "postgres"},
                             {"connect_timeout", "3"},
                             {"application_name", "aza-pg-replica-check"}};
  const int attempts = std::max(1, cfg.wait_seconds / static_cast<int>(kRetryInterval.count()));
  for (int i = 1;; ++i) {
    auto ok = health::QueryValue(p, "SELECT 1");
    if (ok) break;
    const std::string& m = ok.error().message;
    if (m.find("password authentication failed") != std::string::npos) {
      return Fail(ErrorCode::kState,
                  fmt::format("the primary {} rejected REPLICATION_PASSWORD for role {}: set the "
                              "same value as on the primary",
                              where, cfg.user));
    }
    if (i >= attempts) {
      return Fail(ErrorCode::kState, fmt::format("the primary {} did not answer within {} s: {}",
                                                 where, cfg.wait_seconds, m));
    }
    Log(fmt::format("waiting for the primary {} (attempt {}/{}): {}", where, i, attempts, m));
    if (!sup.Sleep(kRetryInterval)) {
      return Fail(ErrorCode::kState,
                  fmt::format("stopped while waiting for the primary {}", where));
    }
  }

  Log(fmt::format("cloning from {} with pg_basebackup (slot {}, WAL streamed)", where, cfg.slot));
  supervisor::SpawnSpec s;
  s.argv = {"pg_basebackup",
            "--pgdata=" + pgdata,
            "--host=" + cfg.primary_host,
            "--port=" + cfg.primary_port,
            "--username=" + cfg.user,
            "--slot=" + cfg.slot,
            "--wal-method=stream",
            "--checkpoint=fast",
            "--write-recovery-conf",
            "--no-password"};
  s.env = env;
  s.env.push_back("PGPASSWORD=" + cfg.password);
  s.env.push_back("PGAPPNAME=" + cfg.slot);
  auto pid = supervisor::Spawn(s);
  if (!pid) return tl::unexpected(pid.error());
  const supervisor::ExitStatus st = sup.Wait(*pid);
  if (!st.Success() || sup.phase() != supervisor::Phase::kRunning) {
    EmptyDirectory(pgdata);
    return Fail(ErrorCode::kState,
                fmt::format("pg_basebackup from {} failed with exit code {}; the data directory "
                            "was emptied again",
                            where, st.ShellCode()));
  }
  return {};
}

}  // namespace aza::cli
