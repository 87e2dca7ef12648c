#include "supervisor/init.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "common/log.h"
#include "health/health.h"

namespace aza::supervisor {
namespace {

namespace fs = std::filesystem;

// How long the temporary server may take to accept connections.
constexpr std::chrono::seconds kStartTimeout{120};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Expected<void> RunStep(const std::string& what, const SpawnSpec& spec, Supervisor& sup) {
  auto pid = Spawn(spec);
  if (!pid) return Fail(ErrorCode::kState, fmt::format("{}: {}", what, pid.error().message));
  const ExitStatus st = sup.Wait(*pid);
  if (sup.phase() != Phase::kRunning) {
    return Fail(ErrorCode::kState, fmt::format("{}: stopped by a signal", what));
  }
  if (!st.Success()) {
    return Fail(ErrorCode::kState,
                fmt::format("{} failed with exit code {}", what, st.ShellCode()));
  }
  return {};
}

Expected<void> RunInitdb(const InitSpec& spec, Supervisor& sup) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return tl::unexpected(FromErrno("pipe", errno));
  const std::string secret = spec.password + "\n";
  const bool written =
      write(fds[1], secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
  close(fds[1]);
  if (!written) {
    close(fds[0]);
    return Fail(ErrorCode::kIo, "initdb: cannot pass the password through a pipe");
  }
  SpawnSpec s;
  s.argv = {"initdb",
            "-D",
            spec.pgdata,
            "--username=" + spec.user,
            fmt::format("--pwfile=/proc/self/fd/{}", fds[0]),
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8"};
  if (!spec.checksums) s.argv.emplace_back("--no-data-checksums");
  s.argv.insert(s.argv.end(), spec.initdb_args.begin(), spec.initdb_args.end());
  s.env = spec.server_env;
  s.inherit_fds = {fds[0]};
  Log(fmt::format("initdb: {} (data checksums {})", spec.pgdata, spec.checksums ? "on" : "off"));
  auto result = RunStep("initdb", s, sup);
  close(fds[0]);
  return result;
}

// The command that runs one init script, or an empty vector for files we skip.
std::vector<std::string> ScriptCommand(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string path = file.string();
  const std::string psql = "psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet";
  if (EndsWith(name, ".sh")) {
    if (access(path.c_str(), X_OK) == 0) return {path};
    return {"bash", path};
  }
  if (EndsWith(name, ".sql"))
    return {"psql", "-v", "ON_ERROR_STOP=1", "--no-psqlrc", "--quiet", "-f", path};
  for (const auto& [ext, tool] :
       {std::pair{".sql.gz", "gzip"}, std::pair{".sql.xz", "xz"}, std::pair{".sql.zst", "zstd"}}) {
    if (EndsWith(name, ext)) {
      return {"bash", "-o", "pipefail", "-c", fmt::format("{} -dc \"$1\" | {}", tool, psql),
              "_",    path};
    }
  }
  return {};
}

Expected<void> RunScripts(const InitSpec& spec, Supervisor& sup) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(spec.scripts_dir, ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> env = spec.script_env;
  for (const std::string& kv :
       {"PGHOST=" + spec.socket_dir, "PGPORT=" + spec.port, "PGUSER=" + spec.user,
        "PGDATABASE=" + spec.database, "PGPASSWORD=" + spec.password}) {
    env.push_back(kv);
  }
  for (const fs::path& f : files) {
    const std::vector<std::string> cmd = ScriptCommand(f);
    if (cmd.empty()) {
      Log("init: ignoring " + f.filename().string());
      continue;
    }
    Log("init: running " + f.filename().string());
    SpawnSpec s;
    s.argv = cmd;
    s.env = env;
    if (auto r = RunStep("init script " + f.filename().string(), s, sup); !r) return r;
  }
  return {};
}

Expected<void> CreateDatabase(const InitSpec& spec, Supervisor& sup) {
  if (spec.database == "postgres") return {};
  SpawnSpec s;
  // psql -c does not interpolate variables; the name is safe to quote because the entrypoint
  // only accepts [A-Za-z_][A-Za-z0-9_]* (cli/run_config.cc).
  s.argv = {"psql",
            "-v",
            "ON_ERROR_STOP=1",
            "--no-psqlrc",
            "--quiet",
            "--dbname=postgres",
            "-c",
            fmt::format("CREATE DATABASE \"{}\"", spec.database)};
  s.env = spec.script_env;
  for (const std::string& kv : {"PGHOST=" + spec.socket_dir, "PGPORT=" + spec.port,
                                "PGUSER=" + spec.user, "PGPASSWORD=" + spec.password}) {
    s.env.push_back(kv);
  }
  Log("init: creating database " + spec.database);
  return RunStep("CREATE DATABASE", s, sup);
}

}  // namespace

Expected<void> WriteMarker(const std::string& pgdata) {
  const std::string path = pgdata + "/" + kMarkerFile;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected(FromErrno(path, errno));
  const std::string body = "initialized by aza-pg: initdb, init scripts and shutdown completed\n";
  const bool ok =
      write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && fsync(fd) == 0;
  close(fd);
  const int dir = open(pgdata.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
  if (!ok) return tl::unexpected(FromErrno(path, errno));
  return {};
}

DataState InspectDataDirectory(const std::string& pgdata) {
  std::error_code ec;
  if (!fs::exists(fs::path(pgdata) / "PG_VERSION", ec)) return DataState::kEmpty;
  if (fs::exists(fs::path(pgdata) / kMarkerFile, ec)) return DataState::kInitialized;
  return DataState::kHalfInitialized;
}

Expected<void> Initialize(const InitSpec& spec, Supervisor& sup) {
  if (auto r = RunInitdb(spec, sup); !r) return r;

  SpawnSpec server;
  server.argv = spec.server_argv;
  for (const std::string& flag :
       {std::string("listen_addresses="), "unix_socket_directories=" + spec.socket_dir}) {
    server.argv.emplace_back("-c");
    server.argv.push_back(flag);
  }
  server.env = spec.server_env;
  Log("init: starting a temporary server on the Unix socket only");
  auto pid = Spawn(server);
  if (!pid) return tl::unexpected(pid.error());

  const health::ConnParams ping{{"host", spec.socket_dir},
                                {"port", spec.port},
                                {"dbname", "postgres"},
                                {"user", spec.user},
                                {"connect_timeout", "2"}};
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  Expected<void> result;
  while (!health::Accepting(ping)) {
    if (const auto exited = sup.Poll(*pid, 200)) {
      return Fail(ErrorCode::kState, fmt::format("temporary server exited with code {} before "
                                                 "accepting connections",
                                                 exited->ShellCode()));
    }
    if (sup.phase() != Phase::kRunning || std::chrono::steady_clock::now() > deadline) {
      result = Fail(ErrorCode::kState, "temporary server did not accept connections");
      break;
    }
  }
  if (result) result = CreateDatabase(spec, sup);
  if (result) result = RunScripts(spec, sup);

  kill(*pid, SIGINT);  // fast shutdown, also after a failure
  const ExitStatus stopped = sup.Wait(*pid);
  if (!result) return result;
  if (!stopped.Success()) {
    return Fail(ErrorCode::kState,
                fmt::format("temporary server stopped with code {}", stopped.ShellCode()));
  }
  if (auto r = WriteMarker(spec.pgdata); !r) return r;
  Log("init: complete; marker written");
  return {};
}

}  // namespace aza::supervisor
