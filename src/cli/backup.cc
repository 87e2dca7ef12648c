#include "cli/backup.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bootstrap/init.h"
#include "bootstrap/layout.h"
#include "cli/commands.h"
#include "common/log.h"
#include "common/units.h"
#include "supervisor/process.h"

namespace aza::cli {
namespace {

using Clock = std::chrono::steady_clock;

// pgBackRest with the superuser's password for its connections (backup, check, stanza-create
// connect over the Unix socket) and nothing else secret in its environment.
supervisor::SpawnSpec PgBackRest(const Env& env, const RunConfig& cfg,
                                 std::vector<std::string> args) {
  supervisor::SpawnSpec s;
  s.argv = {"pgbackrest", std::string("--stanza=") + render::kStanza};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.env = ServerEnv(env);
  if (cfg.password) s.env.push_back("PGPASSWORD=" + *cfg.password);
  return s;
}

int RunStep(const supervisor::SpawnSpec& spec, supervisor::Supervisor& sup) {
  const auto run = sup.Run(spec);
  return run ? run->ShellCode() : ExitWith(run.error());
}

std::string Bytes(const nlohmann::json& j) {
  return j.is_number_unsigned() ? FormatHuman(j.get<std::uint64_t>()) : "?";
}

std::string Time(const nlohmann::json& epoch) {
  if (!epoch.is_number()) return "?";
  const auto t = static_cast<std::time_t>(epoch.get<std::int64_t>());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0) return "?";
  return std::string(buf) + "+00";
}

// The backups of the stanza, oldest first, from `pgbackrest info --output=json`.
Expected<nlohmann::json> Info(const Env& env, const RunConfig& cfg, supervisor::Supervisor& sup) {
  auto out = supervisor::RunCapture(PgBackRest(env, cfg, {"info", "--output=json"}), sup);
  if (!out) return tl::unexpected(out.error());
  const nlohmann::json j = nlohmann::json::parse(*out, nullptr, false);
  if (!j.is_array() || j.empty() || !j[0].contains("backup")) {
    return Fail(ErrorCode::kIo, "pgbackrest info: unexpected output");
  }
  return j[0];
}

// Runs as postgres with the configuration rendered: what every backup command does first.
struct Prepared {
  Env env;
  RunConfig cfg;
};
Expected<Prepared> Prepare() {
  Prepared p{ProcessEnv(), {}};
  auto cfg = ReadRunConfig(p.env);
  if (!cfg) return tl::unexpected(cfg.error());
  p.cfg = *cfg;
  auto settings = ReadBackupSettings(p.env, p.cfg);
  if (!settings) return tl::unexpected(settings.error());
  supervisor::BlockSignals();
  if (auto r = PrepareAsRoot(p.cfg.pgdata); !r) return tl::unexpected(r.error());
  if (auto r = WritePgBackRestConf(*settings); !r) return tl::unexpected(r.error());
  return p;
}

}  // namespace

Expected<render::PgBackRestSettings> ReadBackupSettings(const Env& env, const RunConfig& cfg) {
  render::PgBackRestSettings s;
  s.pgdata = cfg.pgdata;
  s.superuser = cfg.user;
  for (auto [name, field, lo, hi] : {std::tuple{"BACKUP_RETENTION_FULL", &s.retention_full, 1, 100},
                                     std::tuple{"BACKUP_PROCESS_MAX", &s.process_max, 1, 64}}) {
    auto v = IntVar(env, name, *field, lo, hi);
    if (!v) return tl::unexpected(v.error());
    *field = *v;
  }
  s.compress = Var(env, "BACKUP_COMPRESS", s.compress);
  if (s.compress != "zst" && s.compress != "lz4" && s.compress != "gz" && s.compress != "none") {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("BACKUP_COMPRESS='{}': expected zst, lz4, gz or none", s.compress));
  }
  auto cipher = ReadSecret(env, "BACKUP_CIPHER_PASS");
  if (!cipher) return tl::unexpected(cipher.error());
  if (*cipher) s.cipher_pass = **cipher;
  return s;
}

Expected<void> WritePgBackRestConf(const render::PgBackRestSettings& s) {
  return WritePrivate(render::kPgBackRestConf, render::PgBackRestConf(s));
}

void CreateStanza(const Env& env, const RunConfig& cfg, supervisor::Supervisor& sup) {
  const auto run =
      sup.Run(PgBackRest(env, cfg, {"--no-online", "--log-level-console=warn", "stanza-create"}));
  if (!run) {
    Log("warning: backups: " + run.error().message);
  } else if (!run->Success()) {
    Log(
        fmt::format("warning: backups: pgbackrest stanza-create failed with exit code {} (its "
                    "message is above): WAL archiving will fail and PostgreSQL keeps the WAL "
                    "until it succeeds",
                    run->ShellCode()));
  }
}

Expected<RestoreTarget> ParseRestoreTarget(const std::string& text) {
  if (text.empty() || text == "latest") return RestoreTarget{};
  const std::size_t colon = text.find(':');
  const std::string type = text.substr(0, colon);
  if (colon == std::string::npos || colon + 1 == text.size() ||
      (type != "time" && type != "lsn" && type != "xid" && type != "name")) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("--target='{}': expected latest, time:TIMESTAMP, lsn:LSN, xid:XID or "
                            "name:RESTORE_POINT",
                            text));
  }
  return RestoreTarget{type, text.substr(colon + 1)};
}

int RunBackup(const std::string& type) {
  if (type != "full" && type != "diff" && type != "incr") {
    return ExitWith(
        {ErrorCode::kInvalidInput, fmt::format("--type='{}': expected full, diff or incr", type)});
  }
  auto p = Prepare();
  if (!p) return ExitWith(p.error());
  supervisor::Supervisor sup;
  // The stanza exists: every server start creates it (cmd_run's CreateStanza). Creating it
  // here would take the archive lock, which asynchronous archiving may hold.
  const auto start = Clock::now();
  const int code = RunStep(PgBackRest(p->env, p->cfg, {"backup", "--type=" + type}), sup);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (code != 0) {
    Log(
        fmt::format("backup: {} failed with exit code {} after {:.1f} s (pgBackRest's message "
                    "is above)",
                    type, code, seconds));
    return code;
  }
  auto info = Info(p->env, p->cfg, sup);
  if (!info || (*info)["backup"].empty()) {
    Log(fmt::format("backup: {} done in {:.1f} s", type, seconds));
    return kExitOk;
  }
  const nlohmann::json& b = (*info)["backup"].back();
  Log(fmt::format("backup: {} {} done in {:.1f} s: database {}, repository {}",
                  b.value("type", type), b.value("label", "?"), seconds, Bytes(b["info"]["size"]),
                  Bytes(b["info"]["repository"]["delta"])));
  return kExitOk;
}

int RunBackups() {
  auto p = Prepare();
  if (!p) return ExitWith(p.error());
  supervisor::Supervisor sup;
  auto info = Info(p->env, p->cfg, sup);
  if (!info) return ExitWith(info.error());
  std::string out = fmt::format("{:<34} {:<5} {:<22} {:<22} {:>10} {:>10}  {}\n", "backup", "type",
                                "started", "finished", "database", "repository", "WAL");
  for (const nlohmann::json& b : (*info)["backup"]) {
    out += fmt::format("{:<34} {:<5} {:<22} {:<22} {:>10} {:>10}  {} - {}\n", b.value("label", "?"),
                       b.value("type", "?"), Time(b["timestamp"]["start"]),
                       Time(b["timestamp"]["stop"]), Bytes(b["info"]["size"]),
                       Bytes(b["info"]["repository"]["delta"]), b["archive"].value("start", "?"),
                       b["archive"].value("stop", "?"));
  }
  if ((*info)["backup"].empty()) out += "(no backups yet: make backup)\n";
  (void)std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunRestore(const std::string& target_text) {
  auto target = ParseRestoreTarget(target_text);
  if (!target) return ExitWith(target.error());
  const Env env = ProcessEnv();
  auto cfg = ReadRunConfig(env);
  if (!cfg) return ExitWith(cfg.error());
  std::error_code ec;
  if (std::filesystem::exists(cfg->pgdata, ec) && !std::filesystem::is_empty(cfg->pgdata, ec)) {
    return ExitWith({ErrorCode::kInvalidInput,
                     fmt::format("PGDATA='{}' is not empty: restore only into a new, empty volume "
                                 "(a running server's data is never restored over)",
                                 cfg->pgdata)});
  }
  auto p = Prepare();
  if (!p) return ExitWith(p.error());
  supervisor::Supervisor sup;
  // Without a target, recovery runs to the end of the archived WAL and ends there; with one,
  // it stops at the target and promotes (pgBackRest allows --target-action with a type only).
  std::vector<std::string> args = {"restore"};
  if (!target->type.empty()) {
    args.insert(args.end(),
                {"--type=" + target->type, "--target=" + target->value, "--target-action=promote"});
  }
  const auto start = Clock::now();
  if (const int code = RunStep(PgBackRest(p->env, p->cfg, args), sup); code != 0) {
    bootstrap::EmptyDirectory(p->cfg.pgdata);
    Log(
        fmt::format("restore failed with exit code {} (pgBackRest's message is above); {} was "
                    "emptied again",
                    code, p->cfg.pgdata));
    return code;
  }
  if (auto r = bootstrap::WriteMarker(p->cfg.pgdata); !r) return ExitWith(r.error());
  Log(fmt::format(
      "restore: {} restored to {} in {:.1f} s; the server recovers to it and is "
      "promoted when it starts on this volume",
      p->cfg.pgdata,
      target->type.empty() ? "the latest archived WAL" : target->type + " " + target->value,
      std::chrono::duration<double>(Clock::now() - start).count()));
  return kExitOk;
}

}  // namespace aza::cli
