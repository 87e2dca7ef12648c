// health/health.h — talks to PostgreSQL through libpq: readiness pings and one-value queries,
// for the init sequence (socket-only server) and `aza-pg healthcheck` (the real TCP address).
// libpq-fe.h stays in health.cc. Each call opens and closes its own connection; thread-safe.
#pragma once

#include <map>
#include <string>

#include "common/error.h"

namespace aza::health {

// libpq connection keywords (host, port, user, dbname, password, connect_timeout, ...),
// passed with PQconnectdbParams so no value is ever quoted into a string.
using ConnParams = std::map<std::string, std::string>;

// True when the server accepts connections (PQping OK); needs no valid credentials.
bool Accepting(const ConnParams& params);

// Connects, runs `sql` and returns the first column of the first row as text ("" for NULL).
// Errors: kIo with libpq's message (one line, no password); a failed query carries the
// server's SQLSTATE. A failed connection carries none: libpq reports only its message then.
Expected<std::string> QueryValue(const ConnParams& params, const std::string& sql);

}  // namespace aza::health
