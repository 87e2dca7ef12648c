// supervisor/privileges.h — the root part of an entrypoint: directories owned by the service
// account, a raised file-descriptor limit, then a permanent switch to that account.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/error.h"

namespace aza::supervisor {

struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Looks up `name` in /etc/passwd.
Expected<Account> LookupAccount(const std::string& name);

// Creates `path` (and parents) and gives it to `owner` with `mode`. Errors name the path.
Expected<void> OwnDirectory(const std::string& path, const Account& owner, mode_t mode);

// Raises the soft RLIMIT_NOFILE to at least `needed` (up to the hard limit). Errors when the
// hard limit is lower, naming both numbers.
Expected<void> EnsureOpenFiles(std::uint64_t needed);

// Switches groups, gid and uid to `to`, for good.
Expected<void> DropTo(const Account& to);

}  // namespace aza::supervisor
