// render/render.h — the output formats of detect and tune. Knows formats, not decisions:
// it walks Tuning::settings in their fixed order, so every output is byte-stable.
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "probe/probe.h"
#include "tune/tune.h"

namespace aza::render {

// postgres arguments: {"-c", "shared_buffers=128MB", "-c", ...}.
std::vector<std::string> Flags(const tune::Tuning& t);

// The same as text, one "-c name=value" per line (for `postgres $(aza-pg tune)`).
std::string FlagsText(const tune::Tuning& t);

// A postgresql.conf fragment: a header naming the inputs, then each setting with its rule.
std::string Conf(const probe::Resources& r, const tune::Tuning& t);

// A human table: setting, value, why (and the clamp hit), then the budget and warnings.
std::string Explain(const probe::Resources& r, const tune::Tuning& t);

// detect --json: memory_bytes, memory_limit_bytes, memory_source, host_memory_bytes, cpus,
// cpu_source, shm_bytes, shm_source, huge_pages_free_bytes, warnings, trace.
nlohmann::ordered_json DetectJson(const probe::Resources& r);

// tune --format json: {"inputs": DetectJson, "settings": {...}, "budget": {...},
// "explain": [...], "warnings": [...]}.
nlohmann::ordered_json TuneJson(const probe::Resources& r, const tune::Tuning& t);

// detect without --json: aligned "key: value" lines.
std::string DetectText(const probe::Resources& r);

// One log line with what was detected, and one with the chosen values (the entrypoint logs
// these; the guide's tests grep them).
std::string DetectedLogLine(const probe::Resources& r);
std::string TunedLogLine(const tune::Tuning& t);

// docs/tuning.md's rules table: one Markdown row per tune::SettingTable() row.
std::string RulesMarkdown();

}  // namespace aza::render
