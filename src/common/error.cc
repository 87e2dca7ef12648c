#include "common/error.h"

#include <fmt/format.h>

#include <cstring>

namespace aza {

Error FromErrno(std::string_view what, int err) {
  return Error{ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(err))};
}

}  // namespace aza
