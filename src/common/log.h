// common/log.h — the one way aza-pg writes to the container log: "aza-pg: <line>" on stderr,
// unbuffered, one write per line. Never call between fork and exec.
#pragma once

#include <string_view>

namespace aza {

void Log(std::string_view line);

}  // namespace aza
