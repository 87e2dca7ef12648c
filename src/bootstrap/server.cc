#include "bootstrap/server.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/log.h"

namespace aza::bootstrap {
namespace {

// Between two attempts.
constexpr std::chrono::seconds kRetryInterval{2};

}  // namespace

Expected<std::string> AskWhenReady(const health::ConnParams& server, const std::string& sql,
                                   const ServerWait& wait, supervisor::Supervisor& sup) {
  const auto attempts =
      std::max<std::chrono::seconds::rep>(1, wait.timeout.count() / kRetryInterval.count());
  for (std::chrono::seconds::rep i = 1;; ++i) {
    auto value = health::QueryValue(server, sql);
    if (value) return value;
    const Error& e = value.error();
    const std::string& m = e.message;
    for (const std::string_view state : wait.final_states) {
      if (e.sqlstate == state) return tl::unexpected(Error{ErrorCode::kState, m, e.sqlstate});
    }
    for (const std::string_view f : wait.final_connection_messages) {
      if (e.sqlstate.empty() && m.find(f) != std::string::npos) return Fail(ErrorCode::kState, m);
    }
    if (i >= attempts) {
      return Fail(ErrorCode::kState, fmt::format("{} did not answer within {} s: {}", wait.what,
                                                 wait.timeout.count(), m));
    }
    Log(fmt::format("waiting for {} (attempt {}/{}): {}", wait.what, i, attempts, m));
    if (!sup.Sleep(kRetryInterval)) {
      return Fail(ErrorCode::kState, fmt::format("stopped while waiting for {}", wait.what));
    }
  }
}

}  // namespace aza::bootstrap
