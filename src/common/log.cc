#include "common/log.h"

#include <unistd.h>

#include <string>

namespace aza {

void Log(std::string_view line) {
  std::string out = "aza-pg: ";
  out.append(line);
  out.push_back('\n');
  // One write(2), so lines from concurrent processes do not interleave mid-line.
  [[maybe_unused]] const ssize_t n = ::write(2, out.data(), out.size());
}

}  // namespace aza
