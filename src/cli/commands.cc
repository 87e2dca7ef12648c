#include "cli/commands.h"

#include <fmt/format.h>

#include <cstdio>

#include "common/log.h"
#include "render/render.h"
#include "tune/tune.h"

#ifndef AZA_VERSION
#define AZA_VERSION "unknown"
#endif

namespace aza::cli {
namespace {

void Print(const std::string& s) { (void)std::fwrite(s.data(), 1, s.size(), stdout); }

}  // namespace

int ExitWith(const Error& e) {
  Log("error: " + e.message);
  return e.code == ErrorCode::kInvalidInput ? kExitUsage : kExitFailure;
}

int RunDetect(const CommandArgs& args) {
  const auto env = ReadAutoConfig(ProcessEnv());
  if (!env) return ExitWith(env.error());
  const auto r = ResolveResources(args.sizing, *env);
  if (!r) return ExitWith(r.error());
  Print(args.json ? render::DetectJson(*r).dump(2) + "\n" : render::DetectText(*r));
  return kExitOk;
}

int RunTune(const CommandArgs& args) {
  const auto env = ReadAutoConfig(ProcessEnv());
  if (!env) return ExitWith(env.error());
  tune::Options options;
  if (!args.max_connections.empty()) {
    const auto c = ParseMaxConnections("--max-connections", args.max_connections);
    if (!c) return ExitWith(c.error());
    options.max_connections = *c;
  }
  const auto r = ResolveResources(args.sizing, *env);
  if (!r) return ExitWith(r.error());
  const tune::Tuning t = tune::Tune(TuneInputs(*r), options);
  if (args.format == "json") {
    Print(render::TuneJson(*r, t).dump(2) + "\n");
  } else if (args.format == "conf") {
    Print(render::Conf(*r, t));
  } else if (args.format == "explain") {
    Print(render::Explain(*r, t));
  } else {
    Print(render::FlagsText(t));
  }
  return kExitOk;
}

int RunVersion() {
  Print(fmt::format("aza-pg {}\n", AZA_VERSION));
  return kExitOk;
}

}  // namespace aza::cli
