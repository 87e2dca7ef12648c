#include "render/pgbackrest.h"

#include <fmt/format.h>

namespace aza::render {

std::string PgBackRestConf(const PgBackRestSettings& s) {
  std::string out = fmt::format(
      "# Rendered by aza-pg at start from the environment; edits are lost on restart.\n"
      "[global]\n"
      "repo1-path={}\n"
      "repo1-retention-full={}\n"
      "compress-type={}\n"
      "process-max={}\n"
      "# archive-push returns once WAL is in the spool queue; PostgreSQL still keeps every\n"
      "# segment until the repository has it, so a slow repository never stalls commits\n"
      "archive-async=y\n"
      "spool-path={}\n"
      "start-fast=y\n"
      "log-level-console=info\n"
      "log-level-file=off\n",
      s.repo_path, s.retention_full, s.compress, s.process_max, s.spool_path);
  if (!s.cipher_pass.empty()) {
    out += fmt::format("repo1-cipher-type=aes-256-cbc\nrepo1-cipher-pass={}\n", s.cipher_pass);
  }
  out += fmt::format(
      "\n[{}]\n"
      "pg1-path={}\n"
      "pg1-socket-path={}\n"
      "pg1-user={}\n",
      kStanza, s.pgdata, s.socket_dir, s.superuser);
  return out;
}

}  // namespace aza::render
