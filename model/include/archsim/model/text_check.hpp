// What text archsim accepts and how it shows text it did not write.
//
// Every string archsim loads ends up in a terminal, in JSON (which must be UTF-8) and in XML
// (JUnit, HTML), so loaders refuse invalid UTF-8 and control characters where they are read,
// with a location; the writers still escape them, for text that comes from elsewhere (a file
// name on the command line, a results.json given to `diff`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace archsim::model {

/// Length of the valid UTF-8 sequence starting at `text[i]` (1 to 4), or 0 when the bytes there
/// are not one (a stray continuation byte, an overlong form, a surrogate, a cut-off sequence).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// The code point of the valid sequence of `length` bytes at `text[i]`.
char32_t utf8_code_point(std::string_view text, std::size_t i, std::size_t length);

/// A control character: C0 (below U+0020), DEL (U+007F) or C1 (U+0080 to U+009F).
constexpr bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

/// The first unacceptable character of `text`, by byte offset, with why.
struct TextProblem {
  std::size_t offset = 0;
  std::string message;
};

/// Checks a value: valid UTF-8 with no NUL and no control character except tab and, when
/// `multi_line`, line feed.
std::optional<TextProblem> check_text(std::string_view text, bool multi_line);

/// Checks a whole YAML file before parsing: valid UTF-8, no NUL, and only the characters YAML
/// 1.2 allows in a stream (no control characters but tab, line feed and carriage return).
std::optional<TextProblem> check_yaml_stream(std::string_view text);

/// `text` for a terminal or a one-line message: control characters and invalid bytes become
/// escapes (`\x1b`, `\n`, `\xff`), so nothing in a name can move the cursor or recolour output.
std::string escape_controls(std::string_view text);

/// `text` for XML and HTML (JUnit, the HTML report, Markdown comments): XML 1.0 cannot carry most
/// C0 control characters even as character references, so every control character but tab,
/// line feed and carriage return, and every byte that is not UTF-8, becomes U+FFFD.
std::string replace_unshowable(std::string_view text);

/// What is wrong with `id` as an identifier (a key of a named map: a component, subnet,
/// criterion, alternative id): empty, longer than limits::kMaxKeyBytes, or holding whitespace or
/// a control character. Empty when it is fine.
std::string identifier_problem(std::string_view id);

/// What is wrong with `id` as an identifier that also names a file (`timeline-<id>.csv`):
/// identifier_problem, plus only letters, digits, '-', '_' and '.', not starting with '.' (no
/// `..`, no '/', no hidden file), at most limits::kMaxFileNameIdBytes.
std::string file_name_id_problem(std::string_view id);

/// An ISO 8601 calendar date, YYYY-MM-DD, that exists (month lengths and leap years known):
/// dates that price books, offer files and the scenario's pricing options carry.
bool is_iso_date(std::string_view s);

/// What is wrong with a name or title: longer than limits::kMaxNameBytes, or not one line.
std::string name_problem(std::string_view name);

}  // namespace archsim::model
