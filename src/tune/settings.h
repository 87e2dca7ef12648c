// tune/settings.h — every setting aza-pg tunes, one row each: its name, how its value is
// printed from the computed Values, the rule in words, its limits, why (with the source), and
// whether a change needs a restart. The tuner, every renderer and docs/tuning.md's rules table
// walk this one table, in its order (render_test fails when the document and the table
// differ). Pure data; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "tune/tune.h"

namespace aza::tune {

enum class Apply { kReload, kRestart };

struct SettingRow {
  std::string_view name;
  std::string_view rule;    // the formula, in words: explain, JSON, postgresql.conf comments
  std::string_view limits;  // its cap and floor, "" when none
  std::string_view why;     // the reason and its source, for docs/tuning.md
  Apply apply;
  std::string (*value)(const Values&);  // "" leaves the setting out (a standby-only minimum)
};

// The rows in the order every output prints them.
std::span<const SettingRow> SettingTable();

}  // namespace aza::tune
