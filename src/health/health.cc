#include "health/health.h"

#include <libpq-fe.h>

#include <memory>
#include <vector>

#include "common/text.h"

namespace aza::health {
namespace {

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Keeps the C strings for PQconnectdbParams alive alongside the map.
struct CParams {
  explicit CParams(const ConnParams& params) {
    for (const auto& [k, v] : params) {
      keys.push_back(k.c_str());
      values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
  }
  std::vector<const char*> keys;
  std::vector<const char*> values;
};

std::string OneLine(const char* message) {
  std::string s(Trim(message == nullptr ? "" : message));
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

}  // namespace

bool Accepting(const ConnParams& params) {
  const CParams c(params);
  return PQpingParams(c.keys.data(), c.values.data(), 0) == PQPING_OK;
}

Expected<std::string> QueryValue(const ConnParams& params, const std::string& sql) {
  const CParams c(params);
  const Conn conn(PQconnectdbParams(c.keys.data(), c.values.data(), 0));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Fail(ErrorCode::kIo, OneLine(conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  const Result res(PQexec(conn.get(), sql.c_str()));
  if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
    return Fail(ErrorCode::kIo, OneLine(PQerrorMessage(conn.get())));
  }
  if (PQntuples(res.get()) < 1 || PQnfields(res.get()) < 1) return std::string();
  return std::string(PQgetvalue(res.get(), 0, 0));
}

}  // namespace aza::health
