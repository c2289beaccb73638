// The SARIF renderer on its own: what a build without a home page leaves out, and what the
// review policy's security section adds to a rule.
#include <doctest/doctest.h>

#include "archsim/reports/review.hpp"

using namespace archsim;

TEST_CASE("sarif: the driver's informationUri is the build's home page, and left out when it has none") {
  const reports::ReviewReport empty{"x.yaml", nullptr, {}, {}, {}, {}};
  const model::SecurityPolicy policy{{"exposure"}, {{"warning", "5.5"}}};
  const auto with = reports::review_sarif(empty, policy, "1.2.3", "https://example.org/archsim");
  CHECK(with["runs"][0]["tool"]["driver"]["informationUri"] == "https://example.org/archsim");
  const auto without = reports::review_sarif(empty, policy, "1.2.3");
  CHECK_FALSE(without["runs"][0]["tool"]["driver"].contains("informationUri"));
}

TEST_CASE("sarif: which categories are security is the policy's, not the renderer's") {
  const reports::ReviewReport empty{"x.yaml", nullptr, {}, {}, {}, {}};
  const model::SecurityPolicy health_is_security{{"health"}, {{"error", "9.5"}, {"warning", "6.0"}}};
  const auto doc = reports::review_sarif(empty, health_is_security, "1.2.3");
  for (const auto& rule : doc["runs"][0]["tool"]["driver"]["rules"]) {
    CAPTURE(rule["id"].get<std::string>());
    CHECK(rule["properties"].contains("security-severity") == (rule["properties"]["category"] == "health"));
  }
}
