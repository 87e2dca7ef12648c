// The report's arithmetic on a fixture computed by hand: medians, ratios in both units,
// overlap of ranges, the grid best, the geometric mean and the verdicts.
#include "bench/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace aza::bench {
namespace {

std::string RunLine(const std::string& workload, const std::string& config, const std::string& unit,
                    double value, int round, bool grid = false, bool ok = true, int ooms = 0) {
  return nlohmann::json{{"memory", "2g"},
                        {"cpus", 2},
                        {"config", config},
                        {"workload", workload},
                        {"unit", unit},
                        {"value", value},
                        {"round", round},
                        {"grid", grid},
                        {"ok", ok},
                        {"oom_kills", ooms},
                        {"settings", {{"shared_buffers", "256MB"}}}}
             .dump() +
         "\n";
}

// tpcb (tps): aza 100/110/120, defaults 90/100/95, pgtune 100 x3, tstune 50/60/70,
//   sb-double (grid) 130/140/150.
// hnsw (s): aza 10/12/11, defaults 20/22/21, pgtune 11 x3, tstune 5.5 x3.
std::string Fixture() {
  std::string s;
  const double tpcb[][5] = {
      {100, 90, 100, 50, 130}, {110, 100, 100, 60, 140}, {120, 95, 100, 70, 150}};
  const double hnsw[][4] = {{10, 20, 11, 5.5}, {12, 22, 11, 5.5}, {11, 21, 11, 5.5}};
  const char* names[] = {"aza", "defaults", "pgtune", "tstune"};
  for (int r = 0; r < 3; ++r) {
    for (int i = 0; i < 4; ++i) s += RunLine("tpcb", names[i], "tps", tpcb[r][i], r + 1);
    s += RunLine("tpcb", "sb-double", "tps", tpcb[r][4], r + 1, true);
    for (int i = 0; i < 4; ++i) s += RunLine("hnsw", names[i], "s", hnsw[r][i], r + 1);
  }
  return s;
}

TEST(Report, MediansRatiosAndBest) {
  auto runs = ParseRuns(Fixture());
  ASSERT_TRUE(runs.has_value()) << runs.error().message;
  const auto cells = Summarize(*runs);
  ASSERT_EQ(cells.size(), 2u);
  const Cell& tpcb = cells[0];  // workload order: tpcb before hnsw
  ASSERT_EQ(tpcb.workload, "tpcb");
  EXPECT_DOUBLE_EQ(tpcb.Find("aza")->median, 110);
  EXPECT_DOUBLE_EQ(tpcb.Find("defaults")->median, 95);
  EXPECT_DOUBLE_EQ(tpcb.Ratio("defaults"), 110.0 / 95);
  EXPECT_DOUBLE_EQ(tpcb.Ratio("pgtune"), 1.1);
  EXPECT_TRUE(tpcb.Overlaps("defaults"));  // [100, 120] and [90, 100] touch at 100
  EXPECT_FALSE(tpcb.Overlaps("tstune"));   // [50, 70]
  EXPECT_EQ(tpcb.Best()->config, "sb-double");
  // The ratio range holds 1 exactly when the ranges overlap.
  EXPECT_EQ(tpcb.RatioRange("defaults"), std::make_pair(1.0, 120.0 / 90));
  EXPECT_EQ(tpcb.RatioRange("tstune"), std::make_pair(100.0 / 70, 120.0 / 50));
  const Cell& hnsw = cells[1];
  EXPECT_EQ(hnsw.unit, "s");
  EXPECT_DOUBLE_EQ(hnsw.Ratio("defaults"), 21.0 / 11);  // seconds: lower is better
  EXPECT_DOUBLE_EQ(hnsw.Ratio("tstune"), 0.5);
  EXPECT_EQ(hnsw.Best()->config, "tstune");
  // Seconds: aza-pg's slowest run (12 s) against the other's fastest (20 s), and the reverse.
  EXPECT_DOUBLE_EQ(hnsw.RatioRange("defaults").first, 20.0 / 12);
  EXPECT_DOUBLE_EQ(hnsw.RatioRange("defaults").second, 22.0 / 10);
  EXPECT_EQ(hnsw.RatioRange("nobody"), std::make_pair(0.0, 0.0));
  // Best peer per cell: tpcb min(1.1, 110/60) = 1.1; hnsw min(1, 0.5) = 0.5.
  const GeoMean best = GeometricMeanVs(cells, {"pgtune", "tstune"});
  EXPECT_NEAR(best.value, std::sqrt(1.1 * 0.5), 1e-12);
  EXPECT_EQ(best.cells, 2);
  // Each peer alone: PGTune 1.1 and 1 (hnsw 11 s vs 11 s); timescaledb-tune 110/60 and 0.5.
  EXPECT_NEAR(GeometricMeanVs(cells, {"pgtune"}).value, std::sqrt(1.1 * 1.0), 1e-12);
  EXPECT_NEAR(GeometricMeanVs(cells, {"tstune"}).value, std::sqrt(110.0 / 60 * 0.5), 1e-12);
  // A configuration no cell ran counts no cell.
  EXPECT_EQ(GeometricMeanVs(cells, {"pgtune", "nobody"}).cells, 0);
}

TEST(Report, NoiseBelowIsAnExactBootstrap) {
  // aza-pg ran 1 and 2 tps: a median of two draws is 1, 1.5 or 2 with chances 1/4, 1/2, 1/4.
  // Against one other such median it falls below 0.95x when it is 1 and the other is not
  // (1/4 x 3/4) or 1.5 and the other is 2 (1/2 x 1/4): 5/16. Against the best of two:
  // 1/4 x (1 - (1/4)^2) + 1/2 x (1 - (3/4)^2) = 29/64.
  std::string s = RunLine("tpcb", "aza", "tps", 1, 1) + RunLine("tpcb", "aza", "tps", 2, 2) +
                  RunLine("hnsw", "aza", "s", 1, 1) + RunLine("hnsw", "aza", "s", 0.5, 2);
  const auto cells = Summarize(*ParseRuns(s));
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_DOUBLE_EQ(cells[0].NoiseBelow(1, 0.95), 5.0 / 16);
  EXPECT_DOUBLE_EQ(cells[0].NoiseBelow(2, 0.95), 29.0 / 64);
  EXPECT_DOUBLE_EQ(cells[1].NoiseBelow(1, 0.95), 5.0 / 16);  // seconds: 1 s and 0.5 s
  EXPECT_EQ(cells[0].NoiseBelow(0, 0.95), -1);               // nothing to compare with
  // Runs that all agree leave nothing to chance; a capped run cannot be told.
  std::string same = RunLine("tpcb", "aza", "tps", 7, 1) + RunLine("tpcb", "aza", "tps", 7, 2);
  EXPECT_DOUBLE_EQ(Summarize(*ParseRuns(same))[0].NoiseBelow(5, 0.95), 0);
  auto capped = *ParseRuns(RunLine("hnsw", "aza", "s", 120, 1));
  capped[0].censored = true;
  EXPECT_EQ(Summarize(capped)[0].NoiseBelow(1, 0.95), -1);
}

TEST(Report, GeometricMeanIntervalSpansWhatTheRunsAllow) {
  // Against the best peer the fixture's geometric mean is sqrt(aza tpcb / 100 x 5.5 / aza
  // hnsw): tstune's tps stay below PGTune's 100 and PGTune's 11 s above tstune's 5.5 s in
  // every resample. aza-pg's median of three draws from {100, 110, 120} tps is 100 or 120 with
  // chance 7/27 each (two or three draws alike), and so for {10, 11, 12} s. The lowest pair
  // (100 tps, 12 s) then has chance 49/729, about 6.7%, more than the 2.5% tail, so a 95%
  // interval runs exactly from the lowest to the highest geometric mean the runs allow.
  const auto cells = Summarize(*ParseRuns(Fixture()));
  const Interval i = GeometricMeanInterval(cells, {"pgtune", "tstune"}, 2000, 0.95);
  EXPECT_DOUBLE_EQ(i.low, std::sqrt(1.0 * 5.5 / 12));
  EXPECT_DOUBLE_EQ(i.high, std::sqrt(1.2 * 5.5 / 10));
  const double point = GeometricMeanVs(cells, {"pgtune", "tstune"}).value;
  EXPECT_LT(i.low, point);
  EXPECT_GT(i.high, point);
  // The same inputs give the same interval: the report is byte-stable.
  const Interval again = GeometricMeanInterval(cells, {"pgtune", "tstune"}, 2000, 0.95);
  EXPECT_EQ(i.low, again.low);
  EXPECT_EQ(i.high, again.high);
  // Runs that all agree leave no spread; no cell counted gives no interval.
  std::string same;
  for (int r = 1; r <= 3; ++r) {
    same += RunLine("tpcb", "aza", "tps", 110, r) + RunLine("tpcb", "pgtune", "tps", 100, r);
  }
  const Interval fixed = GeometricMeanInterval(Summarize(*ParseRuns(same)), {"pgtune"}, 500, 0.9);
  EXPECT_DOUBLE_EQ(fixed.low, 1.1);
  EXPECT_DOUBLE_EQ(fixed.high, 1.1);
  const Interval none = GeometricMeanInterval(cells, {"nobody"}, 100, 0.95);
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 0);
}

TEST(Report, PairedRatiosCancelDriftBetweenRounds) {
  // The host slows and speeds up for both alike: aza 100/200/300 tps, the other 110/180/330.
  // Medians: 200/180 = 1.11x; round by round 0.909, 1.11, 0.909: 10/11.
  std::string s;
  const double aza[] = {100, 200, 300}, other[] = {110, 180, 330};
  for (int r = 0; r < 3; ++r) {
    s += RunLine("tpcb", "aza", "tps", aza[r], r + 1);
    s += RunLine("tpcb", "pgtune", "tps", other[r], r + 1);
    if (r != 1) s += RunLine("tpcb", "tstune", "tps", other[r], r + 1);  // round 2 missing
  }
  s += RunLine("hnsw", "aza", "s", 10, 1) + RunLine("hnsw", "pgtune", "s", 20, 2);
  const auto cells = Summarize(*ParseRuns(s));
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_DOUBLE_EQ(cells[0].Ratio("pgtune"), 200.0 / 180);
  EXPECT_DOUBLE_EQ(cells[0].PairedRatio("pgtune"), 100.0 / 110);
  EXPECT_DOUBLE_EQ(cells[0].PairedRatio("tstune"), 100.0 / 110);  // rounds 1 and 3 only
  EXPECT_EQ(cells[1].PairedRatio("pgtune"), 0);                   // no round has both
  EXPECT_EQ(cells[0].PairedRatio("nobody"), 0);
  EXPECT_NEAR(GeometricMeanVs({cells[0]}, {"pgtune"}, Pairing::kRounds).value, 100.0 / 110, 1e-12);
  EXPECT_EQ(GeometricMeanVs(cells, {"pgtune"}, Pairing::kRounds).cells, 1);
  // Redrawing aza-pg's rounds: the median of three draws is 200/180 when two or three draws
  // are round 2 (chance 7/27), 100/110 otherwise; both tails hold more than 2.5%.
  const Interval i = GeometricMeanInterval({cells[0]}, {"pgtune"}, 2000, 0.95, Pairing::kRounds);
  EXPECT_DOUBLE_EQ(i.low, 100.0 / 110);
  EXPECT_DOUBLE_EQ(i.high, 200.0 / 180);
}

TEST(Report, VerdictsNameTheLosingCells) {
  ReportInputs in;
  in.source = "bench/results/x";
  in.runs = *ParseRuns(Fixture());
  const std::string md = RenderReport(in);
  // The interval is the lowest to the highest mean the runs allow (the test above).
  // Round by round the peers' constant runs give the same figures.
  EXPECT_NE(md.find("| 0.742× over 2 cells (95% bootstrap interval 0.677–0.812, below the "
                    "target whatever the noise; round by round, each of aza-pg's runs against "
                    "the others' of its round, so that drift between rounds cancels: 0.742×, 95% "
                    "bootstrap interval 0.677–0.812, below the target whatever the noise; against "
                    "each alone: PGTune 1.049×, timescaledb-tune 0.957×;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("leans low) | **no** |"), std::string::npos) << md;
  // Grid best: tpcb 110/140 = 0.79 (sb-double), hnsw 0.5 (tstune): both cells below 0.95.
  EXPECT_NE(
      md.find("2 of 2 below, 2 outside the spread: tpcb 2g / 2 CPU (0.79× sb-double); hnsw 2g / "
              "2 CPU (0.50× tstune) (by noise alone, were every configuration aza-pg with its "
              "own spread, 1.1 of the 2 cells without a capped aza-pg run would be expected "
              "below) | **no** |"),
      std::string::npos)
      << md;
  // Against defaults: 1.16x and 1.91x.
  EXPECT_NE(md.find("every cell ≥ 0.95× PostgreSQL defaults | all 2 cells (by noise alone, were "
                    "every configuration aza-pg with its own spread, 0.6 of the 2 cells without "
                    "a capped aza-pg run would be expected below) | yes |"),
            std::string::npos)
      << md;
  EXPECT_NE(
      md.find("| tpcb | 2g / 2 CPU | 110 tps | 1.16×~ | 1.10×~ | 1.83× | 0.79× (sb-double) |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("PgBouncer: 1000 clients with zero errors | not measured"), std::string::npos);
}

TEST(Report, ShortfallsInsideTheSpreadAreToldApart) {
  // Against defaults: tpcb aza [100, 120] vs [105, 125], 110 / 120 = 0.92, overlapping;
  // hnsw aza 10-12 s vs 5-6 s, 5.5 / 11 = 0.50, apart.
  std::string s;
  const double tpcb[][2] = {{100, 105}, {110, 120}, {120, 125}};
  const double hnsw[][2] = {{10, 5}, {12, 5.5}, {11, 6}};
  for (int r = 0; r < 3; ++r) {
    s += RunLine("tpcb", "aza", "tps", tpcb[r][0], r + 1);
    s += RunLine("tpcb", "defaults", "tps", tpcb[r][1], r + 1);
    s += RunLine("hnsw", "aza", "s", hnsw[r][0], r + 1);
    s += RunLine("hnsw", "defaults", "s", hnsw[r][1], r + 1);
  }
  ReportInputs in;
  in.runs = *ParseRuns(s);
  const std::string md = RenderReport(in);
  EXPECT_NE(md.find("| every cell ≥ 0.95× PostgreSQL defaults | 2 of 2 below, 1 outside the "
                    "spread: hnsw 2g / 2 CPU (0.50× defaults); inside it: tpcb 2g / 2 CPU "
                    "(0.92× defaults) (by noise alone, were every configuration aza-pg with its "
                    "own spread, 0.6 of the 2 cells without a capped aza-pg run would be expected "
                    "below) | **no** |"),
            std::string::npos)
      << md;
}

TEST(Report, AnIntervalAcrossTheTargetSaysSo) {
  // aza 100/110/120 tps against 105 for both peers: 1.048x, and anything from 100/105 to
  // 120/105 as the runs fall.
  std::string s;
  for (int r = 1; r <= 3; ++r) {
    s += RunLine("tpcb", "aza", "tps", 90 + 10 * r, r);
    s += RunLine("tpcb", "pgtune", "tps", 105, r);
    s += RunLine("tpcb", "tstune", "tps", 105, r);
  }
  ReportInputs in;
  in.runs = *ParseRuns(s);
  const std::string md = RenderReport(in);
  EXPECT_NE(md.find("| 1.048× over 1 cells (95% bootstrap interval 0.952–1.143, which holds the "
                    "target: noise alone could put the figure on either side of it;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("leans low) | **no** |"), std::string::npos) << md;
}

TEST(Report, FiguresBelowATargetNeverPrintAsIt) {
  // aza 104.97 tps against 100 for both peers (1.0497, rounding to 1.050) and 110.5 for
  // defaults (0.94995, rounding to 0.95): each is printed on its own side of the target.
  std::string s;
  for (int r = 1; r <= 3; ++r) {
    s += RunLine("tpcb", "aza", "tps", 104.97, r);
    s += RunLine("tpcb", "pgtune", "tps", 100, r);
    s += RunLine("tpcb", "tstune", "tps", 100, r);
    s += RunLine("tpcb", "defaults", "tps", 110.5, r);
  }
  ReportInputs in;
  in.runs = *ParseRuns(s);
  const std::string md = RenderReport(in);
  // Runs that all agree make the interval a point, printed on the same side of the target.
  EXPECT_NE(md.find("| 1.049× over 1 cells (95% bootstrap interval 1.049–1.049, below the target "
                    "whatever the noise; round by round, each of aza-pg's runs against the "
                    "others' of its round, so that drift between rounds cancels: 1.049×, 95% "
                    "bootstrap interval 1.049–1.049, below the target whatever the noise; "
                    "against each alone: PGTune 1.049×, timescaledb-tune 1.049×;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| every cell ≥ 0.95× PostgreSQL defaults | 1 of 1 below, 1 outside the "
                    "spread: tpcb 2g / 2 CPU (0.94× defaults) (by noise alone, were every "
                    "configuration aza-pg with its own spread, 0.0 of the 1 cells without a "
                    "capped aza-pg run would be expected below) | **no** |"),
            std::string::npos)
      << md;
}

TEST(Report, FailedRunsAndOomKillsFailTheTarget) {
  std::string s = Fixture();
  s += RunLine("tpcb", "aza", "tps", 0, 4, false, false, 1);
  ReportInputs in;
  in.runs = *ParseRuns(s);
  const std::string md = RenderReport(in);
  EXPECT_NE(md.find("1 OOM kills, 1 failed runs of 28 | **no** |"), std::string::npos) << md;
  // The failed run does not move the median.
  EXPECT_DOUBLE_EQ(Summarize(in.runs)[0].Find("aza")->median, 110);
}

TEST(Report, ExtrasGiveWalAndPgBouncerVerdicts) {
  ReportInputs in;
  in.runs = *ParseRuns(Fixture());
  for (int r = 1; r <= 3; ++r) {
    in.extras.push_back(
        {{"kind", "wal"}, {"setting", "lz4"}, {"round", r}, {"wal_bytes", 40e6 + r}});
    in.extras.push_back({{"kind", "wal"}, {"setting", "off"}, {"round", r}, {"wal_bytes", 100e6}});
  }
  in.extras.push_back({{"kind", "pgbouncer"},
                       {"via", "pgbouncer"},
                       {"clients", 1000},
                       {"tps", 5000.0},
                       {"errors", 0},
                       {"case", "select-only"}});
  const std::string md = RenderReport(in);
  EXPECT_NE(md.find("| lz4 WAL ≤ 0.7× uncompressed | 0.40× | yes |"), std::string::npos) << md;
  EXPECT_NE(md.find("| PgBouncer: 1000 clients with zero errors | 0 errors, 5000 tps | yes |"),
            std::string::npos)
      << md;
}

TEST(Report, ParseErrorsNameTheLine) {
  auto r = ParseRuns(RunLine("tpcb", "aza", "tps", 1, 1) + "{\"memory\": \"2g\"}\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "runs line 2: no string \"config\"");
  EXPECT_FALSE(ParseRuns("not json\n").has_value());
  auto bad_unit = ParseRuns(RunLine("tpcb", "aza", "ms", 1, 1));
  ASSERT_FALSE(bad_unit.has_value());
  EXPECT_EQ(bad_unit.error().message, "runs line 1: unit is neither tps nor s");
}

// groupby (s): defaults reached the 60 s cap in two of three runs, aza-pg never did; then the
// ratio is a lower bound. When aza-pg is capped too, it is unknown.
TEST(Report, CappedRunsMakeBounds) {
  std::string s;
  const double aza[] = {4, 5, 6};
  const double defaults[] = {60, 60, 20};
  for (int r = 0; r < 3; ++r) {
    s += RunLine("groupby", "aza", "s", aza[r], r + 1);
    auto line = nlohmann::json::parse(RunLine("groupby", "defaults", "s", defaults[r], r + 1));
    line["censored"] = defaults[r] == 60;
    s += line.dump() + "\n";
  }
  ReportInputs in;
  in.runs = *ParseRuns(s);
  const Cell cell = Summarize(in.runs)[0];
  EXPECT_EQ(cell.Find("defaults")->censored, 2);
  EXPECT_TRUE(cell.Find("defaults")->CensoredMedian());
  EXPECT_EQ(cell.Bound("defaults"), "≥");
  EXPECT_DOUBLE_EQ(cell.Ratio("defaults"), 12.0);
  const std::string md = RenderReport(in);
  EXPECT_NE(md.find("| groupby | 2g / 2 CPU | 5.0 s | ≥12.00× |"), std::string::npos) << md;
  EXPECT_NE(md.find("≥60.0 (20.0–60.0, 2 capped) s"), std::string::npos) << md;

  auto capped = nlohmann::json::parse(RunLine("groupby", "aza", "s", 60, 4));
  capped["censored"] = true;
  // Three of aza-pg's six runs capped: its median is a bound too.
  in.runs = *ParseRuns(s + capped.dump() + "\n" + capped.dump() + "\n" + capped.dump() + "\n");
  EXPECT_EQ(Summarize(in.runs)[0].Bound("defaults"), "?");
  EXPECT_NE(RenderReport(in).find("? (both capped)"), std::string::npos);
  // The plot draws no bar for an unknown ratio.
  EXPECT_EQ(PlotData(Summarize(in.runs), "groupby").rfind("\"2g/2cpu\" ? ", 0), 0u);
}

TEST(Report, MedianOfEvenCount) { EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5); }

TEST(Report, PlotDataHasOneLinePerCell) {
  const auto cells = Summarize(*ParseRuns(Fixture()));
  // Ranges: defaults [100/100, 120/90], pgtune [100/100, 120/100], tstune [100/70, 120/50],
  // sb-double [100/150, 120/130].
  EXPECT_EQ(PlotData(cells, "tpcb"),
            "\"2g/2cpu\" 1.1579 1.0000 1.3333 1.1000 1.0000 1.2000 1.8333 1.4286 2.4000 0.7857 "
            "0.6667 0.9231\n");
  EXPECT_EQ(PlotData(cells, "select"), "");
}

}  // namespace
}  // namespace aza::bench
