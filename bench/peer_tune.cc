// peer_tune TUNER MEMORY CPUS [CONNECTIONS]: prints a peer tuner's settings as postgres -c
// flags, one per line, for the benchmark harness (bench/run.sh).
#include <cstdio>
#include <string>

#include "bench/peers.h"
#include "cli/config.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: peer_tune pgtune|tstune MEMORY CPUS [CONNECTIONS]\n");
    return 2;
  }
  const std::string tuner = argv[1];
  const auto memory = aza::cli::ParseSizingMemory("MEMORY", argv[2]);
  const auto cpus = aza::cli::ParseCpus("CPUS", argv[3]);
  if (!memory || !cpus || (tuner != "pgtune" && tuner != "tstune")) {
    std::fprintf(stderr, "peer_tune: bad arguments\n");
    return 2;
  }
  const aza::bench::PeerInputs in{*memory, static_cast<int>(*cpus),
                                  argc > 4 ? std::stoi(argv[4]) : 200};
  const auto settings = tuner == "pgtune" ? aza::bench::PgTuneWeb(in) : aza::bench::TimescaleTune(in);
  for (const auto& [name, value] : settings) std::printf("-c %s=%s\n", name.c_str(), value.c_str());
  return 0;
}
