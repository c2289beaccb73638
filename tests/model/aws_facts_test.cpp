#include <doctest/doctest.h>

#include "fixture.hpp"

using archsim::testing::facts;

TEST_CASE("facts: the built-in data files parse without a single diagnostic") {
  archsim::model::Diagnostics d;
  archsim::model::load_aws_facts(d);
  for (const auto& diagnostic : d.all()) FAIL_CHECK(archsim::model::format_diagnostic(diagnostic));
}

TEST_CASE("facts: the review policy counts exposure rules as security and scores them on GitHub's scale by severity") {
  const auto& security = facts().security;
  CHECK(security.score_of("exposure", archsim::model::Severity::Error) == "8.0");
  CHECK(security.score_of("exposure", archsim::model::Severity::Warning) == "5.5");
  CHECK(security.score_of("network", archsim::model::Severity::Error).empty());
}

TEST_CASE("facts: zones, ranges and Fargate sizes are what AWS documents") {
  const auto& f = facts();
  CHECK(f.region_zones.at("eu-central-1") == std::vector<std::string>{"eu-central-1a", "eu-central-1b", "eu-central-1c"});
  CHECK(f.alb_health_check.interval_s.default_value == 30);
  CHECK(f.alb_health_check.unhealthy_threshold.default_value == 2);
  CHECK(f.alb_min_zones == 2);
  CHECK(f.fargate_task_sizes.front().allows(512));
  CHECK_FALSE(f.fargate_task_sizes.front().allows(4096));
  CHECK(f.private_access.at("ecr") == std::vector<std::string>{"ecr.api", "ecr.dkr", "s3"});
  CHECK(f.secondary_restrictions.size() == 5);
  CHECK(f.database_ports.at("postgres") == 5432);
  CHECK(f.database_ports.at("mysql") == 3306);
  CHECK(f.shared_address_space.prefix == 10);
  CHECK(f.benchmark_range.prefix == 16);
}
