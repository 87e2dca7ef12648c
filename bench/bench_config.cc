// bench_config — the benchmark's configurations (bench/configs.h) for bench/run.sh:
//   bench_config list MEMORY CPUS         NAME BASE GRID WORKLOADS, one configuration a line
//   bench_config flags NAME MEMORY CPUS   its settings as name=value, one a line
// Exit code 2 with one line on stderr for bad arguments.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "bench/configs.h"
#include "cli/config.h"

namespace {

int Usage(std::string_view why) {
  std::fprintf(
      stderr, "bench_config: %.*s\nusage: bench_config list MEMORY CPUS | flags NAME MEMORY CPUS\n",
      static_cast<int>(why.size()), why.data());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view verb = argc > 1 ? argv[1] : "";
  const int first = verb == "flags" ? 3 : 2;
  if ((verb != "list" && verb != "flags") || argc != first + 2) return Usage("wrong arguments");
  const auto memory = aza::cli::ParseSizingMemory("MEMORY", argv[first]);
  const auto cpus = aza::cli::ParseCpus("CPUS", argv[first + 1]);
  if (!memory) return Usage(memory.error().message);
  if (!cpus) return Usage(cpus.error().message);
  for (const aza::bench::Config& c : aza::bench::Configs(*memory, *cpus)) {
    if (verb == "list") {
      fmt::print("{} {} {} {}\n", c.name, aza::bench::BaseName(c.base), c.grid ? "grid" : "tuner",
                 fmt::join(c.workloads, ","));
    } else if (c.name == argv[2]) {
      for (const auto& [name, value] : c.settings) fmt::print("{}={}\n", name, value);
      return 0;
    }
  }
  return verb == "list" ? 0 : Usage(fmt::format("no configuration named {}", argv[2]));
}
