// cli/main.cc — the aza-pg command: parses arguments and calls one command. Exceptions from
// CLI11 end here and become exit code 2 with one line on stderr; any other exception (fmt, an
// allocation) becomes exit code 1 with one line, never an abort.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/backup.h"
#include "cli/commands.h"

namespace {

int Main(int argc, char** argv) {
  using aza::cli::CommandArgs;
  CLI::App app{"aza-pg: container-aware PostgreSQL 18 tuning and supervision"};
  app.require_subcommand(1);
  CommandArgs args;

  auto sizing = [&args](CLI::App* cmd) {
    cmd->add_option("--root", args.sizing.root, "Read /proc and /sys below this directory");
  };

  CLI::App* detect = app.add_subcommand("detect", "Show the memory, CPUs and /dev/shm found");
  sizing(detect);
  detect->add_flag("--json", args.json, "Print one JSON object");

  CLI::App* tune = app.add_subcommand("tune", "Print PostgreSQL settings for this container");
  sizing(tune);
  tune->add_option("--memory", args.sizing.memory, "Size for this memory (4096, 4GB, 2GiB)");
  tune->add_option("--cpus", args.sizing.cpus, "Size for this many CPUs (2, 1.5)");
  tune->add_option("--shm", args.sizing.shm, "Size of /dev/shm to check parallelism against");
  tune->add_option("--max-connections", args.max_connections, "Override max_connections");
  tune->add_option("--format", args.format, "flags | conf | json | explain")
      ->check(CLI::IsMember({"flags", "conf", "json", "explain"}));

  CLI::App* version = app.add_subcommand("version", "Print the version");

  // `run` takes its command verbatim (everything after an optional "--"), so it is handled
  // before CLI11 sees it; this entry only documents it in --help.
  app.add_subcommand("run", "Container entrypoint: run -- postgres [args] | another program");
  if (argc >= 2 && std::string(argv[1]) == "run") {
    const int first = argc >= 3 && std::string(argv[2]) == "--" ? 3 : 2;
    return aza::cli::RunEntrypoint(std::vector<std::string>(argv + first, argv + argc));
  }

  CLI::App* health = app.add_subcommand("healthcheck", "Exit 0 when the server answers queries");
  bool pgbouncer_health = false;
  health->add_flag("--pgbouncer", pgbouncer_health, "Check PgBouncer on :6432 instead");

  CLI::App* pgbouncer =
      app.add_subcommand("pgbouncer", "PgBouncer entrypoint: render, check, supervise");

  std::string backup_type = "full";
  CLI::App* backup = app.add_subcommand("backup", "Take a pgBackRest backup of this server");
  backup->add_option("--type", backup_type, "full | diff | incr")
      ->check(CLI::IsMember({"full", "diff", "incr"}));
  CLI::App* backups = app.add_subcommand("backups", "List the backups in the repository");
  std::string restore_target = "latest";
  CLI::App* restore =
      app.add_subcommand("restore", "Restore into an empty PGDATA (a new volume), then start");
  restore->add_option("--target", restore_target,
                      "latest | time:TIMESTAMP | lsn:LSN | xid:XID | name:RESTORE_POINT");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    (void)std::fprintf(stderr, "aza-pg: %s\n", e.what());
    return aza::cli::kExitUsage;
  }

  if (detect->parsed()) return aza::cli::RunDetect(args);
  if (tune->parsed()) return aza::cli::RunTune(args);
  if (version->parsed()) return aza::cli::RunVersion();
  if (health->parsed()) {
    return pgbouncer_health ? aza::cli::RunPgBouncerHealthcheck() : aza::cli::RunHealthcheck();
  }
  if (pgbouncer->parsed()) return aza::cli::RunPgBouncer();
  if (backup->parsed()) return aza::cli::RunBackup(backup_type);
  if (backups->parsed()) return aza::cli::RunBackups();
  if (restore->parsed()) return aza::cli::RunRestore(restore_target);
  return aza::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    (void)std::fprintf(stderr, "aza-pg: error: %s\n", e.what());
    return aza::cli::kExitFailure;
  }
}
