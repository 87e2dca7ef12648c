#include "cli/run_config.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <tuple>

#include "common/text.h"

namespace aza::cli {
namespace {

// NAMEDATALEN - 1: PostgreSQL truncates longer identifiers, which would make the role or
// database differ from the variable.
constexpr std::size_t kMaxNameBytes = 63;

bool IsSecretName(std::string_view name) {
  return name.find("PASSWORD") != std::string_view::npos ||
         name.find("_PASS") != std::string_view::npos;
}

// "NAME=value", as an environment entry.
std::string KeyValue(const std::string& name, const std::string& value) {
  std::string out = name;
  out += '=';
  out += value;
  return out;
}

// Variables whose *_FILE form aza-pg resolves: the official image's and every secret.
bool ResolvesFile(std::string_view name) {
  return IsSecretName(name) || name.rfind("POSTGRES_", 0) == 0 || name == "APP_USER";
}

Expected<std::string> ReadFile(const std::string& name, const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': {}", name, path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': is a directory, not a file", name, path));
  }
  std::ifstream in(path);
  if (!in) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': cannot read the file", name, path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Expected<std::string> Resolve(const Env& env, const std::string& name, const std::string& dflt) {
  auto v = ReadSecret(env, name);
  if (!v) return tl::unexpected(v.error());
  return v->value_or(dflt);
}

// Resolves every *_FILE aza-pg knows; the scripts then read plain variables only.
Expected<std::vector<std::string>> ScriptEnv(const Env& env, const RunConfig& c) {
  Env out;
  for (const auto& [k, v] : env) {
    if (EndsWith(k, "_FILE") && ResolvesFile(k.substr(0, k.size() - 5))) continue;
    out[k] = v;
  }
  for (const auto& [k, v] : env) {
    if (!EndsWith(k, "_FILE") || !ResolvesFile(k.substr(0, k.size() - 5))) continue;
    const std::string name = k.substr(0, k.size() - 5);
    auto value = ReadSecret(env, name);
    if (!value) return tl::unexpected(value.error());
    if (*value) out[name] = **value;
  }
  out["POSTGRES_USER"] = c.user;
  out["POSTGRES_DB"] = c.database;
  if (c.password) out["POSTGRES_PASSWORD"] = *c.password;
  std::vector<std::string> lines;
  for (const auto& [k, v] : out) lines.push_back(KeyValue(k, v));
  return lines;
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
  auto text = ReadFile(name, file->second);
  if (!text) return tl::unexpected(text.error());
  std::string value = std::move(*text);
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  if (value.empty()) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}_FILE='{}': the file is empty", name, file->second));
  }
  return std::optional<std::string>(value);
}

Expected<void> CheckName(std::string_view variable, const std::string& value, NameKind kind) {
  if (value.empty()) {
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: must not be empty", variable));
  }
  if (value.size() > kMaxNameBytes) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': {} bytes, PostgreSQL names are at most {}", variable, value,
                            value.size(), kMaxNameBytes));
  }
  if (value.find_first_of("\n\r") != std::string::npos) {
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: must be a single line", variable));
  }
  if (kind != NameKind::kDatabase && ToLower(value.substr(0, 3)) == "pg_") {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': role names starting with pg_ are reserved by PostgreSQL",
                            variable, value));
  }
  if (kind == NameKind::kSuperuser && value.find_first_of("\"$'\\") != std::string::npos) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': PostgreSQL refuses \", $, ' and \\ in the superuser's name "
                            "(extension scripts quote it); use them in APP_USER instead",
                            variable, value));
  }
  if (kind == NameKind::kDatabase && (value == "template0" || value == "template1")) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}='{}': a template database cannot be the application's database",
                            variable, value));
  }
  return {};
}

Expected<void> CheckSlotName(std::string_view variable, const std::string& value) {
  static const std::regex kSlot("^[a-z0-9_]{1,63}$");
  if (std::regex_match(value, kSlot)) return {};
  return Fail(ErrorCode::kInvalidInput,
              fmt::format("{}='{}': use a-z, 0-9 and _ (at most 63)", variable, value));
}

Expected<RunConfig> ReadRunConfig(const Env& env) {
  RunConfig c;
  const auto pgdata = env.find("PGDATA");
  c.pgdata = pgdata == env.end() ? "/var/lib/postgresql/18/docker" : pgdata->second;
  if (c.pgdata.empty() || c.pgdata[0] != '/') {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("PGDATA='{}': must be an absolute path", c.pgdata));
  }

  auto user = Resolve(env, "POSTGRES_USER", c.user);
  if (!user) return tl::unexpected(user.error());
  c.user = *user;
  auto db = Resolve(env, "POSTGRES_DB", c.user);
  if (!db) return tl::unexpected(db.error());
  c.database = *db;
  auto app_user = Resolve(env, "APP_USER", "");
  if (!app_user) return tl::unexpected(app_user.error());
  for (const auto& [name, value, kind] :
       {std::tuple{"POSTGRES_USER", c.user, NameKind::kSuperuser},
        std::tuple{"POSTGRES_DB", c.database, NameKind::kDatabase},
        std::tuple{"APP_USER", *app_user, NameKind::kRole}}) {
    if (value.empty() && std::string_view(name) == "APP_USER") continue;
    if (auto r = CheckName(name, value, kind); !r) return tl::unexpected(r.error());
  }
  if (const auto it = env.find("REPLICATION_SLOT_NAME"); it != env.end() && !it->second.empty()) {
    if (auto r = CheckSlotName(it->first, it->second); !r) return tl::unexpected(r.error());
  }

  auto password = ReadSecret(env, "POSTGRES_PASSWORD");
  if (!password) return tl::unexpected(password.error());
  c.password = *password;
  for (const auto& [k, v] : env) {
    const std::string name = EndsWith(k, "_FILE") ? k.substr(0, k.size() - 5) : k;
    if (!IsSecretName(name)) continue;
    auto secret = ReadSecret(env, name);
    if (!secret) return tl::unexpected(secret.error());
    if (*secret && (*secret)->find_first_of("\n\r") != std::string::npos) {
      return Fail(ErrorCode::kInvalidInput, fmt::format("{}: must be a single line", name));
    }
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

  bool no_checksums = false;
  for (const auto& [name, field] : {std::pair{"DISABLE_DATA_CHECKSUMS", &no_checksums},
                                    std::pair{"POSTGRES_IGNORE_OLD_DATA", &c.ignore_old_data}}) {
    if (const auto it = env.find(name); it != env.end() && !it->second.empty()) {
      auto b = ParseBool(name, it->second);
      if (!b) return tl::unexpected(b.error());
      *field = *b;
    }
  }
  c.checksums = !no_checksums;
  if (const auto it = env.find("POSTGRES_HOST_AUTH_METHOD");
      it != env.end() && !it->second.empty() && it->second != "scram-sha-256") {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("POSTGRES_HOST_AUTH_METHOD='{}': aza-pg allows scram-sha-256 only",
                            it->second));
  }
  auto autoconfig = ReadAutoConfig(env);
  if (!autoconfig) return tl::unexpected(autoconfig.error());
  c.autoconfig = *autoconfig;
  auto scripts = ScriptEnv(env, c);
  if (!scripts) return tl::unexpected(scripts.error());
  c.script_env = std::move(*scripts);
  return c;
}

Expected<std::optional<bootstrap::ReplicaConfig>> ReadReplicaConfig(const Env& env) {
  bootstrap::ReplicaConfig c;
  c.primary_host = Var(env, "PRIMARY_HOST", "");
  if (c.primary_host.empty()) return std::optional<bootstrap::ReplicaConfig>();
  c.primary_port = Var(env, "PRIMARY_PORT", c.primary_port);
  const auto port = ParseUint(c.primary_port);
  if (!port || *port == 0 || *port > 65535) {
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("PRIMARY_PORT='{}': expected a port number", c.primary_port));
  }
  c.slot = Var(env, "REPLICATION_SLOT_NAME", c.slot);
  if (auto r = CheckSlotName("REPLICATION_SLOT_NAME", c.slot); !r) {
    return tl::unexpected(r.error());
  }
  auto password = ReadSecret(env, "REPLICATION_PASSWORD");
  if (!password) return tl::unexpected(password.error());
  if (!*password) {
    return Fail(ErrorCode::kInvalidInput,
                "REPLICATION_PASSWORD or REPLICATION_PASSWORD_FILE is required with PRIMARY_HOST");
  }
  c.password = **password;
  const auto wait = ParseUint(Var(env, "REPLICA_WAIT_SECONDS", "120"));
  if (!wait || *wait > 86400) {
    return Fail(ErrorCode::kInvalidInput, "REPLICA_WAIT_SECONDS: expected seconds up to 86400");
  }
  c.wait_seconds = static_cast<int>(*wait);
  return std::optional<bootstrap::ReplicaConfig>(c);
}

std::vector<std::string> ServerEnv(const Env& env) {
  std::vector<std::string> out;
  for (const auto& [k, v] : env) {
    if (!IsSecretName(k)) out.push_back(KeyValue(k, v));
  }
  return out;
}

}  // namespace aza::cli
