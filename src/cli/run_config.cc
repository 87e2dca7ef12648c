#include "cli/run_config.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "common/text.h"

namespace aza::cli {
namespace {

// PostgreSQL identifiers are at most 63 bytes (NAMEDATALEN - 1). We also keep role and
// database names to characters that need no quoting anywhere (shell, conninfo, SQL).
const std::regex kIdentifier("^[A-Za-z_][A-Za-z0-9_]{0,62}$");

bool IsSecretName(std::string_view name) {
  return name.find("PASSWORD") != std::string_view::npos ||
         name.find("_PASS") != std::string_view::npos;
}

}  // namespace

Expected<std::optional<std::string>> ReadSecret(const Env& env, const std::string& name) {
  const auto direct = env.find(name);
  const auto file = env.find(name + "_FILE");
  const bool has_direct = direct != env.end() && !direct->second.empty();
  const bool has_file = file != env.end() && !file->second.empty();
  if (has_direct && has_file) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{} and {}_FILE are both set: use one", name, name));
  }
  if (has_direct) return std::optional<std::string>(direct->second);
  if (!has_file) return std::optional<std::string>();
  std::ifstream in(file->second);
  if (!in) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': cannot read the file", name, file->second));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string value = ss.str();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  if (value.empty()) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': the file is empty", name, file->second));
  }
  return std::optional<std::string>(value);
}

Expected<RunConfig> ReadRunConfig(const Env& env) {
  RunConfig c;
  const auto pgdata = env.find("PGDATA");
  c.pgdata = pgdata == env.end() ? "/var/lib/postgresql/18/docker" : pgdata->second;
  if (c.pgdata.empty() || c.pgdata[0] != '/') {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("PGDATA='{}': must be an absolute path", c.pgdata));
  }

  auto user = ReadSecret(env, "POSTGRES_USER");
  if (!user) return tl::unexpected(user.error());
  if (*user) c.user = **user;
  auto db = ReadSecret(env, "POSTGRES_DB");
  if (!db) return tl::unexpected(db.error());
  c.database = *db ? **db : c.user;
  for (const auto& [name, value] :
       {std::pair{"POSTGRES_USER", c.user}, std::pair{"POSTGRES_DB", c.database}}) {
    if (!std::regex_match(value, kIdentifier)) {
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{}='{}': use letters, digits and _ (at most 63, not starting "
                              "with a digit)",
                              name, value));
    }
  }

  auto password = ReadSecret(env, "POSTGRES_PASSWORD");
  if (!password) return tl::unexpected(password.error());
  c.password = *password;
  if (c.password && c.password->find_first_of("\n\r") != std::string::npos) {
    return Fail(ErrorCode::kInvalidInput, "POSTGRES_PASSWORD: must be a single line");
  }

  auto initdb = ReadSecret(env, "POSTGRES_INITDB_ARGS");
  if (!initdb) return tl::unexpected(initdb.error());
  if (*initdb) {
    for (const auto arg : SplitWhitespace(**initdb)) {
      if (arg.rfind("--pwfile", 0) == 0 || arg.rfind("--auth", 0) == 0 || arg == "-A") {
        return Fail(ErrorCode::kInvalidInput,
                    fmt::format("POSTGRES_INITDB_ARGS: '{}' is set by aza-pg (SCRAM only, "
                                "password through a pipe)",
                                arg));
      }
      c.initdb_args.emplace_back(arg);
    }
  }

  if (const auto it = env.find("DISABLE_DATA_CHECKSUMS"); it != env.end() && !it->second.empty()) {
    auto b = ParseBool("DISABLE_DATA_CHECKSUMS", it->second);
    if (!b) return tl::unexpected(b.error());
    c.checksums = !*b;
  }
  if (const auto it = env.find("POSTGRES_HOST_AUTH_METHOD");
      it != env.end() && !it->second.empty() && it->second != "scram-sha-256") {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("POSTGRES_HOST_AUTH_METHOD='{}': aza-pg allows scram-sha-256 only",
                            it->second));
  }
  auto autoconfig = ReadAutoConfig(env);
  if (!autoconfig) return tl::unexpected(autoconfig.error());
  c.autoconfig = *autoconfig;
  return c;
}

std::vector<std::string> ServerEnv(const Env& env) {
  std::vector<std::string> out;
  for (const auto& [k, v] : env) {
    if (!IsSecretName(k)) out.push_back(k + "=" + v);
  }
  return out;
}

std::vector<std::string> ScriptEnv(const Env& env) {
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace aza::cli
