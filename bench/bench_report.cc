// bench_report DIR — prints bench/REPORT.md for the results in DIR (runs.jsonl, and when
// present extras.jsonl, startup.txt, machine.txt) and writes DIR/ratios-<workload>.dat for
// bench/plots.gp. Exit code 2 with one line on stderr when DIR's files cannot be read or parsed.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/configs.h"
#include "bench/report.h"
#include "common/text.h"

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "bench_report: %s\n", why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Fail("usage: bench_report RESULTS_DIR");
  const std::string dir = argv[1];
  aza::bench::ReportInputs in;
  in.source = dir;
  const std::string runs_text = Slurp(dir + "/runs.jsonl");
  if (runs_text.empty()) return Fail(dir + "/runs.jsonl is missing or empty");
  auto runs = aza::bench::ParseRuns(runs_text);
  if (!runs) return Fail(dir + "/runs.jsonl: " + runs.error().message);
  in.runs = std::move(*runs);
  // Split returns views into its argument, which must outlive the loop (a temporary in the
  // range-init would be destroyed before the first iteration until C++23).
  const std::string extras_text = Slurp(dir + "/extras.jsonl");
  for (const std::string_view line : aza::Split(extras_text, '\n')) {
    if (aza::Trim(line).empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return Fail(dir + "/extras.jsonl: a line is not a JSON object");
    in.extras.push_back(std::move(j));
  }
  in.startup = Slurp(dir + "/startup.txt");
  in.machine = Slurp(dir + "/machine.txt");
  const auto cells = aza::bench::Summarize(in.runs);
  for (const std::string& w : aza::bench::kWorkloads) {
    std::ofstream(dir + "/ratios-" + w + ".dat") << aza::bench::PlotData(cells, w);
  }
  fmt::print("{}", aza::bench::RenderReport(in));
  return 0;
}
