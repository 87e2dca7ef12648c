// common/error.h — the project's one error type and Expected<T> alias.
// Errors are values at module edges; exceptions stay inside CLI11/fmt/json calls and are
// mapped to exit codes in cli/main.cc. Thread-compatible (plain values).
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace aza {

// Few, actionable codes: each maps to one exit-code decision in the CLI.
enum class ErrorCode {
  kInvalidInput,  // a user-supplied value (env, flag, file) is wrong: exit 2
  kIo,            // the OS refused an operation: exit 1
  kState,         // the data directory or a process is in a state we refuse to continue from
};

struct [[nodiscard]] Error {
  Error(ErrorCode c, std::string m, std::string state = {})
      : code(c), message(std::move(m)), sqlstate(std::move(state)) {}
  ErrorCode code;
  std::string message;   // one line, names the input or the path
  std::string sqlstate;  // PostgreSQL's SQLSTATE when the server reported the error
};

template <class T>
using Expected = tl::expected<T, Error>;

// Returns an unexpected value; use as `return Fail(ErrorCode::kInvalidInput, "...");`.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// The single place errno becomes an Error: "<what>: <strerror(err)>".
Error FromErrno(std::string_view what, int err);

}  // namespace aza
