// What aza-pg adds to every container start: detection on a fixture tree, tuning, rendering,
// and the whole `aza-pg tune` process (fork + exec + detect + tune + print + exit).
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>

#include <string>

#include "cli/config.h"
#include "probe/probe.h"
#include "render/render.h"
#include "tune/tune.h"

extern char** environ;  // NOLINT: POSIX

namespace {

const std::string kRoot =
    std::string(AZA_SOURCE_DIR) + "/tests/fixtures/probe/v1_docker_cgroupns_host/root";

void BM_Detect(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(aza::probe::Detect(kRoot));
}
BENCHMARK(BM_Detect);

void BM_Tune(benchmark::State& state) {
  const aza::probe::Resources r = aza::probe::Detect(kRoot);
  for (auto _ : state) {
    benchmark::DoNotOptimize(aza::tune::Tune(aza::cli::TuneInputs(r), {}));
  }
}
BENCHMARK(BM_Tune);

void BM_DetectTuneRender(benchmark::State& state) {
  for (auto _ : state) {
    const aza::probe::Resources r = aza::probe::Detect(kRoot);
    const aza::tune::Tuning t = aza::tune::Tune(aza::cli::TuneInputs(r), {});
    benchmark::DoNotOptimize(aza::render::Flags(t));
  }
}
BENCHMARK(BM_DetectTuneRender);

// Spawns `argv` and waits, once per iteration; the process must exit 0.
void SpawnLoop(benchmark::State& state, const char* const* argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1, 0);
  for (auto _ : state) {
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char**>(argv), environ) != 0) {
      state.SkipWithError("posix_spawn failed");
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("the process failed");
      break;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
}

// The whole process as the entrypoint runs it, against the real /proc and /sys.
void BM_TuneProcess(benchmark::State& state) {
  const char* argv[] = {AZA_BINARY, "tune", "--format", "flags", nullptr};
  SpawnLoop(state, argv);
}
BENCHMARK(BM_TuneProcess)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: what creating any process costs on this machine.
void BM_TrueProcess(benchmark::State& state) {
  const char* argv[] = {"/bin/true", nullptr};
  SpawnLoop(state, argv);
}
BENCHMARK(BM_TrueProcess)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
