#include "health/health.h"

#include <dlfcn.h>
#include <libpq-fe.h>

#include <memory>
#include <vector>

#include "common/text.h"

namespace aza::health {
namespace {

// libpq is loaded on first use rather than linked: `aza-pg tune` runs at every container
// start and needs none of it, and libpq brings libssl/libcrypto (and on Debian's build
// Kerberos, LDAP and GnuTLS) whose loading costs more than detection and tuning together.
struct Libpq {
  decltype(&PQpingParams) ping_params = nullptr;
  decltype(&PQconnectdbParams) connectdb_params = nullptr;
  decltype(&PQstatus) status = nullptr;
  decltype(&PQerrorMessage) error_message = nullptr;
  decltype(&PQexec) exec = nullptr;
  decltype(&PQresultStatus) result_status = nullptr;
  decltype(&PQresultErrorField) result_error_field = nullptr;
  decltype(&PQntuples) ntuples = nullptr;
  decltype(&PQnfields) nfields = nullptr;
  decltype(&PQgetvalue) getvalue = nullptr;
  decltype(&PQclear) clear = nullptr;
  decltype(&PQfinish) finish = nullptr;
  bool ok = false;
};

template <class F>
void Bind(void* lib, const char* name, F* slot, bool* ok) {
  *slot = reinterpret_cast<F>(dlsym(lib, name));
  if (*slot == nullptr) *ok = false;
}

// Returns the loaded library (once per process); ok is false when libpq.so.5 is missing.
const Libpq& Lib() {
  static const Libpq lib = [] {
    Libpq l;
    void* h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return l;
    l.ok = true;
    Bind(h, "PQpingParams", &l.ping_params, &l.ok);
    Bind(h, "PQconnectdbParams", &l.connectdb_params, &l.ok);
    Bind(h, "PQstatus", &l.status, &l.ok);
    Bind(h, "PQerrorMessage", &l.error_message, &l.ok);
    Bind(h, "PQexec", &l.exec, &l.ok);
    Bind(h, "PQresultStatus", &l.result_status, &l.ok);
    Bind(h, "PQresultErrorField", &l.result_error_field, &l.ok);
    Bind(h, "PQntuples", &l.ntuples, &l.ok);
    Bind(h, "PQnfields", &l.nfields, &l.ok);
    Bind(h, "PQgetvalue", &l.getvalue, &l.ok);
    Bind(h, "PQclear", &l.clear, &l.ok);
    Bind(h, "PQfinish", &l.finish, &l.ok);
    return l;
  }();
  return lib;
}

Error Missing() { return Error{ErrorCode::kIo, "cannot load libpq.so.5 (install libpq5)"}; }

struct ConnDeleter {
  void operator()(PGconn* c) const { Lib().finish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { Lib().clear(r); }
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
  const Libpq& pq = Lib();
  const CParams c(params);
  return pq.ok && pq.ping_params(c.keys.data(), c.values.data(), 0) == PQPING_OK;
}

Expected<std::string> QueryValue(const ConnParams& params, const std::string& sql) {
  const Libpq& pq = Lib();
  if (!pq.ok) return tl::unexpected(Missing());
  const CParams c(params);
  const Conn conn(pq.connectdb_params(c.keys.data(), c.values.data(), 0));
  if (!conn || pq.status(conn.get()) != CONNECTION_OK) {
    return Fail(ErrorCode::kIo, OneLine(conn ? pq.error_message(conn.get()) : "out of memory"));
  }
  const Result res(pq.exec(conn.get(), sql.c_str()));
  if (!res || pq.result_status(res.get()) != PGRES_TUPLES_OK) {
    const char* state = res ? pq.result_error_field(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    return tl::unexpected(
        Error{ErrorCode::kIo, OneLine(pq.error_message(conn.get())), state ? state : ""});
  }
  if (pq.ntuples(res.get()) < 1 || pq.nfields(res.get()) < 1) return std::string();
  return std::string(pq.getvalue(res.get(), 0, 0));
}

}  // namespace aza::health
