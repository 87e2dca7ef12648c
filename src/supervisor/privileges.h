// supervisor/privileges.h — the root part of the entrypoint: create and own the data and
// socket directories, then drop to the postgres user for good.
#pragma once

#include <string>

#include "common/error.h"

namespace aza::supervisor {

// When running as root: creates `pgdata` (mode 0700) and `socket_dir`, hands both to the
// postgres user, then switches uid/gid/groups to it. As any other user: only checks that
// `pgdata` can be created or written. Errors name the path.
Expected<void> PrepareAndDropPrivileges(const std::string& pgdata, const std::string& socket_dir);

}  // namespace aza::supervisor
