#include "cli/commands.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "common/log.h"
#include "render/render.h"
#include "supervisor/privileges.h"
#include "tune/tune.h"

#ifndef AZA_VERSION
#define AZA_VERSION "unknown"
#endif

namespace aza::cli {
namespace {

void Print(const std::string& s) { (void)std::fwrite(s.data(), 1, s.size(), stdout); }

}  // namespace

int ExitWith(const Error& e) {
  Log("error: " + e.message);
  return e.code == ErrorCode::kInvalidInput ? kExitUsage : kExitFailure;
}

Expected<void> PrepareAsRoot(const std::string& pgdata) {
  if (geteuid() != 0) {
    std::error_code ec;
    std::filesystem::create_directories(pgdata, ec);
    if (ec || access(pgdata.c_str(), W_OK) != 0) {
      return Fail(ErrorCode::kIo,
                  fmt::format("PGDATA='{}': not writable by uid {}", pgdata, geteuid()));
    }
    return {};
  }
  auto pg = supervisor::LookupAccount("postgres");
  if (!pg) return tl::unexpected(pg.error());
  if (auto r = supervisor::OwnDirectory(pgdata, *pg, 0700); !r) return r;
  if (auto r = supervisor::OwnDirectory("/var/run/postgresql", *pg, 03775); !r) return r;
  for (const char* dir : {"/var/lib/pgbackrest", "/var/spool/pgbackrest", "/etc/pgbackrest"}) {
    if (auto r = supervisor::OwnDirectory(dir, *pg, 0700); !r) return r;
  }
  return supervisor::DropTo(*pg);
}

Expected<void> WritePrivate(const std::string& path, const std::string& body) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected(FromErrno(path, errno));
  const bool ok = write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
  close(fd);
  if (!ok) return tl::unexpected(FromErrno(path, errno));
  return {};
}

int RunDetect(const CommandArgs& args) {
  const auto env = ReadAutoConfig(ProcessEnv());
  if (!env) return ExitWith(env.error());
  const auto r = ResolveResources(args.sizing, *env);
  if (!r) return ExitWith(r.error());
  Print(args.json ? render::DetectJson(*r).dump(2) + "\n" : render::DetectText(*r));
  return kExitOk;
}

int RunTune(const CommandArgs& args) {
  const auto env = ReadAutoConfig(ProcessEnv());
  if (!env) return ExitWith(env.error());
  tune::Options options;
  if (!args.max_connections.empty()) {
    const auto c = ParseMaxConnections("--max-connections", args.max_connections);
    if (!c) return ExitWith(c.error());
    options.max_connections = *c;
  }
  const auto r = ResolveResources(args.sizing, *env);
  if (!r) return ExitWith(r.error());
  const tune::Tuning t = tune::Tune(TuneInputs(*r), options);
  if (args.format == "json") {
    Print(render::TuneJson(*r, t).dump(2) + "\n");
  } else if (args.format == "conf") {
    Print(render::Conf(*r, t));
  } else if (args.format == "explain") {
    Print(render::Explain(*r, t));
  } else {
    Print(render::FlagsText(t));
  }
  return kExitOk;
}

int RunVersion() {
  Print(fmt::format("aza-pg {}\n", AZA_VERSION));
  return kExitOk;
}

}  // namespace aza::cli
