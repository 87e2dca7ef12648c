#include "bootstrap/replica.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "bootstrap/layout.h"
#include "bootstrap/server.h"
#include "common/log.h"
#include "common/text.h"
#include "health/health.h"

namespace aza::bootstrap {
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
  const ServerWait wait{"the primary " + where,
                        std::chrono::seconds(cfg.wait_seconds),
                        {},
                        {"password authentication failed"}};
  if (auto ok = AskWhenReady(p, "SELECT 1", wait, sup); !ok) {
    if (ok.error().message.find("password authentication failed") == std::string::npos) {
      return tl::unexpected(ok.error());
    }
    return Fail(ErrorCode::kState,
                fmt::format("the primary {} rejected REPLICATION_PASSWORD for role {}: set the "
                            "same value as on the primary",
                            where, cfg.user));
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
  const auto run = sup.Run(s);
  if (!run) return tl::unexpected(run.error());
  const supervisor::ExitStatus st = *run;
  if (!st.Success() || sup.phase() != supervisor::Phase::kRunning) {
    EmptyDirectory(pgdata);
    return Fail(ErrorCode::kState,
                fmt::format("pg_basebackup from {} failed with exit code {}; the data directory "
                            "was emptied again",
                            where, st.ShellCode()));
  }
  return {};
}

}  // namespace aza::bootstrap
