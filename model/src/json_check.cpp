#include "archsim/model/json_check.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/model/input_limits.hpp"
#include "archsim/model/text_check.hpp"

namespace archsim::model {

namespace {

/// Accepts any JSON without building it; keeps where and why the parser stopped.
class SyntaxCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::size_t error_byte = 0;
  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    // nlohmann counts the characters read, one past the culprit.
    error_byte = position > 0 ? position - 1 : 0;
    const std::string what = e.what();
    const auto cut = what.find("syntax error");
    error = cut == std::string::npos ? what : what.substr(cut);
    return false;
  }
};

}  // namespace

bool check_json(std::string_view text, const std::string& file, std::string_view expected, Diagnostics& diagnostics) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits::kMaxJsonDepth) {
        diagnostics.error(locate_offset(text, i, file), "", fmt::format("nesting deeper than {} levels; not {}", limits::kMaxJsonDepth, expected));
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  SyntaxCheck check;
  if (!nlohmann::json::sax_parse(text, &check, nlohmann::json::input_format_t::json, /*strict=*/true)) {
    diagnostics.error(locate_offset(text, check.error_byte, file), "", "not valid JSON: " + escape_controls(check.error));
    return false;
  }
  return true;
}

}  // namespace archsim::model
