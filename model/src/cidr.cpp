#include "archsim/model/cidr.hpp"

#include <charconv>
#include <fmt/format.h>

namespace archsim::model {

namespace {
bool parse_octet(std::string_view text, std::uint32_t& out) {
  // EC2 rejects leading zeros only implicitly; we accept "0" but not "010" to avoid octal confusion.
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return false;
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > 255) return false;
  out = value;
  return true;
}
}  // namespace

CidrParse parse_cidr(std::string_view text) {
  CidrParse result;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    result.detail = fmt::format("'{}' has no prefix length; write it as a.b.c.d/n", text);
    return result;
  }
  const std::string_view address = text.substr(0, slash);
  const std::string_view prefix_text = text.substr(slash + 1);
  std::uint32_t value = 0;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? address.find('.', start) : address.size();
    std::uint32_t octet = 0;
    if (dot == std::string_view::npos || !parse_octet(address.substr(start, dot - start), octet)) {
      result.detail = fmt::format("'{}' is not an IPv4 address of four octets 0-255", address);
      return result;
    }
    value = (value << 8) | octet;
    start = dot + 1;
  }
  int prefix = -1;
  const auto [ptr, ec] = std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  if (prefix_text.empty() || ec != std::errc() || ptr != prefix_text.data() + prefix_text.size() || prefix < 0 ||
      prefix > 32) {
    result.detail = fmt::format("prefix length '{}' is not a number from 0 to 32", prefix_text);
    return result;
  }
  Ipv4Cidr cidr{value, prefix};
  if ((value & cidr.mask()) != value) {
    Ipv4Cidr network{value & cidr.mask(), prefix};
    result.error = CidrError::HostBitsSet;
    result.detail = fmt::format("'{}' has host bits set; the network address is {}", text, to_string(network));
    return result;
  }
  result.cidr = cidr;
  result.error = CidrError::None;
  return result;
}

std::string to_string(const Ipv4Cidr& c) {
  return fmt::format("{}.{}.{}.{}/{}", c.network >> 24, (c.network >> 16) & 255, (c.network >> 8) & 255,
                     c.network & 255, c.prefix);
}

}  // namespace archsim::model
