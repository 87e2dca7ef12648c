// bootstrap/server.h — the one wait for another server (the primary of a replica, PostgreSQL
// for PgBouncer): ask it a question until it answers, with a bounded number of attempts, one
// log line each, and the supervisor's Sleep between them, so a stop request ends the wait.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "health/health.h"
#include "supervisor/process.h"

namespace aza::bootstrap {

struct ServerWait {
  std::string what;                   // "the primary db:5432", for log lines and errors
  std::chrono::seconds timeout{120};  // give up after this long
  // What ends the wait at once: a failed query's SQLSTATE, or, for a failed connection (which
  // carries no SQLSTATE in libpq), its message.
  std::vector<std::string_view> final_states;
  std::vector<std::string_view> final_connection_messages;
};

// Returns the first value of `sql` once `server` answers. Errors (kState): a final SQLSTATE or
// connection message (kept in the error), the timeout, or a stop request; each names
// `wait.what` or carries libpq's last message.
Expected<std::string> AskWhenReady(const health::ConnParams& server, const std::string& sql,
                                   const ServerWait& wait, supervisor::Supervisor& sup);

}  // namespace aza::bootstrap
