#include "bootstrap/init.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <set>
#include <string_view>

#include "bootstrap/layout.h"
#include "common/log.h"
#include "common/text.h"
#include "health/health.h"

namespace aza::bootstrap {
namespace {

namespace fs = std::filesystem;
using supervisor::ExitStatus;
using supervisor::Phase;
using supervisor::SpawnSpec;
using supervisor::Supervisor;

// How long the temporary server may take to accept connections.
constexpr std::chrono::seconds kStartTimeout{120};
// The helpers a sourced (non-executable) .sh init script finds, as in the official image.
constexpr char kScriptHelpers[] = "/usr/local/lib/aza-pg/initdb-helpers.sh";

std::set<std::string> Entries(const std::string& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.insert(e.path().filename());
  return names;
}

// Removes what appeared in `dir` since `before` was taken: initdb's work, nothing else.
void RemoveNew(const std::string& dir, const std::set<std::string>& before) {
  std::error_code ec;
  for (const std::string& name : Entries(dir)) {
    if (before.count(name) == 0) fs::remove_all(fs::path(dir) / name, ec);
  }
}

Expected<void> WriteDurably(const std::string& dir, const std::string& name,
                            const std::string& body) {
  const std::string path = dir + "/" + name;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected(FromErrno(path, errno));
  const bool ok =
      write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && fsync(fd) == 0;
  const int err = errno;
  close(fd);
  const int d = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    fsync(d);
    close(d);
  }
  if (!ok) return tl::unexpected(FromErrno(path, err));
  return {};
}

Expected<void> RunStep(const std::string& what, const SpawnSpec& spec, Supervisor& sup) {
  const auto run = sup.Run(spec);
  if (!run) return Fail(ErrorCode::kState, fmt::format("{}: {}", what, run.error().message));
  const ExitStatus st = *run;
  if (sup.phase() != Phase::kRunning) {
    return Fail(ErrorCode::kState, fmt::format("{}: stopped by a signal", what));
  }
  if (!st.Success()) {
    return Fail(ErrorCode::kState,
                fmt::format("{} failed with exit code {}", what, st.ShellCode()));
  }
  return {};
}

// Blames the operator's input for a failed step when there is one to blame.
Error Blame(Error e, const std::string& input) {
  if (input.empty()) return e;
  return {ErrorCode::kInvalidInput,
          fmt::format("{} ({}; the message above says why)", e.message, input)};
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
  if (result || spec.initdb_args.empty()) return result;
  std::string args;
  for (const std::string& a : spec.initdb_args) args += (args.empty() ? "" : " ") + a;
  return tl::unexpected(Blame(result.error(), fmt::format("POSTGRES_INITDB_ARGS='{}'", args)));
}

// `postgres -C` loads the configuration files and every -c flag, and fails on an unknown
// setting or a value out of range before any server process exists.
Expected<void> CheckConfiguration(const InitSpec& spec, Supervisor& sup) {
  SpawnSpec s;
  s.argv = spec.server_argv;
  s.argv.insert(s.argv.end(), {"-C", "data_directory"});
  s.env = spec.server_env;
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  s.stdout_fd = devnull;
  auto r = RunStep("the configuration check (postgres -C)", s, sup);
  if (devnull >= 0) close(devnull);
  if (r) return r;
  return tl::unexpected(Blame(r.error(), "the server's command: " + spec.command_args));
}

// The command that runs one init script, or an empty vector for files we skip.
std::vector<std::string> ScriptCommand(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string path = file.string();
  const std::string psql = "psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet";
  if (EndsWith(name, ".sh")) {
    if (access(path.c_str(), X_OK) == 0) return {path};
    // Sourced as the official image does, in a shell with its helper functions.
    return {"bash", "-c", fmt::format("set -Eeo pipefail; . {}; . \"$1\"", kScriptHelpers), "_",
            path};
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

// The scripts' environment with libpq's variables pointing at the temporary server; these
// replace any the container set (the image's PGHOST names the public socket directory).
std::vector<std::string> ClientEnv(const InitSpec& spec, const std::string& socket_dir) {
  const std::vector<std::string> client = {"PGHOST=" + socket_dir, "PGPORT=" + spec.port,
                                           "PGUSER=" + spec.user, "PGDATABASE=" + spec.database,
                                           "PGPASSWORD=" + spec.password};
  std::vector<std::string> env;
  for (const std::string& kv : spec.script_env) {
    const std::string_view name = std::string_view(kv).substr(0, kv.find('=') + 1);
    const bool replaced = std::any_of(client.begin(), client.end(), [&](const std::string& c) {
      return std::string_view(c).substr(0, name.size()) == name;
    });
    if (!replaced) env.push_back(kv);
  }
  env.insert(env.end(), client.begin(), client.end());
  return env;
}

Expected<void> RunScripts(const InitSpec& spec, const std::string& socket_dir, Supervisor& sup) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(spec.scripts_dir, ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::vector<std::string> env = ClientEnv(spec, socket_dir);
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

Expected<void> CreateDatabase(const InitSpec& spec, const std::string& socket_dir,
                              Supervisor& sup) {
  if (spec.database == "postgres") return {};
  SpawnSpec s;
  // psql -c sends the text as it is (no variable interpolation), so the quoted identifier is
  // all the escaping needed for any name PostgreSQL accepts.
  s.argv = {"psql",
            "-v",
            "ON_ERROR_STOP=1",
            "--no-psqlrc",
            "--quiet",
            "--dbname=postgres",
            "-c",
            "CREATE DATABASE " + DoubleQuoted(spec.database)};
  s.env = ClientEnv(spec, socket_dir);
  Log("init: creating database " + spec.database);
  return RunStep("CREATE DATABASE", s, sup);
}

// A private socket directory (0700): pg_isready and clients on the usual socket see no
// server until the real one starts.
Expected<std::string> PrivateSocketDir() {
  char tmpl[] = "/tmp/aza-pg-init.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return tl::unexpected(FromErrno("mkdtemp /tmp", errno));
  return std::string(tmpl);
}

// Starts the temporary server and waits until it accepts connections; returns its pid.
Expected<pid_t> StartTemporaryServer(const InitSpec& spec, const std::string& socket_dir,
                                     Supervisor& sup) {
  SpawnSpec server;
  server.argv = spec.server_argv;
  // Private and temporary: no TCP, a socket of its own, and no WAL archiving (the stanza does
  // not exist yet; backups start from the first one taken after initialization).
  for (const std::string& flag :
       {std::string("listen_addresses="), "unix_socket_directories=" + socket_dir,
        std::string("archive_mode=off")}) {
    server.argv.emplace_back("-c");
    server.argv.push_back(flag);
  }
  server.env = spec.server_env;
  Log("init: starting a temporary server on a private Unix socket");
  auto pid = sup.Spawn(server);
  if (!pid) return tl::unexpected(pid.error());
  const health::ConnParams ping{{"host", socket_dir},
                                {"port", spec.port},
                                {"dbname", "postgres"},
                                {"user", spec.user},
                                {"connect_timeout", "2"}};
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!health::Accepting(ping)) {
    if (const auto exited = sup.Poll(*pid, 200)) {
      return tl::unexpected(
          Blame({ErrorCode::kState, fmt::format("the temporary server exited with code {} before "
                                                "accepting connections",
                                                exited->ShellCode())},
                "the server's command: " + spec.command_args));
    }
    if (sup.phase() != Phase::kRunning || std::chrono::steady_clock::now() > deadline) {
      sup.Kill(*pid, SIGINT);
      sup.Wait(*pid);
      return Fail(ErrorCode::kState, "the temporary server did not accept connections");
    }
  }
  return *pid;
}

}  // namespace

Expected<void> WriteMarker(const std::string& pgdata) {
  return WriteDurably(pgdata, kMarkerFile,
                      "initialized by aza-pg: initdb, init scripts and shutdown completed\n");
}

InitResult Initialize(const InitSpec& spec, Supervisor& sup) {
  const std::set<std::string> before = Entries(spec.pgdata);
  auto undo = [&](Error e) {
    RemoveNew(spec.pgdata, before);
    return tl::unexpected(InitFailure{std::move(e), true});
  };
  if (auto r = RunInitdb(spec, sup); !r) return undo(r.error());
  if (auto r = CheckConfiguration(spec, sup); !r) return undo(r.error());
  if (auto r = WriteDurably(spec.pgdata, kInitializingFile,
                            "first start in progress: initdb done, init scripts not finished\n");
      !r) {
    return undo(r.error());
  }
  auto socket_dir = PrivateSocketDir();
  if (!socket_dir) return undo(socket_dir.error());
  auto pid = StartTemporaryServer(spec, *socket_dir, sup);
  if (!pid) {
    rmdir(socket_dir->c_str());
    return undo(pid.error());
  }

  bool undoable = true;
  Expected<void> result = CreateDatabase(spec, *socket_dir, sup);
  if (result) {
    undoable = false;
    result = RunScripts(spec, *socket_dir, sup);
  }
  sup.Kill(*pid, SIGINT);  // fast shutdown, also after a failure
  const ExitStatus stopped = sup.Wait(*pid);
  rmdir(socket_dir->c_str());
  if (result && !stopped.Success()) {
    result = Fail(ErrorCode::kState,
                  fmt::format("the temporary server stopped with code {}", stopped.ShellCode()));
  }
  if (!result) {
    if (undoable) return undo(result.error());
    // Best effort: the note only improves the refusal message of later starts.
    (void)WriteDurably(spec.pgdata, kInitializingFile, result.error().message + "\n");
    return tl::unexpected(InitFailure{result.error(), false});
  }
  if (auto r = WriteMarker(spec.pgdata); !r) return tl::unexpected(InitFailure{r.error(), false});
  std::error_code ec;
  fs::remove(fs::path(spec.pgdata) / kInitializingFile, ec);
  Log("init: complete; marker written");
  return {};
}

}  // namespace aza::bootstrap
