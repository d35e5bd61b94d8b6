// The scalar readers behind every option factory: one message per kind of mistake, so all
// settings complain the same way.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/settings/spec.hpp"
#include "core/yaml/strict_yaml.hpp"

namespace crmsync::settings {

SourceLocation ParseContext::at(const YAML::Node& node) const {
  return location_of(node, file_);
}

void ParseContext::error(const YAML::Node& node, std::string message, std::string help) {
  diags_.error(at(node), std::move(message), std::move(help));
}

void ParseContext::warning(const YAML::Node& node, std::string message, std::string help) {
  diags_.warning(at(node), std::move(message), std::move(help));
}

bool expect_map(const YAML::Node& node, std::string_view what, ParseContext& ctx) {
  if (node.IsMap()) return true;
  ctx.error(node, "'" + std::string(what) + "' must be a section of 'key: value' settings",
            "indent its settings below it, or write { key: value, ... }");
  return false;
}

void check_keys(const YAML::Node& map, const std::vector<std::string_view>& known,
                std::string_view where, ParseContext& ctx) {
  for (const auto& pair : map) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      ctx.error(key, "a setting name must be a plain word");
      continue;
    }
    const auto& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    auto help = suggestion_help(name, known);
    if (help.empty()) {
      std::string list;
      for (const auto k : known)
        list += (list.empty() ? "" : ", ") + std::string(k);
      help = "known settings here: " + list;
    }
    ctx.error(key, "unknown setting '" + name + "' in " + std::string(where), help);
  }
}

std::optional<std::string> read_string(const YAML::Node& node, std::string_view name,
                                       ParseContext& ctx) {
  if (!node.IsScalar()) {
    ctx.error(node, "'" + std::string(name) + "' must be a single value, not a list or section");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::int64_t> read_integer(const YAML::Node& node, std::string_view name,
                                         std::int64_t min, std::int64_t max, ParseContext& ctx) {
  auto text = read_string(node, name, ctx);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    ctx.error(node, fmt::format("'{}' must be a whole number from {} to {}, got '{}'", name, min,
                                max, *text));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(const YAML::Node& node, std::string_view name, ParseContext& ctx) {
  auto text = read_string(node, name, ctx);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  ctx.error(node, fmt::format("'{}' must be true or false, got '{}'", name, *text));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t amount = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || amount < 0) return std::nullopt;
  const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 6> kUnits{
      {{"ms", 1}, {"s", 1000}, {"", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
  for (const auto& [suffix, factor] : kUnits) {
    if (unit == suffix) {
      if (amount > INT64_MAX / factor) return std::nullopt;
      return std::chrono::milliseconds(amount * factor);
    }
  }
  return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds value) {
  const auto ms = value.count();
  if (ms % 86'400'000 == 0 && ms != 0) return fmt::format("{}d", ms / 86'400'000);
  if (ms % 3'600'000 == 0 && ms != 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0 && ms != 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

std::optional<std::chrono::milliseconds> read_duration(const YAML::Node& node,
                                                       std::string_view name, ParseContext& ctx) {
  auto text = read_string(node, name, ctx);
  if (!text) return std::nullopt;
  auto value = parse_duration_text(*text);
  if (!value) {
    ctx.error(node,
              fmt::format("'{}' must be a duration such as 500ms, 30s, 5m, 2h or 1d, got '{}'",
                          name, *text));
  }
  return value;
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node,
                                                         std::string_view name, ParseContext& ctx) {
  std::vector<std::string> values;
  if (node.IsScalar()) {
    values.push_back(node.Scalar());
    return values;
  }
  if (!node.IsSequence()) {
    ctx.error(node, "'" + std::string(name) + "' must be a value or a list of values");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      ctx.error(item, "each item of '" + std::string(name) + "' must be a single value");
      ok = false;
      continue;
    }
    values.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return values;
}

std::optional<SecretRef> read_secret(const YAML::Node& node, std::string_view name,
                                     ParseContext& ctx) {
  static const std::vector<std::string_view> kKinds{"file", "credential", "env"};
  const std::string help =
      "write { file: /etc/crmsync/secret.txt }, { credential: NAME } (systemd LoadCredential=) "
      "or { env: VARIABLE }";
  if (node.IsScalar()) {
    // Never echo the value: the diagnostic masks the span on the source line too.
    Diagnostic diagnostic{
        Severity::error, ctx.at(node),
        "'" + std::string(name) + "' is a secret and must not be written in the configuration",
        help, true};
    ctx.diagnostics().report(std::move(diagnostic));
    return std::nullopt;
  }
  if (!node.IsMap() || node.size() != 1) {
    ctx.error(node, "'" + std::string(name) + "' must name exactly one place to read the secret",
              help);
    return std::nullopt;
  }
  const auto pair = *node.begin();
  const YAML::Node& key = pair.first;
  const std::string kind = key.IsScalar() ? key.Scalar() : std::string();
  SecretRef ref;
  if (kind == "file") {
    ref.kind = SecretRef::Kind::file;
  } else if (kind == "credential") {
    ref.kind = SecretRef::Kind::credential;
  } else if (kind == "env") {
    ref.kind = SecretRef::Kind::env;
  } else {
    auto suggestion = suggestion_help(kind, kKinds);
    ctx.error(key, "unknown secret source '" + kind + "'", suggestion.empty() ? help : suggestion);
    return std::nullopt;
  }
  auto value = read_string(pair.second, kind, ctx);
  if (!value) return std::nullopt;
  if (value->empty()) {
    ctx.error(pair.second, "'" + kind + "' must not be empty");
    return std::nullopt;
  }
  if (ref.kind == SecretRef::Kind::credential && value->find('/') != std::string::npos) {
    ctx.error(pair.second, "a credential name cannot contain '/'",
              "name it as in LoadCredential=NAME:PATH");
    return std::nullopt;
  }
  ref.name = std::move(*value);
  ref.where = ctx.at(pair.second);
  return ref;
}

std::filesystem::path resolve_relative_to_file(const std::filesystem::path& path,
                                               const std::string& file) {
  if (path.is_absolute() || file.empty()) return path;
  const auto base = std::filesystem::absolute(std::filesystem::path(file)).parent_path();
  return (base / path).lexically_normal();
}

std::string HostPort::text() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

bool HostPort::is_loopback() const {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
  HostPort result;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    result.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    result.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (result.host.empty()) return std::nullopt;
  const bool ip_like = std::all_of(result.host.begin(), result.host.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
  });
  if (!ip_like && result.host != "localhost") return std::nullopt;
  unsigned port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535)
    return std::nullopt;
  result.port = static_cast<std::uint16_t>(port);
  return result;
}

std::string url_problem(std::string_view url) {
  auto host_of = [](std::string_view rest) {
    const auto end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, end);
    if (!authority.empty() && authority.front() == '[') {
      const auto close = authority.find(']');
      return authority.substr(1, close == std::string_view::npos ? authority.size() : close - 1);
    }
    return authority.substr(0, authority.find(':'));
  };
  if (url.rfind("https://", 0) == 0) {
    return host_of(url.substr(8)).empty() ? "has no host name" : "";
  }
  if (url.rfind("http://", 0) == 0) {
    const auto host = host_of(url.substr(7));
    if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return "";
    return "must use https:// (plain http:// is allowed only to a loopback address)";
  }
  return "must be an https:// URL";
}

}  // namespace crmsync::settings
