// IPv4 CIDR blocks: parsing exactly as the EC2 API accepts them, containment and overlap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archsim::model {

struct Ipv4Cidr {
  std::uint32_t network = 0;  ///< host-order address of the first address in the block
  int prefix = 0;             ///< 0..32

  std::uint32_t mask() const { return prefix == 0 ? 0u : ~0u << (32 - prefix); }
  std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
  std::uint32_t last() const { return network | ~mask(); }

  bool contains(const Ipv4Cidr& inner) const {
    return inner.prefix >= prefix && (inner.network & mask()) == network;
  }
  bool overlaps(const Ipv4Cidr& other) const { return contains(other) || other.contains(*this); }
  bool operator==(const Ipv4Cidr&) const = default;
};

enum class CidrError { None, Syntax, HostBitsSet };

struct CidrParse {
  std::optional<Ipv4Cidr> cidr;  ///< set when error is None
  CidrError error = CidrError::Syntax;
  std::string detail;            ///< human explanation when error is not None
};

/// Parses `a.b.c.d/n`. Host bits set (`10.0.1.5/24`) is an error, as the EC2 API rejects it;
/// the detail then names the network address that was probably meant.
CidrParse parse_cidr(std::string_view text);

std::string to_string(const Ipv4Cidr& cidr);

}  // namespace archsim::model
