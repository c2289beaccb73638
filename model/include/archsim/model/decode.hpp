// The small toolkit every scenario decoder is written with (the model's and the simulator's
// workload decoder alike).
//
// A MapReader wraps one YAML map at one dotted path. Each `required`/`optional` call decodes a
// key into a spec field, records the value's location in the SourceIndex and reports type
// errors with what was expected; `finish` then warns about every key nobody asked for, with a
// did-you-mean drawn from the keys that were asked for. Decoders therefore never throw and a
// file's problems are all gathered in one pass.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"
#include "archsim/model/units.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::model::decoding {

struct DecodeContext {
  Diagnostics& diagnostics;
  SourceIndex& sources;

  void error(const YamlNode& node, const std::string& path, std::string message) {
    diagnostics.error(node.loc, path, std::move(message));
  }
};

std::string join_path(std::string_view parent, std::string_view child);

/// How a bound or a value reads in a range message: 5000, 0.25, 512MiB, 900s.
std::string describe(int value);
std::string describe(double value);
std::string describe(const Duration& value);
std::string describe(const Bytes& value);
/// "expected <what> from <min> to <max>, found <value>": the one wording of every range error.
std::string range_message(std::string_view what, const std::string& min, const std::string& max, const std::string& value);
std::string index_path(std::string_view parent, std::size_t i);

// Scalar decoders: each checks the node's kind and syntax, records its location and returns
// false (after reporting) when the value is unusable.
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::string& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, int& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, double& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, bool& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, Duration& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, Bytes& out);
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, CidrText& out);

template <class T>
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::optional<T>& out) {
  T value{};
  if (!decode_value(node, path, ctx, value)) return false;
  out = std::move(value);
  return true;
}

/// A sequence of values; a single scalar is not silently promoted to a one-element list.
template <class T>
bool decode_value(const YamlNode& node, const std::string& path, DecodeContext& ctx, std::vector<T>& out) {
  ctx.sources.record(path, node.loc);
  if (!node.is_sequence()) {
    ctx.error(node, path, "expected a list, found " + std::string(kind_name(node.kind)));
    return false;
  }
  out.clear();
  bool ok = true;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    T value{};
    if (decode_value(node.items[i], index_path(path, i), ctx, value)) {
      out.push_back(std::move(value));
    } else {
      ok = false;
    }
  }
  return ok;
}

/// A keyword from a fixed set, mapped to an enum (or to itself for string fields).
template <class E>
struct Keyword {
  std::string_view word;
  E value;
};

template <class E>
bool decode_keyword(const YamlNode& node, const std::string& path, DecodeContext& ctx, E& out,
                    std::initializer_list<Keyword<E>> words) {
  std::string text;
  if (!decode_value(node, path, ctx, text)) return false;
  std::vector<std::string> names;
  for (const auto& w : words) {
    if (w.word == text) {
      out = w.value;
      return true;
    }
    names.emplace_back(w.word);
  }
  std::string expected;
  for (std::size_t i = 0; i < names.size(); ++i) expected += (i ? ", " : "") + names[i];
  ctx.error(node, path, "expected one of " + expected + ", found '" + text + "'" + did_you_mean(text, names));
  return false;
}

class MapReader {
 public:
  /// Reports an error (and is not `ok()`) when `node` is not a map.
  MapReader(const YamlNode& node, std::string path, DecodeContext& ctx);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;
  ~MapReader() = default;

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  const YamlNode& node() const { return node_; }
  DecodeContext& context() { return ctx_; }
  std::string child(std::string_view key) const { return join_path(path_, key); }

  /// The node under `key` (nullptr when absent); marks the key as known either way.
  const YamlNode* take(std::string_view key);

  /// Reports "missing required key" at the map when absent.
  const YamlNode* take_required(std::string_view key);

  template <class T>
  bool optional(std::string_view key, T& out) {
    const YamlNode* n = take(key);
    return n && decode_value(*n, child(key), ctx_, out);
  }

  template <class T>
  bool required(std::string_view key, T& out) {
    const YamlNode* n = take_required(key);
    return n && decode_value(*n, child(key), ctx_, out);
  }

  template <class E>
  bool keyword(std::string_view key, E& out, std::initializer_list<Keyword<E>> words) {
    const YamlNode* n = take(key);
    return n && decode_keyword(*n, child(key), ctx_, out, words);
  }

  /// `optional`, then a range check: a value outside [min, max] is reported at the value as
  /// "expected <what> from <min> to <max>, found <value>" and `out` keeps what was read (the
  /// load fails on the error, so nothing downstream sees it). For the numeric fields whose
  /// later arithmetic (prices, task slots, event counts) is only safe within AWS's own ranges.
  template <class T>
  bool optional_in(std::string_view key, T& out, const T& min, const T& max, std::string_view what) {
    const YamlNode* n = take(key);
    if (n == nullptr || !decode_value(*n, child(key), ctx_, out)) return false;
    return check_range(*n, child(key), unwrap(out), min, max, what);
  }
  template <class T>
  bool optional_in(std::string_view key, std::optional<T>& out, const T& min, const T& max, std::string_view what) {
    const YamlNode* n = take(key);
    if (n == nullptr || !decode_value(*n, child(key), ctx_, out)) return false;
    return check_range(*n, child(key), *out, min, max, what);
  }

  /// A string field restricted to a set of words.
  bool choice(std::string_view key, std::string& out, std::initializer_list<std::string_view> words);

  /// Warns about keys no decoder asked for (with did-you-mean). Call after all `take`s; a
  /// second call says nothing (for_each_named finishes what its callback may have finished).
  void finish();

 private:
  template <class T>
  static const T& unwrap(const T& v) { return v; }
  template <class T>
  bool check_range(const YamlNode& n, const std::string& path, const T& value, const T& min, const T& max,
                   std::string_view what) {
    if (!(value < min) && !(max < value)) return true;
    ctx_.error(n, path, range_message(what, describe(min), describe(max), describe(value)));
    return false;
  }

  const YamlNode& node_;
  std::string path_;
  DecodeContext& ctx_;
  bool ok_ = false;
  bool finished_ = false;
  std::vector<std::string> known_;
};

/// Reports (at the key) and returns false when `id` is not a usable identifier
/// (identifier_problem, or file_name_id_problem when `names_files`).
bool check_identifier(const YamlNode::Entry& entry, const std::string& path, DecodeContext& ctx, bool names_files = false);

/// Decodes a map of named entries (`subnets: {public-a: {...}}`) in file order: for each
/// entry, `fn(id, entry_path, reader)` fills one element. Non-map entries and keys that are
/// not identifiers (check_identifier) are reported.
template <class Fn>
void for_each_named(const YamlNode& node, const std::string& path, DecodeContext& ctx, Fn&& fn, bool names_files = false) {
  ctx.sources.record(path, node.loc);
  if (!node.is_map()) {
    ctx.error(node, path, "expected a map of named entries, found " + std::string(kind_name(node.kind)));
    return;
  }
  for (const auto& entry : node.entries) {
    if (!check_identifier(entry, path, ctx, names_files)) continue;
    const std::string entry_path = join_path(path, entry.key);
    MapReader reader(entry.value, entry_path, ctx);
    if (!reader.ok()) continue;
    fn(entry.key, entry_path, reader);
    reader.finish();
  }
}

/// Decodes a list of maps (`listeners: [{...}, {...}]`): `fn(i, item_path, reader)` per item.
template <class Fn>
void for_each_item(const YamlNode& node, const std::string& path, DecodeContext& ctx, Fn&& fn) {
  ctx.sources.record(path, node.loc);
  if (!node.is_sequence()) {
    ctx.error(node, path, "expected a list, found " + std::string(kind_name(node.kind)));
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string item_path = index_path(path, i);
    MapReader reader(node.items[i], item_path, ctx);
    if (!reader.ok()) continue;
    fn(i, item_path, reader);
    reader.finish();
  }
}

}  // namespace archsim::model::decoding
