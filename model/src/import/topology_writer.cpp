#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "archsim/model/import.hpp"

namespace archsim::model {

namespace {

/// One line of comment text: a resource address or a for_each key may hold anything.
std::string comment_text(std::string_view text) {
  std::string out;
  for (const char c : text) out += static_cast<unsigned char>(c) < ' ' || c == 0x7f ? ' ' : c;
  return out;
}

bool looks_like_number(std::string_view s) {
  if (s.empty()) return false;
  const char first = s.front();
  if (!((first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.')) return false;
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c == '_' || c == ':')) return false;
  }
  return true;
}

bool plain_safe(std::string_view s) {
  if (s.empty() || looks_like_number(s)) return false;
  for (const std::string_view word : {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}) {
    if (s.size() == word.size() && std::equal(s.begin(), s.end(), word.begin(), [](char a, char b) { return std::tolower(a) == b; })) {
      return false;
    }
  }
  if (s.front() == '-' || s.front() == '.') return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::string double_quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  return out + "\"";
}

std::string scalar_text(const YamlNode& n) {
  if (n.is_null()) return "null";
  if (!n.quoted) return n.scalar;
  return plain_safe(n.scalar) ? n.scalar : double_quoted(n.scalar);
}

std::string key_text(std::string_view key) { return plain_safe(key) ? std::string(key) : double_quoted(key); }

class Writer {
 public:
  explicit Writer(const ImportedTopology& imported) : imported_(imported) {}
  std::string out;

  void comments(const std::string& path, int indent) {
    const auto it = imported_.comments.find(path);
    if (it == imported_.comments.end()) return;
    for (const auto& line : it->second) out += fmt::format("{:{}}# {}\n", "", indent, comment_text(line));
  }

  bool has_comments_below(const std::string& path) const {
    for (const char* sep : {".", "["}) {
      const auto it = imported_.comments.lower_bound(path + sep);
      if (it != imported_.comments.end() && it->first.starts_with(path + sep)) return true;
    }
    return false;
  }

  /// A value fits on one line: scalars, and lists and maps of them without comments inside.
  std::optional<std::string> flow(const YamlNode& n, const std::string& path) const {
    if (n.is_scalar() || n.is_null()) return scalar_text(n);
    if (has_comments_below(path)) return std::nullopt;
    std::string text;
    if (n.is_sequence()) {
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        const auto item = flow(n.items[i], fmt::format("{}[{}]", path, i));
        if (!item) return std::nullopt;
        text += (i ? ", " : "") + *item;
      }
      text = "[" + text + "]";
    } else {
      for (std::size_t i = 0; i < n.entries.size(); ++i) {
        const auto& e = n.entries[i];
        if (e.value.is_map() || e.value.is_sequence()) {
          if (!std::all_of(e.value.items.begin(), e.value.items.end(), [](const YamlNode& x) { return x.is_scalar(); }) || e.value.is_map()) {
            return std::nullopt;
          }
        }
        const auto value = flow(e.value, path + "." + e.key);
        if (!value) return std::nullopt;
        text += (i ? ", " : "") + key_text(e.key) + ": " + *value;
      }
      text = "{" + text + "}";
    }
    if (text.size() > 110) return std::nullopt;
    return text;
  }

  void map_entries(const YamlNode& map, const std::string& path, int indent) {
    for (const auto& e : map.entries) {
      const std::string child = path.empty() ? e.key : path + "." + e.key;
      comments(child, indent);
      const std::string key = fmt::format("{:{}}{}:", "", indent, key_text(e.key));
      if (const auto line = flow(e.value, child); line && !(e.value.is_map() && indent == 0)) {
        out += key + " " + *line + "\n";
      } else if (e.value.is_map()) {
        out += key + "\n";
        map_entries(e.value, child, indent + 2);
      } else {
        out += key + "\n";
        sequence_items(e.value, child, indent + 2);
      }
      if (indent == 0 && (e.value.is_map() || e.value.is_sequence()) && e.key != "zones") out += "\n";
    }
    if (!path.empty()) unwritten_key_comments(map, path, indent);
  }

  /// The comments on keys the map does not have (an assumption that leaves archsim's default in
  /// place writes no key) close the map, so the file still says them.
  void unwritten_key_comments(const YamlNode& map, const std::string& path, int indent) {
    const std::string prefix = path + ".";
    std::set<std::string> written;
    for (auto it = imported_.comments.lower_bound(prefix); it != imported_.comments.end() && it->first.starts_with(prefix); ++it) {
      const std::string key = it->first.substr(prefix.size(), it->first.find_first_of(".[", prefix.size()) - prefix.size());
      if (map.find(key) != nullptr) continue;
      for (const auto& line : it->second) {
        if (written.insert(line).second) out += fmt::format("{:{}}# {}\n", "", indent, comment_text(line));
      }
    }
  }

  void sequence_items(const YamlNode& list, const std::string& path, int indent) {
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const std::string child = fmt::format("{}[{}]", path, i);
      comments(child, indent);
      if (const auto line = flow(list.items[i], child)) {
        out += fmt::format("{:{}}- {}\n", "", indent, *line);
      } else if (list.items[i].is_map()) {
        // The first key shares the dash's line; the rest align under it.
        Writer inner(imported_);
        inner.map_entries(list.items[i], child, indent + 2);
        std::string block = inner.out;
        block.replace(static_cast<std::size_t>(indent), 2, "- ");
        out += block;
      } else {
        out += fmt::format("{:{}}-\n", "", indent);
        sequence_items(list.items[i], child, indent + 2);
      }
    }
  }

 private:
  const ImportedTopology& imported_;
};

}  // namespace

std::string write_topology_yaml(const ImportedTopology& imported, std::string_view source_name) {
  Writer w(imported);
  w.out += fmt::format("# Imported by `archsim import` from {}.\n", comment_text(source_name));
  w.out += "# Each entity's comment names the resource it came from; `# ASSUMPTION:` marks what the code\n"
           "# does not say and the import had to assume.\n";
  if (!imported.unsupported.empty()) {
    w.out += "#\n# Unsupported (left out):\n";
    for (const auto& u : imported.unsupported) w.out += fmt::format("#   {} x{}: {}\n", comment_text(u.type), u.count, comment_text(u.reason));
  }
  if (!imported.skipped.empty()) {
    w.out += "#\n# Skipped (no bearing on a simulation):\n";
    for (const auto& s : imported.skipped) w.out += fmt::format("#   {} x{}: {}\n", comment_text(s.type), s.count, comment_text(s.reason));
  }
  w.out += "\n";
  if (imported.topology) w.map_entries(*imported.topology, "", 0);
  while (w.out.ends_with("\n\n")) w.out.pop_back();
  return w.out;
}

}  // namespace archsim::model
