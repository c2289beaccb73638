#include <doctest/doctest.h>

#include "archsim/model/cidr.hpp"

using namespace archsim::model;

TEST_CASE("cidr: parses network addresses and prefix lengths") {
  const auto c = parse_cidr("10.0.1.0/24");
  REQUIRE(c.cidr);
  CHECK(c.cidr->prefix == 24);
  CHECK(c.cidr->size() == 256);
  CHECK(to_string(*c.cidr) == "10.0.1.0/24");
  CHECK(parse_cidr("0.0.0.0/0").cidr->size() == (std::uint64_t{1} << 32));
}

TEST_CASE("cidr: host bits set is refused with the network address meant") {
  const auto c = parse_cidr("10.0.1.5/24");
  CHECK_FALSE(c.cidr);
  CHECK(c.error == CidrError::HostBitsSet);
  CHECK(c.detail.find("10.0.1.0/24") != std::string::npos);
}

TEST_CASE("cidr: malformed text is a syntax error") {
  for (const char* bad : {"10.0.0.0", "10.0.0/16", "10.0.0.256/16", "10.0.0.0/33", "a.b.c.d/8", "010.0.0.0/8", ""}) {
    CAPTURE(bad);
    CHECK(parse_cidr(bad).error == CidrError::Syntax);
  }
}

TEST_CASE("cidr: containment and overlap") {
  const auto vpc = *parse_cidr("10.0.0.0/16").cidr;
  const auto a = *parse_cidr("10.0.1.0/24").cidr;
  const auto b = *parse_cidr("10.0.1.128/25").cidr;
  const auto other = *parse_cidr("172.10.0.0/16").cidr;
  CHECK(vpc.contains(a));
  CHECK_FALSE(a.contains(vpc));
  CHECK(a.overlaps(b));
  CHECK(b.overlaps(a));
  CHECK_FALSE(vpc.overlaps(other));
  CHECK_FALSE(parse_cidr("172.16.0.0/12").cidr->contains(other));
}
