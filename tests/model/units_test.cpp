#include <doctest/doctest.h>

#include "archsim/model/units.hpp"

using namespace archsim::model;
using namespace archsim::model::literals;

TEST_CASE("durations: units from ns to days, chained largest first") {
  CHECK(parse_duration("250ms") == 250_ms);
  CHECK(parse_duration("30s") == 30_s);
  CHECK(parse_duration("5m") == 5_min);
  CHECK(parse_duration("1h30m") == 90_min);
  CHECK(parse_duration("30d") == 30_d);
  CHECK(parse_duration("1.5s") == 1500_ms);
  CHECK(parse_duration("7us")->ns == 7000);
}

TEST_CASE("durations: bare numbers, wrong order, unknown units and negatives are refused") {
  CHECK_FALSE(parse_duration("30"));
  CHECK_FALSE(parse_duration("30m1h"));
  CHECK_FALSE(parse_duration("3 s"));
  CHECK_FALSE(parse_duration("-3s"));
  CHECK_FALSE(parse_duration("10y"));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("99999999999d"));
}

TEST_CASE("durations: formatting is exact and round-trips") {
  CHECK(format_duration(0_s) == "0s");
  CHECK(format_duration(603_s) == "10m3s");
  CHECK(format_duration(1500_ms) == "1s500ms");
  CHECK(format_duration(30_d) == "30d");
  for (const char* text : {"1h30m", "250ms", "2d3h", "45s"}) CHECK(format_duration(*parse_duration(text)) == text);
}

TEST_CASE("sizes: decimal and binary units") {
  CHECK(parse_bytes("512MiB")->count == 512ll << 20);
  CHECK(parse_bytes("900MB")->count == 900'000'000);
  CHECK(parse_bytes("1.5GB")->count == 1'500'000'000);
  CHECK(parse_bytes("20GiB")->count == 20ll << 30);
  CHECK(parse_bytes("300B")->count == 300);
  CHECK_FALSE(parse_bytes("512"));
  CHECK_FALSE(parse_bytes("5 GB"));
  CHECK_FALSE(parse_bytes("5gb"));
  CHECK(format_bytes(Bytes{512ll << 20}) == "512MiB");
  CHECK(format_bytes(Bytes{4ll << 30}) == "4GiB");
  CHECK(format_bytes(Bytes{900'000'000}) == "900MB");
}
