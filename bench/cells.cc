#include "bench/cells.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>

#include "bench/configs.h"
#include "common/text.h"
#include "common/units.h"

namespace aza::bench {
namespace {

std::size_t WorkloadIndex(const std::string& w) {
  const auto it = std::find(kWorkloads.begin(), kWorkloads.end(), w);
  return static_cast<std::size_t>(it - kWorkloads.begin());
}

}  // namespace

std::uint64_t MemoryBytes(const std::string& memory) {
  const auto bytes = ParseMemorySize("memory", memory);
  return bytes ? *bytes : 0;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Expected<std::vector<Run>> ParseRuns(std::string_view jsonl) {
  std::vector<Run> runs;
  int line_no = 0;
  for (const std::string_view line : Split(jsonl, '\n')) {
    ++line_no;
    if (Trim(line).empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    const auto bad = [&](std::string_view why) {
      return Fail(ErrorCode::kInvalidInput, fmt::format("runs line {}: {}", line_no, why));
    };
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    for (const char* key : {"memory", "config", "workload", "unit"}) {
      if (!j.contains(key) || !j[key].is_string()) return bad(fmt::format("no string \"{}\"", key));
    }
    for (const char* key : {"cpus", "value", "round"}) {
      if (!j.contains(key) || !j[key].is_number()) return bad(fmt::format("no number \"{}\"", key));
    }
    Run r;
    r.memory = j["memory"];
    r.cpus = j["cpus"];
    r.config = j["config"];
    r.workload = j["workload"];
    r.unit = j["unit"];
    if (r.unit != "tps" && r.unit != "s") return bad("unit is neither tps nor s");
    r.value = j["value"];
    r.round = j["round"];
    r.grid = j.value("grid", false);
    r.ok = j.value("ok", true) && r.value > 0;
    r.censored = r.ok && j.value("censored", false);
    r.oom_kills = j.value("oom_kills", 0);
    r.memory_peak_bytes = j.value("memory_peak_bytes", std::uint64_t{0});
    if (j.contains("settings") && j["settings"].is_object()) {
      for (const auto& [k, v] : j["settings"].items()) {
        if (v.is_string()) r.settings[k] = v.get<std::string>();
      }
    }
    runs.push_back(std::move(r));
  }
  return runs;
}

const Stats* Cell::Find(std::string_view config) const {
  for (const Stats& s : configs) {
    if (s.config == config) return &s;
  }
  return nullptr;
}

double Cell::Score(const Stats& s) const {
  if (s.values.empty() || s.median <= 0) return 0;
  return ScoreOf(s.median);
}

double Cell::Ratio(std::string_view other) const {
  const Stats* a = Find("aza");
  const Stats* o = Find(other);
  if (a == nullptr || o == nullptr || Score(*a) == 0 || Score(*o) == 0) return 0;
  return Score(*a) / Score(*o);
}

double Cell::PairedRatio(std::string_view other) const {
  const Stats* a = Find("aza");
  const Stats* o = Find(other);
  if (a == nullptr || o == nullptr) return 0;
  std::vector<double> ratios;
  for (std::size_t i = 0; i < a->values.size(); ++i) {
    const auto j = std::find(o->rounds.begin(), o->rounds.end(), a->rounds[i]);
    if (j == o->rounds.end()) continue;
    const auto at = static_cast<std::size_t>(j - o->rounds.begin());
    ratios.push_back(ScoreOf(a->values[i]) / ScoreOf(o->values[at]));
  }
  return ratios.empty() ? 0 : Median(ratios);
}

std::string Cell::Bound(std::string_view other) const {
  const Stats* a = Find("aza");
  const Stats* o = Find(other);
  if (a == nullptr || o == nullptr) return "";
  const bool ac = a->CensoredMedian(), oc = o->CensoredMedian();
  return ac && oc ? "?" : oc ? "≥" : ac ? "≤" : "";
}

bool Cell::Overlaps(std::string_view other) const {
  const Stats* a = Find("aza");
  const Stats* o = Find(other);
  if (a == nullptr || o == nullptr || a->values.empty() || o->values.empty()) return false;
  return a->min <= o->max && o->min <= a->max;
}

std::pair<double, double> Cell::RatioRange(std::string_view other) const {
  const Stats* a = Find("aza");
  const Stats* o = Find(other);
  if (a == nullptr || o == nullptr || a->values.empty() || o->values.empty() || a->min <= 0 ||
      o->min <= 0) {
    return {0, 0};
  }
  // Scores: tps as they are, seconds inverted, so the worst run has the lowest score.
  const auto low = [this](const Stats& s) { return unit == "s" ? 1 / s.max : s.min; };
  const auto high = [this](const Stats& s) { return unit == "s" ? 1 / s.min : s.max; };
  return {low(*a) / high(*o), high(*a) / low(*o)};
}

const Stats* Cell::Best() const {
  const Stats* best = nullptr;
  for (const Stats& s : configs) {
    if (Score(s) > 0 && (best == nullptr || Score(s) > Score(*best))) best = &s;
  }
  return best;
}

double Cell::NoiseBelow(int others, double floor) const {
  const Stats* a = Find("aza");
  if (a == nullptr || a->values.empty() || a->censored > 0 || others < 1 ||
      a->values.size() > kNoiseMaxRuns) {
    return -1;
  }
  std::vector<double> scores;
  for (double v : a->values) scores.push_back(ScoreOf(v));
  // The median's distribution: each of the n^n equally likely draw sequences, by its median.
  const std::size_t n = scores.size();
  std::size_t sequences = 1;
  for (std::size_t i = 0; i < n; ++i) sequences *= n;
  std::map<double, double> median;
  std::vector<double> draw(n);
  for (std::size_t code = 0; code < sequences; ++code) {
    std::size_t digits = code;
    for (double& d : draw) {
      d = scores[digits % n];
      digits /= n;
    }
    median[Median(draw)] += 1 / static_cast<double>(sequences);
  }
  double below = 0;
  for (const auto& [m, p] : median) {
    double none_above = 0;  // one other median at most m / floor
    for (const auto& [o, q] : median) none_above += o <= m / floor ? q : 0;
    below += p * (1 - std::pow(none_above, others));
  }
  return below;
}

std::vector<Cell> Summarize(const std::vector<Run>& runs) {
  std::vector<Cell> cells;
  for (const Run& r : runs) {
    auto cell = std::find_if(cells.begin(), cells.end(), [&](const Cell& c) {
      return c.workload == r.workload && c.memory == r.memory && c.cpus == r.cpus;
    });
    if (cell == cells.end()) {
      cells.push_back({r.workload, r.memory, r.unit, r.cpus, {}});
      cell = cells.end() - 1;
    }
    auto s = std::find_if(cell->configs.begin(), cell->configs.end(),
                          [&](const Stats& x) { return x.config == r.config; });
    if (s == cell->configs.end()) {
      cell->configs.push_back({r.config, r.grid, {}, {}, 0, 0, 0, 0, 0, 0, 0});
      s = cell->configs.end() - 1;
    }
    if (r.ok) {
      s->values.push_back(r.value);
      s->rounds.push_back(r.round);
    }
    s->failures += r.ok ? 0 : 1;
    s->censored += r.censored ? 1 : 0;
    s->oom_kills += r.oom_kills;
    s->memory_peak_bytes = std::max(s->memory_peak_bytes, r.memory_peak_bytes);
  }
  for (Cell& c : cells) {
    for (Stats& s : c.configs) {
      if (s.values.empty()) continue;
      s.median = Median(s.values);
      s.min = *std::min_element(s.values.begin(), s.values.end());
      s.max = *std::max_element(s.values.begin(), s.values.end());
    }
  }
  std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
    return std::make_tuple(WorkloadIndex(a.workload), MemoryBytes(a.memory), -a.cpus) <
           std::make_tuple(WorkloadIndex(b.workload), MemoryBytes(b.memory), -b.cpus);
  });
  return cells;
}

GeoMean GeometricMeanVs(const std::vector<Cell>& cells, const std::vector<std::string>& others,
                        Pairing pairing) {
  double log_sum = 0;
  int n = 0;
  for (const Cell& c : cells) {
    const auto ratio = [&](const std::string& o) {
      return pairing == Pairing::kRounds ? c.PairedRatio(o) : c.Ratio(o);
    };
    // Against the best of them: the lowest ratio; 0 when one of them did not run.
    double vs = others.empty() ? 0 : ratio(others.front());
    for (const std::string& o : others) vs = std::min(vs, ratio(o));
    if (vs <= 0) continue;
    log_sum += std::log(vs);
    ++n;
  }
  return {n == 0 ? 0 : std::exp(log_sum / n), n};
}

Interval GeometricMeanInterval(const std::vector<Cell>& cells,
                               const std::vector<std::string>& others, int resamples, double level,
                               Pairing pairing) {
  // mt19937_64's sequence is fixed by the standard; the distributions' are not, so draws take
  // the engine's output modulo the run count (its bias, n / 2^64, is far below any figure).
  std::mt19937_64 rng(20261207);
  std::vector<Cell> resampled = cells;
  std::vector<double> means;
  for (int i = 0; i < resamples; ++i) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      for (std::size_t k = 0; k < cells[c].configs.size(); ++k) {
        const Stats& from = cells[c].configs[k];
        if (from.values.empty() || (pairing == Pairing::kRounds && from.config != "aza")) continue;
        Stats& to = resampled[c].configs[k];
        for (std::size_t run = 0; run < to.values.size(); ++run) {
          const std::size_t pick = rng() % from.values.size();
          to.values[run] = from.values[pick];
          to.rounds[run] = from.rounds[pick];
        }
        to.median = Median(to.values);
      }
    }
    const GeoMean g = GeometricMeanVs(resampled, others, pairing);
    if (g.cells > 0) means.push_back(g.value);
  }
  if (means.empty()) return {};
  std::sort(means.begin(), means.end());
  const double tail = (1 - level) / 2 * static_cast<double>(means.size());
  const auto at = [&](double index) {
    return means[std::min(means.size() - 1, static_cast<std::size_t>(std::max(0.0, index)))];
  };
  return {at(std::floor(tail)), at(std::ceil(static_cast<double>(means.size()) - tail) - 1)};
}

}  // namespace aza::bench
