// bench/cells.h — the benchmark's raw runs (runs.jsonl) summarized per cell: medians and
// spreads of every configuration, aza-pg's ratios against the others, and the geometric mean
// against the best peer tuner. Pure; thread-safe. bench/report.h renders them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace aza::bench {

// One measured run of bench/run.sh (a line of runs.jsonl).
struct Run {
  std::string memory;  // as given to docker run: "2g"
  double cpus = 0;
  std::string config;
  bool grid = false;
  std::string workload;
  int round = 0;
  std::string unit;  // "tps" (higher is better) or "s" (lower is better)
  double value = 0;
  bool ok = true;
  bool censored = false;  // reached the workload's cap: `value` is a lower bound
  int oom_kills = 0;
  std::uint64_t memory_peak_bytes = 0;
  std::map<std::string, std::string> settings;  // SHOW of the settings that differ
};

// Parses runs.jsonl; an error names the line and what is wrong with it.
Expected<std::vector<Run>> ParseRuns(std::string_view jsonl);

struct Stats {
  std::string config;
  bool grid = false;
  std::vector<double> values;  // successful runs only
  std::vector<int> rounds;     // the round of each of `values`
  int failures = 0;
  int censored = 0;  // runs that reached the cap
  int oom_kills = 0;
  std::uint64_t memory_peak_bytes = 0;  // highest over its runs
  double median = 0, min = 0, max = 0;

  // The median is a lower bound (of seconds) when at least half the runs reached the cap.
  bool CensoredMedian() const {
    return censored > 0 && 2 * censored >= static_cast<int>(values.size());
  }
};

// One (workload, memory, CPUs) cell and every configuration measured in it.
struct Cell {
  std::string workload, memory, unit;
  double cpus = 0;
  std::vector<Stats> configs;  // in the order they first appear in the runs

  const Stats* Find(std::string_view config) const;
  // Higher is better whatever the unit: tps, or 1 / seconds.
  double ScoreOf(double value) const { return unit == "s" ? 1 / value : value; }
  // ScoreOf the median; 0 when there is no successful run.
  double Score(const Stats& s) const;
  // aza-pg's score over `other`'s (medians); 0 when either has no successful run. A capped
  // median makes it a bound: see Bound.
  double Ratio(std::string_view other) const;
  // aza-pg's score over `other`'s in each round both completed, the median of those ratios:
  // a round runs every configuration in turn, so what drifts between rounds (the host's speed
  // moved by 1.6x within one cell) cancels. 0 when no round has both.
  double PairedRatio(std::string_view other) const;
  // "≥" when only `other`'s median reached the cap, "≤" when only aza-pg's did, "?" when
  // both did (the ratio is unknown), "" otherwise.
  std::string Bound(std::string_view other) const;
  // Whether aza-pg's and `other`'s min-max ranges overlap: the difference is within the
  // run-to-run spread, not a finding.
  bool Overlaps(std::string_view other) const;
  // The lowest and highest ratio the two min-max ranges allow (aza-pg's worst run against
  // the other's best, and the reverse); it holds 1 exactly when the ranges overlap. {0, 0}
  // when either has no successful run.
  std::pair<double, double> RatioRange(std::string_view other) const;
  // The configuration with the best median score (the grid's estimate of the best achievable).
  const Stats* Best() const;
  // How likely aza-pg's median is to fall below `floor` x the best median of `others` more
  // configurations were each of them aza-pg again: every median is of as many runs as aza-pg
  // has, drawn with replacement from aza-pg's own runs (an exact bootstrap, so the noise is
  // the cell's own). What noise alone does to a target held against the best of several.
  // -1 when it cannot be told: no run, a capped run, or more than kNoiseMaxRuns runs.
  double NoiseBelow(int others, double floor) const;
};

// NoiseBelow enumerates all n^n draw sequences of n runs: 823,543 at 7, 3,125 at five rounds.
inline constexpr std::size_t kNoiseMaxRuns = 7;

// Cells ordered by workload (bench/configs.h kWorkloads), memory ascending, CPUs descending.
std::vector<Cell> Summarize(const std::vector<Run>& runs);

// A geometric mean of aza-pg's ratios and the number of cells it is over.
struct GeoMean {
  double value = 0;  // 0 when no cell counted
  int cells = 0;
};

// How a cell's ratio is taken: medians over medians (Cell::Ratio), or round by round
// (Cell::PairedRatio).
enum class Pairing { kMedians, kRounds };

// The geometric mean over cells of aza-pg's ratio against the best of `others` in each cell
// (one name: against that configuration alone); only cells where all of them ran count.
GeoMean GeometricMeanVs(const std::vector<Cell>& cells, const std::vector<std::string>& others,
                        Pairing pairing = Pairing::kMedians);

// The central `level` share (0.95: the 2.5th to the 97.5th percentile) of GeometricMeanVs over
// `resamples` bootstrap resamples of the runs. kMedians: every configuration of every cell gets
// as many runs as it has, drawn with replacement from its own, and its median anew. kRounds:
// aza-pg's runs are drawn so, each still paired with the others' runs of its round. How far
// the run-to-run noise alone could move the geometric mean; a capped run counts at its cap,
// as in the point estimate. Deterministic (a fixed seed), so the report is byte-stable.
// {0, 0} when no cell counts.
struct Interval {
  double low = 0, high = 0;
};
Interval GeometricMeanInterval(const std::vector<Cell>& cells,
                               const std::vector<std::string>& others, int resamples, double level,
                               Pairing pairing = Pairing::kMedians);

// Median of a non-empty list.
double Median(std::vector<double> values);

// A memory point as given to docker run ("2g") in bytes; 0 when it does not parse.
std::uint64_t MemoryBytes(const std::string& memory);

}  // namespace aza::bench
