// render/pgbackrest.h — pgBackRest's configuration, rendered from validated settings at every
// start (edits to the file are lost). One stanza, "main", for this container's cluster; one
// repository on its own volume. The cipher passphrase is the only secret: the file is written
// 0600 for postgres alone.
#pragma once

#include <string>

namespace aza::render {

inline constexpr char kStanza[] = "main";
inline constexpr char kPgBackRestConf[] = "/etc/pgbackrest/pgbackrest.conf";
// archive_command for postgresql.conf: asynchronous through the spool directory.
inline constexpr char kArchiveCommand[] = "pgbackrest --stanza=main archive-push %p";

struct PgBackRestSettings {
  std::string repo_path = "/var/lib/pgbackrest";
  std::string spool_path = "/var/spool/pgbackrest";
  std::string pgdata;
  std::string socket_dir = "/var/run/postgresql";
  std::string superuser = "postgres";
  int retention_full = 2;        // full backups kept; their WAL expires with them
  std::string compress = "zst";  // zst, lz4, gz or none
  std::string cipher_pass;       // empty: the repository is not encrypted
  int process_max = 1;           // parallel compression and transfer
};

std::string PgBackRestConf(const PgBackRestSettings& s);

}  // namespace aza::render
