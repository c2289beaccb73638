#include <algorithm>

#include <doctest/doctest.h>

#include "archsim/model/graph.hpp"
#include "fixture.hpp"

using namespace archsim::model;
using archsim::testing::facts;
using archsim::testing::load_good;

namespace {
const TopologySpec& topology_of(const LoadResult& loaded) {
  REQUIRE(loaded.ok());
  return loaded.scenario->alternatives.front().topology;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}
}  // namespace

TEST_CASE("graph: an ECS service in two subnets is two placements of one component") {
  const auto loaded = load_good();
  const auto& t = topology_of(loaded);
  const ArchGraph g = build_graph(t);
  REQUIRE(g.of("app").size() == 2);
  CHECK(g.graph[g.of("app")[0]].zone == "us-east-1a");
  CHECK(g.graph[g.of("app")[1]].zone == "us-east-1b");
  CHECK(g.of("alb").size() == 2);
  REQUIRE(g.of("db").size() == 2);
  CHECK(g.graph[g.of("db")[1]].standby);
  CHECK(g.of("repo").size() == 1);
  CHECK(g.graph[g.of("repo")[0]].zone.empty());
}

TEST_CASE("graph: internet exposure follows request routes; tasks behind the ALB are not direct") {
  const auto loaded = load_good();
  const auto& t = topology_of(loaded);
  const auto exposure = internet_exposure(build_graph(t), t);
  auto find = [&](const std::string& id) {
    return std::find_if(exposure.begin(), exposure.end(), [&](const Exposure& e) { return e.component == id; });
  };
  REQUIRE(find("alb") != exposure.end());
  CHECK_FALSE(find("alb")->direct);
  REQUIRE(find("app") != exposure.end());
  CHECK_FALSE(find("app")->direct);
  CHECK(find("app")->how == "request path users -> alb -> app");
}

TEST_CASE("graph: public tasks with a world-open group are directly exposed") {
  const auto loaded = load_good(
      "components: {app: {subnets: [public-a, public-b], assign_public_ip: true}}\n"
      "security_groups: {app-sg: {ingress: [{protocol: tcp, ports: 8000, cidr: 0.0.0.0/0}]}}");
  const auto& t = topology_of(loaded);
  const auto exposure = internet_exposure(build_graph(t), t);
  const bool direct = std::any_of(exposure.begin(), exposure.end(),
                                  [](const Exposure& e) { return e.component == "app" && e.direct; });
  CHECK(direct);
}

TEST_CASE("graph: with a NAT gateway per zone, losing a zone cuts nothing off elsewhere") {
  const auto loaded = load_good();
  const auto& t = topology_of(loaded);
  const ArchGraph g = build_graph(t);
  const auto impact = zone_failure(g, t, facts(), "us-east-1a");
  CHECK(contains(impact.down, "app@us-east-1a"));
  CHECK(contains(impact.down, "nat-a@us-east-1a"));
  CHECK(impact.cut_off.empty());
  CHECK(impact.routes_broken.empty());
}

TEST_CASE("graph: a shared NAT gateway's zone failure cuts the other zone's tasks off from ECR") {
  const auto loaded = load_good("route_tables: {private-b: {routes: [{destination: 0.0.0.0/0, nat_gateway: nat-a}]}}");
  const auto& t = topology_of(loaded);
  const ArchGraph g = build_graph(t);
  const auto impact = zone_failure(g, t, facts(), "us-east-1a");
  const bool ecr_cut = std::any_of(impact.cut_off.begin(), impact.cut_off.end(), [](const CutOff& c) {
    return c.placement == "app@us-east-1b" && c.need == "ecr" && c.detail.find("nat-a@us-east-1a") != std::string::npos;
  });
  CHECK(ecr_cut);
  CHECK(zone_failure(g, t, facts(), "us-east-1b").cut_off.empty());
}

TEST_CASE("graph: a redundant route has no single point of failure; a single-AZ database is one") {
  auto loaded = load_good();
  const auto& good = topology_of(loaded);
  auto analysis = analyse_route(build_graph(good), good, good.routes.front());
  CHECK(analysis.connected);
  CHECK(analysis.single_points.empty());
  CHECK(analysis.single_zones.empty());

  const auto single = load_good("components: {db: {multi_az: false}}");
  const auto& t = topology_of(single);
  const ArchGraph g = build_graph(t);
  analysis = analyse_route(g, t, t.routes.front());
  CHECK(analysis.single_points == std::vector<std::string>{"db@us-east-1a"});
  CHECK(analysis.single_zones == std::vector<std::string>{"us-east-1a"});
  const auto impact = zone_failure(g, t, facts(), "us-east-1a");
  CHECK(impact.routes_broken == std::vector<std::string>{"main"});
}

TEST_CASE("graph: egress of a private task runs through its zone's NAT gateway to the internet") {
  const auto loaded = load_good();
  const auto& t = topology_of(loaded);
  const ArchGraph g = build_graph(t);
  const Egress egress = egress_of(g, g.of("app")[1]);
  CHECK(egress.internet);
  CHECK(egress.internet_path == std::vector<std::string>{"app@us-east-1b", "nat-b@us-east-1b", "igw:main", "internet"});
  CHECK(needs_of(g, g.of("app")[0]) == std::vector<std::string>{"ecr", "logs", "secretsmanager"});
}
