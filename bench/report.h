// bench/report.h — bench/REPORT.md from the cells of bench/cells.h and the extras: the ratio
// table, a verdict for each target of issue 6, losses, every configuration, settings in
// effect, PgBouncer, WAL, audit and start-up figures; and the plot's data.
// Pure: text in, text out. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bench/cells.h"

namespace aza::bench {

struct ReportInputs {
  std::string source;                  // the results directory, for the report's header
  std::vector<Run> runs;               // runs.jsonl
  std::vector<nlohmann::json> extras;  // extras.jsonl: pgbouncer, wal, audit records
  std::string startup;                 // startup.txt, verbatim
  std::string machine;                 // machine.txt, verbatim
};

// The whole REPORT.md.
std::string RenderReport(const ReportInputs& in);

// Plot data for one workload: a line per cell, "label" then for defaults, pgtune, tstune and
// the grid best three columns, aza-pg's ratio to it and the lowest and highest ratio the two
// ranges allow (Cell::RatioRange), for bench/plots.gp's error bars.
std::string PlotData(const std::vector<Cell>& cells, std::string_view workload);

}  // namespace aza::bench
