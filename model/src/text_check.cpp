#include "archsim/model/text_check.hpp"

#include <fmt/format.h>

#include "archsim/model/input_limits.hpp"

namespace archsim::model {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
  else return 0;  // a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  const unsigned char second = byte(i + 1);
  if (lead == 0xe0 && second < 0xa0) return 0;   // overlong
  if (lead == 0xed && second >= 0xa0) return 0;  // UTF-16 surrogate
  if (lead == 0xf0 && second < 0x90) return 0;   // overlong
  if (lead == 0xf4 && second >= 0x90) return 0;  // beyond U+10FFFF
  return length;
}

char32_t utf8_code_point(std::string_view text, std::size_t i, std::size_t length) {
  const auto byte = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(text[i + k])); };
  switch (length) {
    case 1: return byte(0);
    case 2: return ((byte(0) & 0x1f) << 6) | (byte(1) & 0x3f);
    case 3: return ((byte(0) & 0x0f) << 12) | ((byte(1) & 0x3f) << 6) | (byte(2) & 0x3f);
    default: return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3f) << 12) | ((byte(2) & 0x3f) << 6) | (byte(3) & 0x3f);
  }
}

namespace {

std::string code_point_name(char32_t c) { return fmt::format("U+{:04X}", static_cast<std::uint32_t>(c)); }

/// The first byte of `text` that is not valid UTF-8 or is a control character `allowed` refuses.
template <class Allowed>
std::optional<TextProblem> first_problem(std::string_view text, Allowed&& allowed, std::string_view where) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return TextProblem{i, fmt::format("byte 0x{:02X} is not valid UTF-8; archsim reads UTF-8 text only",
                                        static_cast<unsigned char>(text[i]))};
    }
    const char32_t c = utf8_code_point(text, i, length);
    if (c == 0) {
      return TextProblem{i, fmt::format("NUL byte {}; archsim reads text files only (is it a binary file?)", where)};
    }
    if (is_control(c) && !allowed(c)) {
      return TextProblem{i, fmt::format("control character {} {}; terminals and XML reports cannot show it, so archsim "
                                        "refuses it",
                                        code_point_name(c), where)};
    }
    i += length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TextProblem> check_text(std::string_view text, bool multi_line) {
  return first_problem(text, [&](char32_t c) { return c == '\t' || (multi_line && c == '\n'); }, "in a value");
}

std::optional<TextProblem> check_yaml_stream(std::string_view text) {
  // YAML 1.2's c-printable: tab, LF, CR, printable ASCII, NEL and U+00A0 up.
  return first_problem(text, [](char32_t c) { return c == '\t' || c == '\n' || c == '\r' || c == 0x85; }, "in the file");
}

std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    const char32_t c = utf8_code_point(text, i, length);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (is_control(c)) out += fmt::format("\\x{:02x}", static_cast<std::uint32_t>(c));
    else out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string replace_unshowable(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const char32_t c = utf8_code_point(text, i, length);
    if (is_control(c) && c != '\t' && c != '\n' && c != '\r') out += kReplacement;
    else out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string identifier_problem(std::string_view id) {
  if (id.empty()) return "an id cannot be empty";
  if (id.size() > limits::kMaxKeyBytes) {
    return fmt::format("an id is at most {} bytes long; this one has {}", limits::kMaxKeyBytes, id.size());
  }
  if (const auto problem = check_text(id, false)) return problem->message;
  for (char c : id) {
    if (c == ' ' || c == '\t') return "an id cannot hold whitespace";
  }
  return {};
}

std::string file_name_id_problem(std::string_view id) {
  if (auto problem = identifier_problem(id); !problem.empty()) return problem;
  if (id.size() > limits::kMaxFileNameIdBytes) {
    return fmt::format("this id names output files, so it is at most {} bytes long; this one has {}",
                       limits::kMaxFileNameIdBytes, id.size());
  }
  if (id.front() == '.') return "this id names output files, so it cannot start with '.'";
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) {
      return fmt::format("this id names output files, so it may hold only letters, digits, '-', '_' and '.', not '{}'",
                         escape_controls(std::string_view(&c, 1)));
    }
  }
  return {};
}

std::string name_problem(std::string_view name) {
  if (name.size() > limits::kMaxNameBytes) {
    return fmt::format("a name or title is at most {} bytes long (one line of a report); this one has {}",
                       limits::kMaxNameBytes, name.size());
  }
  if (name.find('\n') != std::string_view::npos) return "a name or title is one line";
  return {};
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace archsim::model
