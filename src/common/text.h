// common/text.h — small, allocation-light helpers for the line-oriented files the probes and
// the environment parser read. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aza {

// Returns `s` without leading and trailing ASCII whitespace (space, \t, \n, \r, \f, \v).
std::string_view Trim(std::string_view s);

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);

// Splits on runs of ASCII whitespace, dropping empty fields.
std::vector<std::string_view> SplitWhitespace(std::string_view s);

// Parses a whole string as a non-negative decimal integer (no sign, no spaces, no suffix).
// Returns nullopt on anything else, including overflow past uint64_t.
std::optional<std::uint64_t> ParseUint(std::string_view s);

// Parses a whole string as a signed decimal integer; nullopt on anything else.
std::optional<std::int64_t> ParseInt(std::string_view s);

// Parses a whole string as a finite non-negative decimal number ("1", "1.5", ".5");
// no exponent, no sign. nullopt on anything else.
std::optional<double> ParseDecimal(std::string_view s);

// `s` in double quotes, each double quote inside doubled ("my-app", "a""b"): a quoted SQL
// identifier, and a field of PgBouncer's auth file.
std::string DoubleQuoted(std::string_view name);

// Whether `s` ends with `suffix`.
bool EndsWith(std::string_view s, std::string_view suffix);

// ASCII lower-casing.
std::string ToLower(std::string_view s);

}  // namespace aza
