#include "archsim/model/decode.hpp"

#include "archsim/model/cidr.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cmath>

#include <fmt/format.h>

#include "archsim/model/text_check.hpp"

namespace archsim::model::decoding {

std::string join_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  return fmt::format("{}.{}", parent, child);
}

std::string describe(int value) { return fmt::format("{}", value); }
std::string describe(double value) { return fmt::format("{:g}", value); }
std::string describe(const Duration& value) { return format_duration(value); }
std::string describe(const Bytes& value) { return format_bytes(value); }

std::string range_message(std::string_view what, const std::string& min, const std::string& max, const std::string& value) {
  return fmt::format("expected {} from {} to {}, found {}", what, min, max, value);
}

std::string index_path(std::string_view parent, std::size_t i) { return fmt::format("{}[{}]", parent, i); }

namespace {
bool expect_scalar(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::string_view what) {
  ctx.sources.record(path, node.loc);
  if (node.is_scalar()) return true;
  ctx.error(node, path, fmt::format("expected {}, found {}", what, kind_name(node.kind)));
  return false;
}
}  // namespace

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::string& out) {
  if (!expect_scalar(node, path, ctx, "a string")) return false;
  out = node.scalar;
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, int& out) {
  if (!expect_scalar(node, path, ctx, "a whole number")) return false;
  const std::string& s = node.scalar;
  int value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (!node.quoted && ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) {
    ctx.error(node, path, fmt::format("expected a whole number from {} to {}, found '{}'", std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max(), s));
    return false;
  }
  if (node.quoted || s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    ctx.error(node, path, fmt::format("expected a whole number, found '{}'", s));
    return false;
  }
  out = value;
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, double& out) {
  if (!expect_scalar(node, path, ctx, "a number")) return false;
  const std::string& s = node.scalar;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (node.quoted || s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) {
    ctx.error(node, path, fmt::format("expected a number, found '{}'", s));
    return false;
  }
  out = value;
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, bool& out) {
  if (!expect_scalar(node, path, ctx, "true or false")) return false;
  if (!node.quoted && node.scalar == "true") {
    out = true;
  } else if (!node.quoted && node.scalar == "false") {
    out = false;
  } else {
    ctx.error(node, path, fmt::format("expected true or false, found '{}'", node.scalar));
    return false;
  }
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, Duration& out) {
  if (!expect_scalar(node, path, ctx, "a duration")) return false;
  const auto d = parse_duration(node.scalar);
  if (!d) {
    ctx.error(node, path,
              fmt::format("expected a duration with a unit (ms, s, m, h, d; e.g. 30s, 250ms, 1h30m), found '{}'",
                          node.scalar));
    return false;
  }
  if (*d > kMaxDuration) {
    ctx.error(node, path, fmt::format("expected a duration of at most {} (ten years, CloudWatch Logs' longest retention), found '{}'",
                                      format_duration(kMaxDuration), node.scalar));
    return false;
  }
  out = *d;
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, Bytes& out) {
  if (!expect_scalar(node, path, ctx, "a size")) return false;
  const auto b = parse_bytes(node.scalar);
  if (!b) {
    ctx.error(node, path,
              fmt::format("expected a size with a unit (B, KB, MB, GB, KiB, MiB, GiB; e.g. 512MiB), found '{}'",
                          node.scalar));
    return false;
  }
  out = *b;
  return true;
}

bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, CidrText& out) {
  if (!expect_scalar(node, path, ctx, "a CIDR block such as 10.0.0.0/16")) return false;
  // A block that does not parse (300.1.1.1/33, an IPv6 block) cannot be reasoned about: a load
  // error. One that parses with host bits set is kept for the cidr-syntax rule, which names the
  // block that was probably meant.
  if (const auto parsed = parse_cidr(node.scalar); parsed.error == CidrError::Syntax) {
    ctx.error(node, path, fmt::format("expected an IPv4 CIDR block a.b.c.d/n (octets 0-255, prefix 0-32) such as 10.0.0.0/16, found '{}': {}",
                                      node.scalar, parsed.detail));
    return false;
  }
  out.text = node.scalar;
  out.path = path;
  return true;
}

bool check_identifier(const YamlNode::Entry& entry, const std::string& path, DecodeContext& ctx, bool names_files) {
  const std::string problem = names_files ? file_name_id_problem(entry.key) : identifier_problem(entry.key);
  if (problem.empty()) return true;
  ctx.diagnostics.error(entry.key_loc, path, fmt::format("'{}' is not a usable id: {}", entry.key, problem));
  return false;
}

MapReader::MapReader(const YamlNode& node, std::string path, DecodeContext& ctx)
    : node_(node), path_(std::move(path)), ctx_(ctx) {
  ctx_.sources.record(path_, node_.loc);
  ok_ = node_.is_map();
  if (!ok_) ctx_.error(node_, path_, fmt::format("expected a map, found {}", kind_name(node_.kind)));
}

const YamlNode* MapReader::take(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return ok_ ? node_.find(key) : nullptr;
}

const YamlNode* MapReader::take_required(std::string_view key) {
  const YamlNode* n = take(key);
  if (n == nullptr && ok_) ctx_.error(node_, path_, fmt::format("missing required key '{}'", key));
  return n;
}

bool MapReader::choice(std::string_view key, std::string& out, std::initializer_list<std::string_view> words) {
  const YamlNode* n = take(key);
  if (n == nullptr) return false;
  std::string text;
  if (!decode_value(*n, child(key), ctx_, text)) return false;
  std::vector<std::string> names(words.begin(), words.end());
  if (std::find(names.begin(), names.end(), text) == names.end()) {
    ctx_.error(*n, child(key),
               fmt::format("expected one of {}, found '{}'{}", fmt::join(names, ", "), text, did_you_mean(text, names)));
    return false;
  }
  out = text;
  return true;
}

void MapReader::finish() {
  if (!ok_ || finished_) return;
  finished_ = true;
  for (const auto& entry : node_.entries) {
    if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    ctx_.diagnostics.warning(entry.key_loc, child(entry.key),
                             fmt::format("unknown key '{}'{}", entry.key, did_you_mean(entry.key, known_)));
  }
}

}  // namespace archsim::model::decoding
