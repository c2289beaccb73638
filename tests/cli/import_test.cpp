// `archsim import terraform`: a plan becomes a topology that archsim reviews, prices and runs as
// it does the hand-written one; bad input is a located error with exit 2, never a crash.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

/// The test's folder under the process's own temporary folder, which the test main sets
/// (TMPDIR) after static initialisation: a namespace-scope constant would share /tmp.
std::filesystem::path test_dir() { return std::filesystem::temp_directory_path() / "archsim_import_test"; }
const std::string kAdrPlan = "tests/import/fixtures/adr0005-plan.json";
const std::string kModulesPlan = "tests/import/fixtures/modules-count-foreach-plan.json";

std::string write(const std::string& name, const std::string& text) {
  std::filesystem::create_directories(test_dir());
  const auto file = test_dir() / name;
  std::ofstream(file) << text;
  return file.string();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

/// The findings of a review JSON without their locations (which differ: a plan is not the
/// topology file) nor the resource an imported entity names.
nlohmann::json findings_and_analyses(const std::string& json_text) {
  nlohmann::json out = nlohmann::json::array();
  const auto review = nlohmann::json::parse(json_text);
  for (const auto& alt : review["alternatives"]) {
    nlohmann::json findings = nlohmann::json::array();
    for (auto f : alt["findings"]) {
      f.erase("location");
      f["message"] = std::regex_replace(f["message"].get<std::string>(), std::regex(R"( \(resource [^)]*\))"), "");
      findings.push_back(f);
    }
    std::sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
    out.push_back({{"id", alt["id"]}, {"findings", findings}, {"analysis", alt["analysis"]}});
  }
  return out;
}

/// scenarios/adr0005.yaml with every alternative's topology taken from the plan instead of the
/// hand-written file, in test_dir() (a scenario names files under its own folder only).
std::string adr_from_plan() {
  std::filesystem::create_directories(test_dir());
  std::filesystem::copy_file(kAdrPlan, test_dir() / "adr0005-plan.json", std::filesystem::copy_options::overwrite_existing);
  std::string text = testing::read_file("scenarios/adr0005.yaml");
  // The chosen alternative (the first, with no overrides of its own) adds what Terraform cannot
  // know and the import says it left out: stored image bytes, the image's size, the requests.
  const std::string hand = "topology: topologies/adr0005-alb-private-tasks.yaml\n";
  const std::size_t chosen = text.find(hand);
  REQUIRE(chosen != std::string::npos);
  text.replace(chosen, hand.size(),
               "topology: {terraform: adr0005-plan.json}\n"
               "    overrides:\n"
               "      components: {images: {storage: 2GB}, api: {image: {repository: images, size: 250MB}}}\n"
               "      routes: {api: {url_path: /items, method: GET, request_size: 1KB, response_size: 4KB}}\n");
  text = replace_all(text, "topology: topologies/adr0005-alb-private-tasks.yaml", "topology: {terraform: adr0005-plan.json}");
  return write("adr0005-from-plan.yaml", text);
}

/// A bill's line items in one order: a bill lists them in the topology's component order,
/// which is the file's in a hand-written topology and by id in an imported one.
void sort_lines(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) sort_lines(value);
  } else if (j.is_array()) {
    for (auto& v : j) sort_lines(v);
    if (!j.empty() && j[0].is_object() && j[0].contains("component")) {
      std::sort(j.begin(), j.end(), [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
    }
  }
}

}  // namespace

TEST_CASE("import terraform: ADR-0005's plan becomes a commented topology, the same on every run") {
  const auto r = cli({"import", "terraform", kAdrPlan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("# aws_lb.alb\n") != std::string::npos);
  CHECK(r.out.find("# ASSUMPTION: Terraform does not know an image's size") != std::string::npos);
  CHECK(r.out.find("#   aws_iam_role x1: IAM") != std::string::npos);
  CHECK(r.out.find("#   aws_acm_certificate x1") != std::string::npos);
  // References resolved through the configuration, as ids are unknown before apply.
  CHECK(r.out.find("subnets: [private-a, private-b]") != std::string::npos);
  CHECK(r.out.find("- {protocol: tcp, ports: 8000, group: task-sg}") != std::string::npos);
  CHECK(r.out.find("min_count: 2") != std::string::npos);
  CHECK(r.err.find("warning: assumed:") != std::string::npos);
  CHECK(cli({"import", "terraform", kAdrPlan}).out == r.out);
}

TEST_CASE("import terraform: validate accepts the written topology with no error of the import's making") {
  std::filesystem::create_directories(test_dir());  // -o writes into a folder that must exist; the first write() may come later
  const auto r = cli({"import", "terraform", kAdrPlan, "-o", (test_dir() / "imported.yaml").string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const std::string scenario = write("imported-scenario.yaml",
                                     "archsim: 1\nname: imported\nregion: us-east-1\n"
                                     "alternatives:\n  plan: {title: From the plan, status: chosen, topology: imported.yaml}\n");
  const auto v = cli({"validate", scenario, "--strict"});
  CHECK_MESSAGE(v.code != 2, v.err);
  CHECK(v.err.find("error") == std::string::npos);
}

TEST_CASE("import terraform: ADR-0005 from its plan reviews and prices as the hand-written topology") {
  const std::string from_plan = adr_from_plan();
  const auto hand = cli({"validate", "scenarios/adr0005.yaml", "--format", "json"});
  const auto plan = cli({"validate", from_plan, "--format", "json"});
  REQUIRE_MESSAGE(hand.code != 2, hand.err);
  REQUIRE_MESSAGE(plan.code != 2, plan.err);
  CHECK(plan.code == hand.code);
  CHECK(findings_and_analyses(plan.out).dump(1) == findings_and_analyses(hand.out).dump(1));
  // Findings about an imported entity name the resource and point into the plan.
  CHECK(plan.out.find("(resource aws_") != std::string::npos);
  CHECK(plan.out.find("adr0005-plan.json") != std::string::npos);

  // The chosen alternative's bill (the others leave the stored images and request sizes to the
  // import's defaults, so their bills differ by exactly those lines).
  auto bill = [](const std::string& file) {
    const auto r = cli({"price", file, "--format", "json"});
    REQUIRE_MESSAGE(r.code != 2, r.err);
    const auto json = nlohmann::json::parse(r.out);
    for (const auto& alt : json["alternatives"]) {
      if (alt["id"] == "alb-private-tasks") {
        nlohmann::json sorted = alt;
        sort_lines(sorted);
        return sorted;
      }
    }
    FAIL("no chosen alternative in the bill");
    return nlohmann::json();
  };
  CHECK(bill(from_plan).dump(1) == bill("scenarios/adr0005.yaml").dump(1));
}

TEST_CASE("import terraform: modules at any depth, count, for_each and unknown values") {
  const auto r = cli({"import", "terraform", kModulesPlan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  // for_each keys and count indexes name the instances; module names prefix them.
  CHECK(r.out.find("network.private-a:") != std::string::npos);
  CHECK(r.out.find("network.private-b:") != std::string::npos);
  CHECK(r.out.find("network.nat-0:") != std::string::npos);
  CHECK(r.out.find("# aws_subnet.private[\"a\"] (module.network)") != std::string::npos);
  // A reference through a module output and a module input, resolved to the subnets.
  CHECK(r.out.find("subnets: [network.private-a, network.private-b]") != std::string::npos);
  // The same count index on both sides of a reference picks the matching instance.
  CHECK(r.out.find("{destination: 0.0.0.0/0, nat_gateway: network.nat-1}") != std::string::npos);
  CHECK(r.err.find("unsupported resource type aws_instance (1 left out)") != std::string::npos);
  CHECK(r.out.find("#   aws_instance x1") != std::string::npos);
  // A reference that names every instance where one is meant: the first, said in a warning
  // and an ASSUMPTION comment at the value.
  CHECK(r.err.find("route_table_id of module.network.aws_route_table_association.private[\"b\"] refers to 2 resources; the first, "
                   "module.network.aws_route_table.private[0], is used") != std::string::npos);
  CHECK(r.out.find("    # ASSUMPTION: route_table_id of") != std::string::npos);
  CHECK(r.out.find("#   data.aws_availability_zones x1") != std::string::npos);
}

TEST_CASE("import terraform: a subnet's vpc_id through its secondary CIDR's association names the association's VPC") {
  // The usual way to make a secondary-CIDR subnet wait for its association.
  const std::string plan = write("assoc-plan.json", R"({"format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.0.0.0/16"}},
    {"address": "aws_vpc_ipv4_cidr_block_association.pods", "mode": "managed", "type": "aws_vpc_ipv4_cidr_block_association", "name": "pods",
     "values": {"cidr_block": "100.64.0.0/16"}},
    {"address": "aws_subnet.pods", "mode": "managed", "type": "aws_subnet", "name": "pods",
     "values": {"availability_zone": "eu-west-1a", "cidr_block": "100.64.0.0/20"}}]}},
  "resource_changes": [
    {"address": "aws_vpc_ipv4_cidr_block_association.pods", "change": {"after_unknown": {"vpc_id": true}}},
    {"address": "aws_subnet.pods", "change": {"after_unknown": {"vpc_id": true}}}],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main", "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}},
    {"address": "aws_vpc_ipv4_cidr_block_association.pods", "type": "aws_vpc_ipv4_cidr_block_association", "name": "pods",
     "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
    {"address": "aws_subnet.pods", "type": "aws_subnet", "name": "pods",
     "expressions": {"vpc_id": {"references": ["aws_vpc_ipv4_cidr_block_association.pods.vpc_id", "aws_vpc_ipv4_cidr_block_association.pods"]}}}]}}}
)");
  const auto p = cli({"import", "terraform", plan});
  REQUIRE_MESSAGE(p.code == 0, p.err);
  CHECK(p.out.find("secondary_cidrs: [100.64.0.0/16]") != std::string::npos);
  CHECK(p.out.find("  pods: {vpc: main, zone: eu-west-1a, cidr: 100.64.0.0/20") != std::string::npos);
  // State knows the ids: the association's vpc_id, which the subnet copies, is the VPC's.
  const std::string state = R"({"format_version": "1.0", "values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}},
    {"address": "aws_vpc_ipv4_cidr_block_association.pods", "mode": "managed", "type": "aws_vpc_ipv4_cidr_block_association", "name": "pods",
     "values": {"id": "vpc-cidr-assoc-1", "vpc_id": "vpc-1", "cidr_block": "100.64.0.0/16"}},
    {"address": "aws_subnet.pods", "mode": "managed", "type": "aws_subnet", "name": "pods",
     "values": {"id": "subnet-1", "vpc_id": "VPC", "availability_zone": "eu-west-1a", "cidr_block": "100.64.0.0/20"}}]}}}
)";
  const auto s = cli({"import", "terraform", write("assoc-state.json", replace_all(state, "\"VPC\"", "\"vpc-1\""))});
  REQUIRE_MESSAGE(s.code == 0, s.err);
  CHECK(s.out.find("  pods: {vpc: main, zone: eu-west-1a, cidr: 100.64.0.0/20") != std::string::npos);
  CHECK(s.out.find("secondary_cidrs: [100.64.0.0/16]") != std::string::npos);
  // A subnet whose vpc_id is its own id (no plan can say so): an error, not an endless walk.
  const auto c = cli({"import", "terraform", write("assoc-cycle.json", replace_all(state, "\"VPC\"", "\"subnet-1\""))});
  CHECK(c.code == 2);
  CHECK(c.err.find("aws_subnet.pods: vpc_id names no aws_vpc in the file") != std::string::npos);
}

TEST_CASE("import terraform: bad input is a located error and exit 2") {
  SUBCASE("not a plan or state") {
    const auto r = cli({"import", "terraform", write("not-a-plan.json", "{\n  \"Resources\": {}\n}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("not-a-plan.json:1:1: error: not a Terraform plan or state") != std::string::npos);
  }
  SUBCASE("an unsupported format_version names the supported ones") {
    const auto r = cli({"import", "terraform", write("v2.json", "{\n  \"format_version\": \"2.0\",\n  \"values\": {}\n}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("v2.json:2:21: format_version: error: unsupported format_version '2.0'; archsim reads 0.x, 1.x") != std::string::npos);
  }
  SUBCASE("not JSON") {
    const auto r = cli({"import", "terraform", write("broken.json", "{\n  \"format_version\": \"1.0\",\n  oops\n}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("broken.json:3:3: error: not valid JSON") != std::string::npos);
  }
  SUBCASE("a reference to a resource not in the file") {
    std::string plan = testing::read_file(kAdrPlan);
    plan = replace_all(plan, "\"aws_subnet.private-b.id\"", "\"aws_subnet.private-c.id\"");
    const auto r = cli({"import", "terraform", write("dangling.json", plan)});
    CHECK(r.code == 2);
    CHECK(r.err.find("aws_ecs_service.api: refers to aws_subnet.private-c, which is not in the file") != std::string::npos);
    CHECK(std::regex_search(r.err, std::regex(R"(dangling\.json:\d+:\d+: error: aws_ecs_service)")));
  }
  SUBCASE("nesting beyond the cap") {
    const auto r = cli({"import", "terraform", write("deep.json", std::string(100, '[') + std::string(100, ']'))});
    CHECK(r.code == 2);
    CHECK(r.err.find("deep.json:1:65: error: nesting deeper than 64 levels") != std::string::npos);
  }
  SUBCASE("a scenario naming a plan that is not one") {
    write("not-a-plan.json", "{\"x\": 1}");
    const auto r = cli({"validate", write("bad-plan-scenario.yaml", "archsim: 1\nname: x\nregion: us-east-1\nalternatives:\n"
                                                                   "  a: {title: a, topology: {terraform: not-a-plan.json}}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("not a Terraform plan or state") != std::string::npos);
  }
}

TEST_CASE("validate plan.json: a plan is reviewed directly, its findings naming the resource and its place in the plan") {
  const auto r = cli({"validate", kAdrPlan, "--format", "json"});
  REQUIRE_MESSAGE(r.code != 2, r.err);
  const auto review = nlohmann::json::parse(r.out);
  REQUIRE(review["alternatives"].size() == 1);
  bool named = false;
  for (const auto& f : review["alternatives"][0]["findings"]) {
    if (f["rule"] != "task-no-egress-path") continue;
    // ADR-0005's tasks have no way to their image (docs/designs): found from the plan too.
    CHECK(f["message"].get<std::string>().find("(resource aws_") != std::string::npos);
    CHECK(f["location"]["file"] == kAdrPlan);
    CHECK(f["location"]["line"].get<int>() > 1);
    named = true;
  }
  CHECK(named);
  // The import's assumptions are notes there, so --strict (about the scenario's keys) passes.
  CHECK(cli({"validate", kAdrPlan, "--strict"}).code == r.code);
}

namespace {

const std::string kCdk = "tests/import/fixtures/cdk/Adr0005Stack.template.json";
const std::string kTags = "tests/import/fixtures/tags-conditions.yaml";

}  // namespace

TEST_CASE("import cloudformation: a CDK template, its nested stack read from cdk.out, becomes ADR-0005's topology") {
  const auto r = cli({"import", "cloudformation", kCdk, "--parameter", "AWS::Region=us-east-1"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("zones: [us-east-1a, us-east-1b]") != std::string::npos);
  // CDK's construct path in the source comment; a nested stack's resources under its id.
  CHECK(r.out.find("# ApiService [Adr0005Stack/Service/Api/Service] (ServiceNestedStackResource)") != std::string::npos);
  CHECK(r.out.find("  ServiceNestedStackResource.ApiService:") != std::string::npos);
  // Parameters passed into the nested stack resolve to the parent's resources.
  CHECK(r.out.find("subnets: [VpcPrivateSubnet1Subnet536B997A, VpcPrivateSubnet2Subnet3788AAA1]") != std::string::npos);
  CHECK(r.out.find("security_groups: [TaskSecurityGroup]") != std::string::npos);
  CHECK(r.out.find("targets: ServiceNestedStackResource.ApiService") != std::string::npos);
  CHECK(r.out.find("image: {repository: ImagesRepository}") != std::string::npos);
  CHECK(r.out.find("log_group: ApiLogs") != std::string::npos);
  CHECK(r.out.find("        - {metric: cpu, target: 70}") != std::string::npos);
  // A group with no SecurityGroupEgress keeps AWS's allow-all rule beside the rules added to it.
  CHECK(r.out.find("egress:\n      # AWS's default allow-all egress rule") != std::string::npos);
  CHECK(r.out.find("- {protocol: tcp, ports: 8000, group: TaskSecurityGroup}") != std::string::npos);
  CHECK(r.out.find("certificate: ApiCertificate") != std::string::npos);
  CHECK(r.out.find("#   AWS::CDK::Metadata x1") != std::string::npos);
  CHECK(r.out.find("#   AWS::CloudFormation::Stack x1: a nested stack") != std::string::npos);
  CHECK(r.out.find("#   AWS::IAM::Role x1") != std::string::npos);
  CHECK(cli({"import", "cloudformation", kCdk, "--parameter", "AWS::Region=us-east-1"}).out == r.out);

  SUBCASE("the region is needed for Fn::GetAZs, and said so where it is used") {
    const auto n = cli({"import", "cloudformation", kCdk});
    CHECK(n.code == 2);
    CHECK(std::regex_search(n.err, std::regex(R"(Adr0005Stack\.template\.json:\d+:\d+: error: Fn::GetAZs: the region is known only at deployment; pass --parameter AWS::Region=<region>)")));
  }
  SUBCASE("a scenario names the template; validate finds ADR-0005's missing egress and names the resource") {
    std::filesystem::create_directories(test_dir() / "cdk");
    for (const auto& f : std::filesystem::directory_iterator("tests/import/fixtures/cdk")) {
      std::filesystem::copy_file(f.path(), test_dir() / "cdk" / f.path().filename(), std::filesystem::copy_options::overwrite_existing);
    }
    const std::string scenario = write("cdk/scenario.yaml",
                                       "archsim: 1\nname: cdk\nregion: us-east-1\nalternatives:\n"
                                       "  cdk:\n    title: As synthesized\n    status: chosen\n"
                                       "    topology: {cloudformation: Adr0005Stack.template.json, parameters: {\"AWS::Region\": us-east-1}}\n");
    const auto v = cli({"validate", scenario, "--format", "json"});
    REQUIRE_MESSAGE(v.code != 2, v.err);
    CHECK(v.out.find("task-no-egress-path") != std::string::npos);
    CHECK(v.out.find("(resource ApiService [Adr0005Stack/Service/Api/Service])") != std::string::npos);
  }
}

TEST_CASE("import cloudformation: YAML short forms, conditions, mappings and parameters") {
  const auto dev = cli({"import", "cloudformation", kTags, "--parameter", "AWS::Region=eu-west-1"});
  REQUIRE_MESSAGE(dev.code == 0, dev.err);
  CHECK(dev.out.find("SubnetA: {vpc: Vpc, zone: eu-west-1a, cidr: 10.1.0.0/24, public: false}") != std::string::npos);
  CHECK(dev.out.find("SubnetB") == std::string::npos);
  CHECK(dev.out.find("Logs: {type: log_group, retention: 7d}") != std::string::npos);
  CHECK(dev.out.find("ingress: [{protocol: tcp, ports: 443, cidr: 10.1.0.0/16}]") != std::string::npos);
  CHECK(dev.out.find("ASSUMPTION: no SecurityGroupEgress: CloudFormation keeps AWS's allow-all egress rule") != std::string::npos);
  // An unsupported resource is listed, and its properties (an Fn::ImportValue) never read.
  CHECK(dev.out.find("#   AWS::SNS::Topic x1") != std::string::npos);

  const auto prod = cli({"import", "cloudformation", kTags, "--parameter", "AWS::Region=eu-west-1", "--parameter", "Env=prod"});
  REQUIRE_MESSAGE(prod.code == 0, prod.err);
  CHECK(prod.out.find("SubnetB: {vpc: Vpc, zone: eu-west-1b, cidr: 10.1.1.0/24, public: false}") != std::string::npos);
  CHECK(prod.out.find("Logs: {type: log_group, retention: 90d}") != std::string::npos);

  SUBCASE("what only the deployed stack knows is a located error") {
    const auto r = cli({"import", "cloudformation",
                        write("import-value.yaml", "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !ImportValue shared-cidr\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("import-value.yaml:5:18: vpcs.Vpc.cidr: error: cidr is another stack's export 'shared-cidr' (Fn::ImportValue), which only a "
                     "deployment knows; archsim needs the value itself here") != std::string::npos);
  }
  SUBCASE("another stack's export as a reference names something not in the file") {
    // The shared-cluster pattern of multi-stack CDK apps: the service's cluster is an export.
    const auto r = cli({"import", "cloudformation", "--parameter", "AWS::Region=eu-west-1",
                        write("shared-cluster.yaml", "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n"
                                                     "      Cluster: !ImportValue shared-cluster\n      LaunchType: FARGATE\n      DesiredCount: 2\n"
                                                     "      TaskDefinition: !Ref Task\n"
                                                     "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512', ContainerDefinitions: "
                                                     "[{Name: app, Image: nginx, PortMappings: [{ContainerPort: 80}]}]}}\n")});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("type: ecs_service") != std::string::npos);
    // A Docker Hub short name is a repository outside the file, written in full.
    CHECK(r.out.find("image: {repository: docker.io/library/nginx}") != std::string::npos);
  }
  SUBCASE("a custom resource's attribute where a value is needed") {
    const auto r = cli({"import", "cloudformation", "--parameter", "AWS::Region=eu-west-1",
                        write("custom-count.yaml", "Resources:\n  Count: {Type: 'Custom::Count', Properties: {ServiceToken: arn}}\n"
                                                   "  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n"
                                                   "      LaunchType: FARGATE\n      DesiredCount: !GetAtt Count.Value\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("custom-count.yaml:7:21: components.Svc.desired_count: error: desired_count is a name or attribute of Count, which only a "
                     "deployment knows") != std::string::npos);
  }
  SUBCASE("a null value is refused, as CloudFormation refuses the template") {
    const auto r = cli({"import", "cloudformation", "--parameter", "AWS::Region=eu-west-1",
                        write("null.yaml", "Resources:\n  Svc:\n    Type: AWS::ECS::Service\n    Properties:\n      LaunchType:\n      DesiredCount: 2\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("null.yaml:5:7: error: LaunchType is null; CloudFormation refuses a template with a null value") != std::string::npos);
  }
  SUBCASE("a block of properties written as a list") {
    const auto r = cli({"import", "cloudformation", "--parameter", "AWS::Region=eu-west-1",
                        write("pt-list.yaml", "Resources:\n  Tbl:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PROVISIONED\n"
                                              "      ProvisionedThroughput: [{ReadCapacityUnits: 5, WriteCapacityUnits: 5}]\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("pt-list.yaml:6:30: error: Tbl: ProvisionedThroughput is a list; CloudFormation's ProvisionedThroughput is one block of "
                     "properties (a map, with ReadCapacityUnits in it)") != std::string::npos);
    CHECK(r.err.find("WriteCapacityUnits in it") == std::string::npos);  // one list, said once
  }
  SUBCASE("a parameter with no default and no --parameter") {
    const auto r = cli({"import", "cloudformation",
                        write("no-default.yaml", "Parameters:\n  Cidr: {Type: String}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n"
                                                 "    Properties: {CidrBlock: !Ref Cidr}\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("no-default.yaml:6:29: error: Ref Cidr: parameter Cidr has no Default; pass --parameter Cidr=<value>") != std::string::npos);
  }
  SUBCASE("not a template") {
    const auto r = cli({"import", "cloudformation", write("list.yaml", "- a\n- b\n")});
    CHECK(r.code == 2);
    CHECK(r.err.find("list.yaml:1:1: error: not a CloudFormation template") != std::string::npos);
  }
  SUBCASE("--parameter is Key=Value") {
    CHECK(cli({"import", "cloudformation", kTags, "--parameter", "Env"}).code == 2);
  }
}

TEST_CASE("import --against: the drift between a scenario's topology and the code") {
  const auto same = cli({"import", "terraform", kAdrPlan, "--against", "scenarios/adr0005.yaml"});
  CHECK_MESSAGE(same.code == 0, same.err);
  CHECK(same.out.find("none: the code matches the scenario's topology") != std::string::npos);

  // The deployed service was scaled to 3 tasks and lost its second private subnet.
  std::string plan = testing::read_file(kAdrPlan);
  plan = replace_all(plan, "\"desired_count\": 2", "\"desired_count\": 3");
  plan = replace_all(plan, "\"references\": [\n              \"aws_subnet.private-a.id\",\n              \"aws_subnet.private-a\",\n"
                           "              \"aws_subnet.private-b.id\",\n              \"aws_subnet.private-b\"\n            ]",
                     "\"references\": [\n              \"aws_subnet.private-a.id\",\n              \"aws_subnet.private-a\"\n            ]");
  const auto drift = cli({"import", "terraform", write("drifted.json", plan), "--against", "scenarios/adr0005.yaml"});
  CHECK(drift.code == 1);
  CHECK(drift.out.find("changed: components.api: ecs_service 0.25 vCPU 512MiB x2 (2..6) in private-a, private-b -> "
                       "ecs_service 0.25 vCPU 512MiB x3 (2..6) in private-a") != std::string::npos);
  // Without -o only the drift is printed.
  CHECK(drift.out.find("vpcs:") == std::string::npos);
}

TEST_CASE("import terraform: state, its references by known ids, and the components read attribute by attribute") {
  const auto r = cli({"import", "terraform", "tests/import/fixtures/state-data.json"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("region: eu-west-1") != std::string::npos);
  // The database's subnets through its subnet group, by the ids state knows.
  // gp3's IOPS and throughput are carried: the baseline the state reports is valid and bills nothing.
  CHECK(r.out.find("  orders:\n    type: rds\n    engine: postgres\n    instance_class: db.t4g.micro\n    multi_az: true\n    storage: 20GB\n"
                   "    storage_type: gp3\n    iops: 3000\n    storage_throughput: 125\n    publicly_accessible: false\n    subnets: [db-a, db-b]\n"
                   "    security_groups: [db]\n") != std::string::npos);
  // io1's provisioned IOPS are carried (and billed); the throughput state reports for it (0) is not.
  CHECK(r.out.find("  ledger:\n    type: rds\n    engine: postgres\n    instance_class: db.t4g.micro\n    multi_az: false\n    storage: 100GB\n"
                   "    # ASSUMPTION: aws_db_instance.ledger: `storage_throughput: 0` left out: storage_type io1 takes no storage_throughput to bill\n"
                   "    storage_type: io1\n    iops: 2000\n") != std::string::npos);
  CHECK(r.out.find("  sessions:\n    type: dynamodb\n    billing_mode: provisioned\n    read_capacity: 5\n    write_capacity: 5\n"
                   "    point_in_time_recovery: true\n    stream_enabled: true\n") != std::string::npos);
  CHECK(r.out.find("  worker:\n    type: lambda\n    memory: 256MiB\n    architecture: arm64\n    timeout: 30s\n    runtime: python3.12\n"
                   "    subnets: [db-a]\n    security_groups: [db]\n") != std::string::npos);
  CHECK(r.out.find("users: {type: cognito_user_pool, tier: essentials}") != std::string::npos);
  CHECK(r.out.find("#   aws_db_subnet_group x1") != std::string::npos);
  const std::string scenario = write("state-scenario.yaml", "archsim: 1\nname: state\nregion: eu-west-1\nalternatives:\n"
                                                            "  s: {title: s, topology: {terraform: state.json}}\n");
  std::filesystem::copy_file("tests/import/fixtures/state-data.json", test_dir() / "state.json", std::filesystem::copy_options::overwrite_existing);
  const auto v = cli({"validate", scenario});
  CHECK_MESSAGE(v.code != 2, v.err);
}

namespace {

const std::string kApiCdnPlan = "tests/import/fixtures/api-cdn-aurora-plan.json";
const std::string kApiCdnTemplate = "tests/import/fixtures/api-cdn-aurora.yaml";

/// scenarios/<seed>.yaml with every alternative's topology taken from `fixture` instead of the
/// hand-written file, in test_dir(). `source` is the topology's value (`{terraform: plan.json}`), and
/// `fills` the overrides each alternative (in file order; one for all) has, as YAML lines at the
/// overrides' indentation: what the code cannot know (image sizes, stored bytes, request routes)
/// merged with the alternative's own overrides, which they replace.
std::string seed_from_code(const std::string& seed, const std::string& fixture, const std::string& source, const std::vector<std::string>& fills) {
  std::filesystem::create_directories(test_dir());
  std::filesystem::copy_file(fixture, test_dir() / std::filesystem::path(fixture).filename(), std::filesystem::copy_options::overwrite_existing);
  const std::string text = testing::read_file("scenarios/" + seed + ".yaml");
  const std::string hand = "topology: topologies/" + seed + ".yaml\n";
  const std::string own = "    overrides:\n";
  std::string out;
  std::size_t n = 0;
  for (std::size_t at = 0;; ++n) {
    const std::size_t found = text.find(hand, at);
    if (found == std::string::npos) {
      out += text.substr(at);
      break;
    }
    REQUIRE((fills.size() == 1 || n < fills.size()));
    out += text.substr(at, found - at) + "topology: " + source + "\n" + own + fills[fills.size() == 1 ? 0 : n];
    at = found + hand.size();
    if (text.compare(at, own.size(), own) == 0) {
      // The alternative's own overrides: the lines indented deeper than `overrides:`, and the
      // comments and blank lines among them.
      at += own.size();
      while (at < text.size() && (text.compare(at, 6, "      ") == 0 || text[at] == '\n')) at = text.find('\n', at) + 1;
    }
  }
  REQUIRE((fills.size() == 1 || n == fills.size()));
  return write(seed + "-from-code.yaml", out);
}

/// Lists of names in one order: an analysis lists components in the topology's order, which is
/// the file's in a hand-written topology and by id in an imported one.
void sort_names(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) sort_names(value);
  } else if (j.is_array()) {
    for (auto& v : j) sort_names(v);
    if (std::all_of(j.begin(), j.end(), [](const auto& v) { return v.is_string(); })) std::sort(j.begin(), j.end());
  }
}

/// Every alternative of the scenario from the code has the hand-written one's findings, route and
/// zone analyses and bill.
void check_round_trip(const std::string& hand_scenario, const std::string& code_scenario) {
  const auto hand = cli({"validate", hand_scenario, "--format", "json"});
  const auto code = cli({"validate", code_scenario, "--format", "json"});
  REQUIRE_MESSAGE(hand.code != 2, hand.err);
  REQUIRE_MESSAGE(code.code != 2, code.err);
  CHECK(code.code == hand.code);
  auto hand_review = findings_and_analyses(hand.out), code_review = findings_and_analyses(code.out);
  sort_names(hand_review);
  sort_names(code_review);
  CHECK(code_review.dump(1) == hand_review.dump(1));
  auto bills = [](const std::string& file) {
    const auto r = cli({"price", file, "--format", "json"});
    REQUIRE_MESSAGE(r.code != 2, r.err);
    auto json = nlohmann::json::parse(r.out)["alternatives"];
    sort_lines(json);
    // An undeclared meter's reason names the first component that sends through it, in the
    // topology's order; the component and meter it is about are compared.
    for (auto& alt : json) {
      for (auto& u : alt["cost"]["undeclared_usage"]) u.erase("why");
    }
    return json;
  };
  const auto hand_bills = bills(hand_scenario), code_bills = bills(code_scenario);
  REQUIRE(hand_bills.size() == code_bills.size());
  for (std::size_t i = 0; i < hand_bills.size(); ++i) {
    INFO("alternative " << hand_bills[i]["id"]);
    CHECK(code_bills[i].dump(1) == hand_bills[i].dump(1));
  }
}

}  // namespace

TEST_CASE("import terraform: API Gateway, CloudFront, Aurora, provisioned concurrency, step scaling and CodeDeploy") {
  const auto r = cli({"import", "terraform", kApiCdnPlan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  // A REST API: its integration's URI names the NLB, its VPC link is in the NLB's subnets, its
  // authorizer names the Cognito pool by ARN.
  CHECK(r.out.find("  orders-api:\n    type: api_gateway\n    api_type: rest\n    endpoint: regional\n") != std::string::npos);
  CHECK(r.out.find("    integration: nlb\n    integration_timeout: 10000ms\n") != std::string::npos);
  CHECK(r.out.find("    vpc_link: {subnets: [private-a, private-b]}\n") != std::string::npos);
  CHECK(r.out.find("    authorizer: {type: cognito, user_pool: users}\n") != std::string::npos);
  // The pool is named users, so the internet's clients take another id.
  CHECK(r.out.find("  internet-users: {type: internet_users}\n") != std::string::npos);
  CHECK(r.out.find("  users: {type: cognito_user_pool}\n") != std::string::npos);
  // CloudFront: an S3 origin behind OAC (its id unknown before apply), the ALB over HTTPS.
  CHECK(r.out.find("      assets: {component: assets, access_control: oac}\n      web: {component: web, protocol: https-only}\n") != std::string::npos);
  CHECK(r.out.find("      - {path_pattern: \"/static/*\", origin: assets, viewer_protocol: redirect-to-https}\n"
                   "      - {path_pattern: \"*\", origin: web, viewer_protocol: https-only}\n") != std::string::npos);
  // Aurora: two instances make a Multi-AZ cluster of their class.
  CHECK(r.out.find("    engine: aurora-postgresql\n    subnets: [private-a, private-b]\n    security_groups: [db]\n"
                   "    # instances: aws_rds_cluster_instance.orders-1, aws_rds_cluster_instance.orders-2\n    instance_class: db.r6g.large\n") !=
        std::string::npos);
  CHECK(r.out.find("    multi_az: true\n") != std::string::npos);
  CHECK(r.out.find("    provisioned_concurrency: 5\n") != std::string::npos);
  // CodeDeploy: both target groups under the production listener's load balancer.
  CHECK(r.out.find("      codedeploy:\n        config: CodeDeployDefault.ECSCanary10Percent5Minutes\n        load_balancer: web\n"
                   "        target_groups: [blue, green]\n        termination_wait: 15m\n        auto_rollback: true\n") != std::string::npos);
  CHECK(r.out.find("      green:\n        protocol: HTTP\n        port: 8080\n        target_type: ip\n        targets: web-aws_ecs_service\n") !=
        std::string::npos);
  // Step scaling, its alarm found by the alarm's actions.
  CHECK(r.out.find("        - metric: cpu\n          comparison: above\n          threshold: 60\n          datapoints: 2\n          cooldown: 120s\n"
                   "          steps: [{lower: 0, upper: 20, change: 1}, {lower: 20, change: 3}]\n") != std::string::npos);
  // Routes from every way in: the distribution (to the bucket, and through the ALB to the
  // service, which is no way in of its own), the API.
  CHECK(r.out.find("web-aws_ecs_service: {share: 0.333333, hops: [internet-users, cdn, web, web-aws_ecs_service]}") != std::string::npos);
  CHECK(r.out.find("nlb: {share: 0.333333, hops: [internet-users, orders-api, nlb]}") != std::string::npos);
  // Left out with the reason; records and alarms are read into their entities.
  CHECK(r.out.find("#   aws_sqs_queue x1: SQS queues have no archsim entity\n") != std::string::npos);
  CHECK(r.err.find("unsupported resource type aws_sqs_queue (1 left out): SQS queues have no archsim entity") != std::string::npos);
  CHECK(r.out.find("#   aws_route53_record x1: a record of its hosted zone") != std::string::npos);
  CHECK(r.out.find("#   aws_cloudwatch_metric_alarm x1: read into the step-scaling policy") != std::string::npos);
  // Reviewed straight from the plan: the findings are the design's (its tasks have no way to
  // their public image; its ALB can be reached past CloudFront), none of the import's making.
  const auto v = cli({"validate", kApiCdnPlan, "--format", "json"});
  REQUIRE_MESSAGE(v.code != 2, v.err);
  const auto review = nlohmann::json::parse(v.out);
  std::string rules;
  for (const auto& f : review["alternatives"][0]["findings"]) rules += f["rule"].get<std::string>() + " ";
  CHECK(rules == "cloudfront-origin-bypass task-no-egress-path ");
}

TEST_CASE("import cloudformation: API Gateway, CloudFront, Aurora, provisioned concurrency, step scaling and CodeDeploy") {
  const auto r = cli({"import", "cloudformation", kApiCdnTemplate, "--parameter", "AWS::Region=eu-west-1"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  // An HTTP API integrating a function through its alias, a JWT issuer naming the pool.
  CHECK(r.out.find("  ThumbsApi:\n    type: api_gateway\n    api_type: http\n    endpoint: regional\n    # integration: ThumbsIntegration\n"
                   "    integration: Thumbs\n    integration_timeout: 15000ms\n") != std::string::npos);
  CHECK(r.out.find("    authorizer: {type: jwt, user_pool: Users}\n") != std::string::npos);
  // A REST API: the integration is a block of its method (the MOCK one adds nothing).
  CHECK(r.out.find("    # integration: OrdersGet\n    integration: Nlb\n    # OrdersLink\n    vpc_link: {subnets: [PrivateA, PrivateB]}\n") !=
        std::string::npos);
  CHECK(r.out.find("    authorizer: {type: cognito, user_pool: Users}\n") != std::string::npos);
  CHECK(r.out.find("      assets: {component: Assets, access_control: oac}\n      web: {component: Alb, protocol: https-only}\n") != std::string::npos);
  CHECK(r.out.find("    price_class: PriceClass_200\n") != std::string::npos);
  // A DBInstance with DBClusterIdentifier is read into its cluster, not made a database of its own.
  CHECK(r.out.find("    # instances: OrdersWriter, OrdersReader\n    instance_class: db.r6g.large\n") != std::string::npos);
  CHECK(r.out.find("  OrdersWriter:") == std::string::npos);
  CHECK(r.out.find("    provisioned_concurrency: 10\n") != std::string::npos);
  CHECK(r.out.find("        config: CodeDeployDefault.ECSLinear10PercentEvery1Minutes\n        load_balancer: Alb\n"
                   "        target_groups: [Blue, Green]\n        termination_wait: 10m\n") != std::string::npos);
  CHECK(r.out.find("          steps: [{lower: 0, upper: 20, change: 1}, {lower: 20, change: 3}]\n") != std::string::npos);
  CHECK(r.out.find("  Internal: {type: route53_zone, private_zone: true}\n") != std::string::npos);
  CHECK(r.out.find("  Thumbs: {share: 0.25, hops: [users, ThumbsApi, Thumbs]}\n") != std::string::npos);
  CHECK(r.out.find("#   AWS::SQS::Queue x1: SQS queues have no archsim entity\n") != std::string::npos);
  CHECK(r.out.find("#   AWS::Route53::RecordSet x1") != std::string::npos);
  CHECK(cli({"import", "cloudformation", kApiCdnTemplate, "--parameter", "AWS::Region=eu-west-1"}).out == r.out);

  SUBCASE("what the import cannot model is said, never dropped in silence") {
    std::string t = testing::read_file(kApiCdnTemplate);
    t = replace_all(t, "Properties: {Name: thumbs, ProtocolType: HTTP}", "Properties: {Name: thumbs, ProtocolType: WEBSOCKET}");
    t = replace_all(t, "AdjustmentType: ChangeInCapacity", "AdjustmentType: PercentChangeInCapacity");
    t = replace_all(t, "- {Id: assets, DomainName: !GetAtt Assets.RegionalDomainName,", "- {Id: assets, DomainName: assets.example.org,");
    t = replace_all(t, "  OrdersReader:\n    Type: AWS::RDS::DBInstance\n    Properties: {DBClusterIdentifier: !Ref Orders,",
                    "  OrdersReader:\n    Type: AWS::RDS::DBInstance\n    Properties: {DBClusterIdentifier: other-cluster,");
    const auto w = cli({"import", "cloudformation", write("left-out.yaml", t), "--parameter", "AWS::Region=eu-west-1"});
    REQUIRE_MESSAGE(w.code == 0, w.err);
    // A WebSocket API is imported as one, billed from usage, and no inferred route goes through it.
    CHECK(w.out.find("api_type: websocket") != std::string::npos);
    CHECK(w.err.find("assumed: ThumbsApi: a WebSocket API is billed from `usage`") != std::string::npos);
    CHECK(w.out.find("hops: [users, ThumbsApi") == std::string::npos);
    CHECK(w.out.find("(WEBSOCKET)") == std::string::npos);
    CHECK(w.err.find("WebCpuHigh: a PercentChangeInCapacity step policy is not simulated") != std::string::npos);
    CHECK(w.out.find("step_scaling") == std::string::npos);
    CHECK(w.err.find("Cdn: origin assets is not a resource of the file; left out, with its behaviours") != std::string::npos);
    CHECK(w.err.find("Cdn: the behaviour for /static/* goes to origin assets, which is left out") != std::string::npos);
    CHECK(w.err.find("OrdersReader: an instance of a cluster that is not in the file; left out") != std::string::npos);
    CHECK(w.out.find("    # instances: OrdersWriter\n    instance_class: db.r6g.large\n") != std::string::npos);
  }
}

TEST_CASE("round trip: the secondary-CIDR VPC Link seed from its Terraform plan reviews and prices as the hand-written one") {
  const std::string fill =
      "      components: {images: {storage: 1GB}, app: {image: {size: 300MB}}}\n"
      "      subnets: {enterprise-a: {other_workloads: App Server}, enterprise-b: {other_workloads: App Server}}\n"
      "      routes: {app: null, api: {share: 1.0, hops: [users, apigw, alb, app], url_path: /api/items, method: GET, request_size: 2KB, "
      "response_size: 4KB}}\n";
  const std::string plan = "tests/import/fixtures/secondary-cidr-vpc-link-plan.json";
  check_round_trip("scenarios/secondary-cidr-vpc-link.yaml",
                   seed_from_code("secondary-cidr-vpc-link", plan, "{terraform: secondary-cidr-vpc-link-plan.json}",
                                  {fill, fill + "      security_groups: {ecs-sg: {ingress: [{protocol: tcp, ports: 8080, group: alb-sg}]}}\n"}));
  // The API, its VPC link and JWT authorizer come from their own resources.
  const auto r = cli({"import", "terraform", plan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("    integration: alb\n    # aws_apigatewayv2_vpc_link.link\n    vpc_link: {subnets: [ecs-a, ecs-b], security_groups: [vpclink-sg]}\n") !=
        std::string::npos);
  CHECK(r.out.find("    authorizer: {type: jwt, user_pool: cognito}\n") != std::string::npos);
  // Every block of the VPC has its local route.
  CHECK(r.out.find("      - {destination: 10.0.0.0/16, local: true}\n"
                   "      # ASSUMPTION: the VPC's local route, which AWS adds to every table and Terraform does not list\n"
                   "      - {destination: 172.10.0.0/16, local: true}\n") != std::string::npos);
}

TEST_CASE("round trip: the CloudFront + RDS seed from its Terraform plan reviews and prices as the hand-written one") {
  const std::string components = "assets: {storage: 1GB}, images: {storage: 2GB}, app: {image: {size: 400MB}}";
  const std::string routes =
      "      routes: {assets: null, app: null,\n"
      "               static: {share: 0.6, hops: [users, cdn, assets], url_path: /static/app.css, method: GET, request_size: 1KB, response_size: 30KB},\n"
      "               dynamic: {share: 0.4, hops: [users, cdn, alb, app, db], url_path: /notes, method: GET, request_size: 1KB, response_size: 8KB}}\n";
  const std::string plan = "tests/import/fixtures/cloudfront-rds-plan.json";
  check_round_trip("scenarios/cloudfront-rds.yaml",
                   seed_from_code("cloudfront-rds", plan, "{terraform: cloudfront-rds-plan.json}",
                                  {"      components: {" + components + "}\n" + routes,
                                   "      zones: [eu-central-1a, eu-central-1b, eu-central-1c]\n"
                                   "      subnets: {private-db-d: {zone: eu-central-1a}, private-db-e: {zone: eu-central-1b}}\n"
                                   "      components: {" + components + ", db: {primary_zone: eu-central-1a}}\n" + routes}));
  const auto r = cli({"import", "terraform", plan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  // The distribution's origins come from its origin blocks' domain names; the task's secret from
  // its container definitions' references; the primary's zone from availability_zone.
  CHECK(r.out.find("      assets: {component: assets, access_control: oac}\n      alb: {component: alb, protocol: http-only}\n") != std::string::npos);
  CHECK(r.out.find("    secrets: [db-secret]\n") != std::string::npos);
  CHECK(r.out.find("    primary_zone: eu-central-1d\n") != std::string::npos);
}

TEST_CASE("validate template: a CloudFormation template, YAML or JSON, is reviewed directly as a plan is") {
  const auto yaml = cli({"validate", kApiCdnTemplate, "--parameter", "AWS::Region=eu-west-1", "--format", "json"});
  REQUIRE_MESSAGE(yaml.code != 2, yaml.err);
  const auto review = nlohmann::json::parse(yaml.out);
  REQUIRE(review["alternatives"].size() == 1);
  CHECK(review["alternatives"][0]["id"] == "template");
  bool named = false;
  for (const auto& f : review["alternatives"][0]["findings"]) {
    if (f["rule"] != "task-no-egress-path") continue;
    // A template in YAML has lines: the finding points at the service's place in it.
    CHECK(f["message"].get<std::string>().find("(resource Web)") != std::string::npos);
    CHECK(f["location"]["file"] == kApiCdnTemplate);
    CHECK(f["location"]["line"].get<int>() > 200);
    named = true;
  }
  CHECK(named);
  // CDK's JSON, its nested stack read from beside it.
  const auto json = cli({"validate", kCdk, "--parameter", "AWS::Region=us-east-1", "--format", "json"});
  REQUIRE_MESSAGE(json.code != 2, json.err);
  CHECK(json.out.find("task-no-egress-path") != std::string::npos);
  CHECK(json.out.find("(resource ApiService [Adr0005Stack/Service/Api/Service])") != std::string::npos);

  SUBCASE("the region is needed where the template asks for zones") {
    const auto r = cli({"validate", kCdk});
    CHECK(r.code == 2);
    CHECK(r.err.find("pass --parameter AWS::Region=<region>") != std::string::npos);
  }
  SUBCASE("--parameter is for a template only") {
    const auto s = cli({"validate", "scenarios/adr0005.yaml", "--parameter", "Env=prod"});
    CHECK(s.code == 2);
    CHECK(s.err.find("--parameter is for a CloudFormation template named directly") != std::string::npos);
    const auto p = cli({"validate", kAdrPlan, "--parameter", "Env=prod"});
    CHECK(p.code == 2);
    CHECK(p.err.find("--parameter is for CloudFormation templates; a Terraform plan has its variables' values") != std::string::npos);
    CHECK(cli({"validate", kApiCdnTemplate, "--parameter", "AWS::Region"}).code == 2);
  }
}

TEST_CASE("import: a table's class, Standard-IA carried, STANDARD (the default) left out, anything else left out with a warning") {
  const auto cfn = cli({"import", "cloudformation",
                        write("ia.yaml", "Resources:\n  Archive:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
                                         "      TableClass: STANDARD_INFREQUENT_ACCESS\n  Hot:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                                         "      TableClass: STANDARD\n  Odd:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableClass: GLACIER\n")});
  REQUIRE_MESSAGE(cfn.code == 0, cfn.err);
  CHECK(cfn.out.find("Archive: {type: dynamodb, billing_mode: on_demand, table_class: STANDARD_INFREQUENT_ACCESS}") != std::string::npos);
  CHECK(cfn.out.find("Hot: {type: dynamodb}") != std::string::npos);
  CHECK(cfn.out.find("Odd: {type: dynamodb}") != std::string::npos);
  CHECK(cfn.err.find("ia.yaml:14:19: components.Odd.table_class: warning: Odd: TableClass 'GLACIER' has no archsim equivalent; left out") !=
        std::string::npos);
  std::string plan = testing::read_file("tests/import/fixtures/state-data.json");
  const std::string pitr = "\"point_in_time_recovery\": [";
  REQUIRE(plan.find(pitr) != std::string::npos);
  plan.replace(plan.find(pitr), pitr.size(), "\"table_class\": \"STANDARD_INFREQUENT_ACCESS\",\n" + pitr);
  const auto tf = cli({"import", "terraform", write("ia-state.json", plan)});
  REQUIRE_MESSAGE(tf.code == 0, tf.err);
  CHECK(tf.out.find("  sessions:\n    type: dynamodb\n    billing_mode: provisioned\n    read_capacity: 5\n    write_capacity: 5\n"
                    "    table_class: STANDARD_INFREQUENT_ACCESS\n    point_in_time_recovery: true\n") != std::string::npos);
}

TEST_CASE("import cloudformation: a table's StreamSpecification turns its stream on, whatever the view type; an unknown one is left out, located") {
  const auto r = cli({"import", "cloudformation",
                      write("stream.yaml", "Resources:\n  Events:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
                                           "      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}\n")});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("Events: {type: dynamodb, billing_mode: on_demand, stream_enabled: true}") != std::string::npos);
  const auto bad = cli({"import", "cloudformation",
                        write("bad-stream.yaml", "Resources:\n  Events:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                                                 "      StreamSpecification: {StreamViewType: ALL}\n")});
  REQUIRE_MESSAGE(bad.code == 0, bad.err);
  CHECK(bad.err.find("bad-stream.yaml:5:45: components.Events.stream_enabled: warning: Events: StreamSpecification.StreamViewType 'ALL' "
                     "has no archsim equivalent; left out") != std::string::npos);
  CHECK(bad.out.find("stream_enabled") == std::string::npos);
}

TEST_CASE("import cloudformation: a nested stack's TemplateURL is followed to the file of that name beside the template") {
  std::filesystem::create_directories(test_dir() / "url");
  write("url/network.yaml",
        "Parameters:\n  Cidr: {Type: String}\n"
        "Resources:\n"
        "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Ref Cidr}}\n"
        "  SubnetA:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref Vpc, AvailabilityZone: eu-west-1a, CidrBlock: 10.9.0.0/24}\n"
        "Outputs:\n  SubnetId: {Value: !Ref SubnetA}\n  VpcId: {Value: !Ref Vpc}\n");
  const std::string parent = write("url/parent.yaml",
                                   "Resources:\n"
                                   "  Network:\n    Type: AWS::CloudFormation::Stack\n"
                                   "    Properties:\n"
                                   "      TemplateURL: !Sub \"https://${AWS::AccountId}-templates.s3.amazonaws.com/network.yaml\"\n"
                                   "      Parameters: {Cidr: 10.9.0.0/16}\n"
                                   "  Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 14}}\n"
                                   "  Db:\n    Type: AWS::RDS::DBInstance\n"
                                   "    Properties: {Engine: postgres, DBInstanceClass: db.t4g.micro, DBSubnetGroupName: !Ref Subnets}\n"
                                   "  Subnets:\n    Type: AWS::RDS::DBSubnetGroup\n"
                                   "    Properties: {DBSubnetGroupDescription: db, SubnetIds: [!GetAtt Network.Outputs.SubnetId]}\n");
  const auto r = cli({"import", "cloudformation", parent});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("  Network.Vpc: {cidr: 10.9.0.0/16}\n") != std::string::npos);
  CHECK(r.out.find("subnets: [Network.SubnetA]") != std::string::npos);
  CHECK(r.out.find("#   AWS::CloudFormation::Stack x1: a nested stack: its template is imported with it") != std::string::npos);

  SUBCASE("no such file beside it: the nested stack is left out, and said so") {
    std::string text = testing::read_file(parent);
    text = replace_all(text, "network.yaml", "other.yaml");
    text = replace_all(text, "DBSubnetGroupName: !Ref Subnets", "DBSubnetGroupName: shared");
    text = replace_all(text, "SubnetIds: [!GetAtt Network.Outputs.SubnetId]", "SubnetIds: [subnet-1]");
    const auto missing = cli({"import", "cloudformation", write("url/missing.yaml", text)});
    CHECK(missing.err.find("nested stack Network: neither aws:asset:path metadata nor its TemplateURL's file name names a template next to this one") !=
          std::string::npos);
    CHECK(missing.out.find("#   AWS::CloudFormation::Stack (template not found locally) x1") != std::string::npos);
  }
}

TEST_CASE("round trip: the Free Tier seed from its Terraform plan reviews and prices as the hand-written one") {
  // What Terraform cannot know: stored bytes, the image's size, Parameter Store (its parameters
  // are not modelled one by one, so the import skips them) and the request route.
  const std::string others = "images: {storage: 500MB}, params: {type: parameter_store, tier: standard, parameters: 10}";
  const std::string known = "table: {storage: 1GB}, " + others;
  const std::string app = "app: {image: {size: 300MB}, secrets: [params]";
  const std::string route = "url_path: /api/items, method: GET, request_size: 1KB, response_size: 4KB";
  const std::string routes = "      routes: {app: null, main: {share: 1.0, hops: [users, alb, app, table], " + route + "}}\n";
  const std::string second_subnet =
      "      zones: [us-east-1a, us-east-1b]\n"
      "      subnets: {public-b: {vpc: main, zone: us-east-1b, cidr: 10.0.2.0/24, public: true, route_table: public}}\n";
  const std::string plan = "tests/import/fixtures/free-tier-single-az-plan.json";
  check_round_trip(
      "scenarios/free-tier-single-az.yaml",
      seed_from_code(
          "free-tier-single-az", plan, "{terraform: free-tier-single-az-plan.json}",
          {"      components: {" + known + ", " + app + "}}\n" + routes,
           "      components: {" + others + ", " + app + "}, table: {storage: 1GB, billing_mode: provisioned, read_capacity: 25, write_capacity: 25}}\n" +
               routes,
           "      components: {" + known + ", " + app + ", assign_public_ip: false}}\n" + routes,
           second_subnet + "      components: {" + known + ", " + app + "}, alb: {subnets: [public, public-b]}}\n" + routes,
           second_subnet +
               "      security_groups: {rds-sg: {vpc: main, ingress: [{protocol: tcp, ports: 5432, group: ecs-sg}]}}\n"
               "      components:\n"
               "        images: {storage: 500MB}\n"
               "        params: {type: parameter_store, tier: standard, parameters: 10}\n"
               "        alb: {subnets: [public, public-b]}\n"
               "        " + app + ", subnets: [public, public-b], desired_count: 2, min_count: 2, max_count: 4, autoscaling: {scheduled: null}}\n"
               "        table: null\n"
               "        db: {type: rds, engine: postgres, instance_class: db.t4g.micro, multi_az: true, subnets: [public, public-b], "
               "security_groups: [rds-sg], storage: 20GB, publicly_accessible: false}\n"
               "      routes: {app: null, main: {share: 1.0, hops: [users, alb, app, db], " + route + "}}\n",
           "      security_groups: {alb-sg: null, ecs-sg: null}\n"
               "      components:\n"
               "        table: {storage: 1GB}\n"
               "        params: {type: parameter_store, tier: standard, parameters: 10}\n"
               "        alb: null\n        app: null\n        images: null\n"
               "        apigw: {type: api_gateway, api_type: http, endpoint: regional, integration: fn}\n"
               "        fn: {type: lambda, memory: 512MiB, architecture: x86_64, timeout: 10s}\n"
               "      routes: {app: null, main: {share: 1.0, hops: [users, apigw, fn, table], " + route + "}}\n"}));
  // The scheduled actions and the target tracking policy of the plan are the service's autoscaling.
  const auto r = cli({"import", "terraform", plan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("        off-hours: {schedule: \"cron(0 20 ? * * *)\", min_capacity: 0, max_capacity: 0}\n") != std::string::npos);
  CHECK(r.out.find("#   aws_ssm_parameter x1: SSM parameters: not modelled per parameter\n") != std::string::npos);
}

TEST_CASE("import: a CodeDeploy group's enabled alarms are the service's rollback alarm") {
  SUBCASE("terraform: a response-time alarm of the file is read; one of another stack is assumed") {
    auto plan = nlohmann::json::parse(testing::read_file("tests/import/fixtures/krakend-blue-green-plan.json"));
    auto& planned = plan["planned_values"]["root_module"]["resources"];
    auto& config = plan["configuration"]["root_module"]["resources"];
    planned.push_back({{"address", "aws_cloudwatch_metric_alarm.krakend-latency"}, {"mode", "managed"}, {"type", "aws_cloudwatch_metric_alarm"},
                       {"name", "krakend-latency"},
                       {"values", {{"alarm_name", "krakend-latency"}, {"namespace", "AWS/ApplicationELB"}, {"metric_name", "TargetResponseTime"},
                                   {"comparison_operator", "GreaterThanThreshold"}, {"threshold", 0.8}, {"evaluation_periods", 5},
                                   {"datapoints_to_alarm", 2}, {"period", 60}}}});
    for (auto& r : planned) {
      if (r["address"] == "aws_codedeploy_deployment_group.krakend") {
        r["values"]["alarm_configuration"] = {{{"alarms", {"krakend-latency"}}, {"enabled", true}}};
      } else if (r["address"] == "aws_codedeploy_deployment_group.frontend") {
        r["values"]["alarm_configuration"] = {{{"alarms", {"frontend-5xx"}}, {"enabled", true}}};
      }
    }
    for (auto& r : config) {
      if (r["address"] == "aws_codedeploy_deployment_group.krakend") {
        r["expressions"]["alarm_configuration"] = {
            {{"alarms", {{"references", {"aws_cloudwatch_metric_alarm.krakend-latency.alarm_name", "aws_cloudwatch_metric_alarm.krakend-latency"}}}},
             {"enabled", {{"constant_value", true}}}}};
      }
    }
    const auto r = cli({"import", "terraform", write("alarm-plan.json", plan.dump(1))});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("alarm: {response_time: 800ms, datapoints: 2}") != std::string::npos);
    // The frontend's alarm is named only: the seeds' error share, said as an assumption.
    CHECK(r.out.find("alarm: {error_rate: 0.01, datapoints: 3}") != std::string::npos);
    CHECK(r.out.find("# ASSUMPTION: aws_codedeploy_deployment_group.frontend (an alarm not in the file): the rollback alarm's metric") !=
          std::string::npos);
    CHECK(r.err.find("alarms 'frontend-5xx' names nothing in the file") != std::string::npos);
    // Disabled, the alarms are not the deployment's.
    const auto off = cli({"import", "terraform", write("alarm-off-plan.json", replace_all(plan.dump(1), "\"enabled\": true", "\"enabled\": false"))});
    REQUIRE_MESSAGE(off.code == 0, off.err);
    CHECK(off.out.find("alarm: {") == std::string::npos);
  }
  SUBCASE("cloudformation: AlarmConfiguration names the alarm by Ref") {
    std::string t = testing::read_file("tests/import/fixtures/api-cdn-aurora.yaml");
    const std::string rollback = "      AutoRollbackConfiguration: {Enabled: true, Events: [DEPLOYMENT_FAILURE]}\n";
    REQUIRE(t.find(rollback) != std::string::npos);
    t = replace_all(t, rollback, rollback + "      AlarmConfiguration: {Enabled: true, Alarms: [{Name: !Ref WebLatency}]}\n");
    const std::string scaling = "  WebScaling:\n";
    REQUIRE(t.find(scaling) != std::string::npos);
    t = replace_all(t, scaling,
                    "  WebLatency:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/ApplicationELB\n"
                    "      MetricName: TargetResponseTime\n      ComparisonOperator: GreaterThanThreshold\n      Threshold: 0.5\n"
                    "      EvaluationPeriods: 4\n      Period: 60\n      Statistic: Average\n" + scaling);
    const auto r = cli({"import", "cloudformation", write("alarm-template.yaml", t), "--parameter", "AWS::Region=eu-west-1"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("alarm: {response_time: 500ms, datapoints: 4}") != std::string::npos);
    CHECK(r.err.find("the rollback alarm's metric or threshold") == std::string::npos);
  }
}

TEST_CASE("round trip: the KrakenD blue/green seed from its Terraform plan reviews and prices as the hand-written one") {
  // What Terraform cannot know: that the gateway service runs KrakenD (its endpoints), image
  // sizes and stored bytes, the secrets' count, the deployments' alarms, the backends' service
  // discovery port, and the request routes (from the scenario's `internet` users).
  const std::string alarm = "deployment: {alarm: {error_rate: 0.01, datapoints: 3}}";
  const std::string backend = "{container_port: 8000, service_discovery: true, image: {size: 400MB}}";
  const std::string components =
      "      components:\n"
      "        users: null\n"
      "        internet: {type: internet_users}\n"
      "        app-secrets: {secrets: 4}\n"
      "        frontend-images: {storage: 2GB}\n        auth-images: {storage: 2GB}\n        users-images: {storage: 2GB}\n"
      "        billing-images: {storage: 2GB}\n"
      "        krakend: {type: krakend, image: {repository: docker.io/devopsfaith/krakend, size: 80MB}, " + alarm + ",\n"
      "                  endpoints: [{url_pattern: \"/auth/*\", method: POST, backends: [auth]}, {url_pattern: \"/users/*\", method: GET, backends: [users-svc]},\n"
      "                              {url_pattern: \"/billing/*\", method: GET, backends: [billing]}]}\n"
      "        frontend: {image: {size: 400MB}, " + alarm + "}\n"
      "        auth: " + backend + "\n        users-svc: " + backend + "\n        billing: " + backend + "\n";
  const std::string routes =
      "      routes:\n"
      "        krakend: null\n        frontend: null\n"
      "        web: {share: 0.5, hops: [internet, frontend-alb, frontend], url_path: /, method: GET, request_size: 1KB, response_size: 60KB}\n"
      "        auth: {share: 0.1, hops: [internet, backend-alb, krakend, auth], url_path: /auth/login, method: POST, request_size: 1KB, response_size: 2KB}\n"
      "        users: {share: 0.25, hops: [internet, backend-alb, krakend, users-svc], url_path: /users/me, method: GET, request_size: 1KB, "
      "response_size: 4KB}\n"
      "        billing: {share: 0.15, hops: [internet, backend-alb, krakend, billing], url_path: /billing/invoices, method: GET, request_size: 1KB, "
      "response_size: 8KB}\n";
  const std::string nat =
      "      route_tables:\n"
      "        private-a: {vpc: main, routes: [{destination: 10.0.0.0/16, local: true}, {destination: 0.0.0.0/0, nat_gateway: nat-a}]}\n"
      "        private-b: {vpc: main, routes: [{destination: 10.0.0.0/16, local: true}, {destination: 0.0.0.0/0, nat_gateway: nat-b}]}\n"
      "      subnets: {private-a: {route_table: private-a}, private-b: {route_table: private-b}}\n";
  const std::string plan = "tests/import/fixtures/krakend-blue-green-plan.json";
  check_round_trip("scenarios/krakend-blue-green.yaml",
                   seed_from_code("krakend-blue-green", plan, "{terraform: krakend-blue-green-plan.json}",
                                  {components + routes,
                                   nat + components + "        nat-a: {type: nat_gateway, subnet: public-a}\n        nat-b: {type: nat_gateway, subnet: public-b}\n" +
                                       routes}));
  // Each CodeDeploy group puts its green target group beside the blue one the listener names.
  const auto r = cli({"import", "terraform", plan});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("        load_balancer: backend-alb\n        target_groups: [krakend-blue, krakend-green]\n") != std::string::npos);
  CHECK(r.out.find("      krakend-green:\n        protocol: HTTP\n        port: 8000\n        target_type: ip\n        targets: krakend\n") != std::string::npos);
}

TEST_CASE("import cloudformation: a service's CapacityProviderStrategy is its capacity_provider_strategy; EC2 capacity is refused, located") {
  const std::string head =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
      "  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}\n"
      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512'}}\n"
      "  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: !Ref Task\n      DesiredCount: 4\n"
      "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref SubnetA]}}\n";
  const auto r = cli({"import", "cloudformation",
                      write("spot.yaml", head + "      CapacityProviderStrategy:\n        - {CapacityProvider: FARGATE, Base: 1, Weight: 0}\n"
                                                "        - {CapacityProvider: FARGATE_SPOT, Weight: 3}\n")});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CAPTURE(r.out);
  CHECK(r.out.find("capacity_provider_strategy") != std::string::npos);
  CHECK(r.out.find("{capacity_provider: FARGATE, base: 1}") != std::string::npos);
  CHECK(r.out.find("{capacity_provider: FARGATE_SPOT, weight: 3}") != std::string::npos);
  const auto ec2 = cli({"import", "cloudformation", write("ec2.yaml", head + "      LaunchType: EC2\n")});
  CHECK(ec2.code == 2);
  CHECK(ec2.err.find("ec2.yaml:11:") != std::string::npos);
  CHECK(ec2.err.find("launch type EC2 runs on EC2 capacity; archsim models ECS services on Fargate only") != std::string::npos);
  const auto asg = cli({"import", "cloudformation",
                        write("asg.yaml", head + "      CapacityProviderStrategy:\n        - {CapacityProvider: my-asg-provider, Weight: 1}\n")});
  CHECK(asg.code == 2);
  CHECK(asg.err.find("capacity provider my-asg-provider is EC2 capacity") != std::string::npos);
}

TEST_CASE("import terraform: capacity_provider_strategy blocks are the service's strategy; launch_type EC2 is refused, located") {
  const std::string plan = testing::read_file(kAdrPlan);
  const std::string fargate = "\"launch_type\": \"FARGATE\",";
  const std::string mixed = replace_all(plan, fargate,
                                        "\"capacity_provider_strategy\": [{\"base\": 1, \"capacity_provider\": \"FARGATE\", \"weight\": 0}, "
                                        "{\"base\": 0, \"capacity_provider\": \"FARGATE_SPOT\", \"weight\": 2}],");
  std::string ec2 = plan;
  const auto r = cli({"import", "terraform", write("mixed-plan.json", mixed)});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("{capacity_provider: FARGATE, base: 1}") != std::string::npos);
  CHECK(r.out.find("{capacity_provider: FARGATE_SPOT, weight: 2}") != std::string::npos);
  ec2.replace(ec2.find(fargate), fargate.size(), "\"launch_type\": \"EC2\",");
  const auto refused = cli({"import", "terraform", write("ec2-plan.json", ec2)});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("ec2-plan.json:") != std::string::npos);
  CHECK(refused.err.find("aws_ecs_service.api: launch type EC2 runs on EC2 capacity") != std::string::npos);
}

TEST_CASE("import: a value archsim refuses (a strategy weight of -1) is an error at its place in the plan, exit 2, and nothing is written") {
  const std::string plan = replace_all(testing::read_file(kAdrPlan), "\"launch_type\": \"FARGATE\",",
                                       "\"capacity_provider_strategy\": [{\"base\": 0, \"capacity_provider\": \"FARGATE_SPOT\", \"weight\": -1}],");
  const std::string file = write("negative-weight-plan.json", plan);
  const auto out = std::filesystem::path(file).parent_path() / "negative-weight.yaml";
  std::filesystem::remove(out);
  const auto r = cli({"import", "terraform", file, "-o", out.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("negative-weight-plan.json:") != std::string::npos);
  CHECK(r.err.find("capacity_provider_strategy[0].weight: error: expected a capacity provider weight from 0 to 1000, found -1") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  // validate reads the plan the same way and says the same.
  const auto v = cli({"validate", file});
  CHECK(v.code == 2);
  CHECK(v.err.find("expected a capacity provider weight from 0 to 1000, found -1") != std::string::npos);
}

TEST_CASE("import: a service with neither a strategy nor a launch type runs on its cluster's default capacity provider strategy") {
  // CloudFormation: the cluster's DefaultCapacityProviderStrategy; a launch type of FARGATE keeps
  // the service off it.
  const std::string cfn =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
      "  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}\n"
      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512'}}\n"
      "  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      CapacityProviders: [FARGATE, FARGATE_SPOT]\n"
      "      DefaultCapacityProviderStrategy:\n        - {CapacityProvider: FARGATE_SPOT, Weight: 1}\n"
      "  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref Cluster\n      TaskDefinition: !Ref Task\n"
      "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref SubnetA]}}\n";
  const auto r = cli({"import", "cloudformation", write("cluster-default.yaml", cfn)});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CAPTURE(r.out);
  CHECK(r.out.find("{capacity_provider: FARGATE_SPOT, weight: 1}") != std::string::npos);
  CHECK(r.out.find("the default strategy of Cluster") != std::string::npos);
  const auto fargate = cli({"import", "cloudformation", write("launch-type.yaml", cfn + "      LaunchType: FARGATE\n")});
  REQUIRE_MESSAGE(fargate.code == 0, fargate.err);
  CHECK(fargate.out.find("capacity_provider_strategy") == std::string::npos);

  // Terraform: the aws_ecs_cluster_capacity_providers that names the service's cluster.
  auto plan = nlohmann::json::parse(testing::read_file(kAdrPlan));
  for (auto& res : plan["planned_values"]["root_module"]["resources"]) {
    if (res["type"] == "aws_ecs_service") res["values"].erase("launch_type");
  }
  plan["planned_values"]["root_module"]["resources"].push_back(nlohmann::json::parse(R"({
    "address": "aws_ecs_cluster_capacity_providers.main", "mode": "managed", "type": "aws_ecs_cluster_capacity_providers",
    "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "sensitive_values": {},
    "values": {"cluster_name": "adr0005", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
               "default_capacity_provider_strategy": [{"base": 1, "capacity_provider": "FARGATE", "weight": 0},
                                                      {"base": 0, "capacity_provider": "FARGATE_SPOT", "weight": 1}]}})"));
  plan["configuration"]["root_module"]["resources"].push_back(nlohmann::json::parse(R"({
    "address": "aws_ecs_cluster_capacity_providers.main", "mode": "managed", "type": "aws_ecs_cluster_capacity_providers",
    "name": "main", "provider_config_key": "aws", "schema_version": 0,
    "expressions": {"cluster_name": {"references": ["aws_ecs_cluster.main.name", "aws_ecs_cluster.main"]}}})"));
  const auto tf = cli({"import", "terraform", write("cluster-default-plan.json", plan.dump(2))});
  REQUIRE_MESSAGE(tf.code == 0, tf.err);
  CHECK(tf.out.find("{capacity_provider: FARGATE, base: 1}") != std::string::npos);
  CHECK(tf.out.find("{capacity_provider: FARGATE_SPOT, weight: 1}") != std::string::npos);
  CHECK(tf.out.find("the default strategy of aws_ecs_cluster_capacity_providers.main") != std::string::npos);
}

namespace {

/// The ADR-0005 plan with its service's launch type taken out, and `edit` applied to it.
std::string adr_plan_without_launch_type(const std::function<void(nlohmann::json&)>& edit) {
  auto plan = nlohmann::json::parse(testing::read_file(kAdrPlan));
  for (auto& res : plan["planned_values"]["root_module"]["resources"]) {
    if (res["type"] == "aws_ecs_service") res["values"].erase("launch_type");
  }
  edit(plan);
  return plan.dump(2);
}

nlohmann::json& resource(nlohmann::json& plan, const std::string& address) {
  for (auto& res : plan["planned_values"]["root_module"]["resources"]) {
    if (res["address"] == address) return res;
  }
  FAIL("no " << address << " in the plan");
  throw std::logic_error("unreachable");
}

const char* const kAssociation = R"({
  "address": "aws_ecs_cluster_capacity_providers.main", "mode": "managed", "type": "aws_ecs_cluster_capacity_providers",
  "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "sensitive_values": {},
  "values": {"cluster_name": "adr0005", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
             "default_capacity_provider_strategy": [{"base": 0, "capacity_provider": "FARGATE_SPOT", "weight": 1}]}})";

}  // namespace

TEST_CASE("import terraform: where a service with neither a launch type nor a strategy runs is what ECS would decide, or an error") {
  // Its cluster is in the plan with no default strategy: ECS runs it on the EC2 launch type.
  const auto ec2 = cli({"import", "terraform", write("no-default-plan.json", adr_plan_without_launch_type([](nlohmann::json&) {}))});
  CHECK(ec2.code == 2);
  CHECK(ec2.err.find("no-default-plan.json:") != std::string::npos);
  CHECK(ec2.err.find("aws_ecs_service.api: sets neither a launch type nor a capacity provider strategy, and its cluster aws_ecs_cluster.main "
                     "has no default strategy in the file, so ECS runs it on the EC2 launch type") != std::string::npos);

  // The association names the cluster by its name, a literal rather than a reference.
  const auto literal = cli({"import", "terraform", write("literal-cluster-plan.json", adr_plan_without_launch_type([](nlohmann::json& plan) {
                                                      plan["planned_values"]["root_module"]["resources"].push_back(nlohmann::json::parse(kAssociation));
                                                    }))});
  REQUIRE_MESSAGE(literal.code == 0, literal.err);
  CHECK(literal.out.find("{capacity_provider: FARGATE_SPOT, weight: 1}") != std::string::npos);
  CHECK(literal.out.find("the default strategy of aws_ecs_cluster_capacity_providers.main") != std::string::npos);
  CHECK(literal.err.find("names nothing in the file") == std::string::npos);

  // Providers up to v4 wrote the default on the cluster itself.
  const auto v4_default = [](nlohmann::json& plan) {
    resource(plan, "aws_ecs_cluster.main")["values"]["default_capacity_provider_strategy"] =
        nlohmann::json::parse(R"([{"base": 1, "capacity_provider": "FARGATE", "weight": 1}])");
  };
  const auto v4 = cli({"import", "terraform", write("v4-cluster-plan.json", adr_plan_without_launch_type(v4_default))});
  REQUIRE_MESSAGE(v4.code == 0, v4.err);
  CHECK(v4.out.find("{capacity_provider: FARGATE, base: 1, weight: 1}") != std::string::npos);
  CHECK(v4.out.find("the default strategy of aws_ecs_cluster.main") != std::string::npos);

  // Both: one cluster, two defaults, and which ECS keeps depends on the order of apply.
  const auto both = cli({"import", "terraform", write("two-defaults-plan.json", adr_plan_without_launch_type([&](nlohmann::json& plan) {
                                                   v4_default(plan);
                                                   plan["planned_values"]["root_module"]["resources"].push_back(nlohmann::json::parse(kAssociation));
                                                 }))});
  CHECK(both.code == 2);
  CHECK(both.err.find("cluster aws_ecs_cluster.main gets a default capacity provider strategy from both aws_ecs_cluster.main and "
                      "aws_ecs_cluster_capacity_providers.main") != std::string::npos);

  // Not a list: a string is an error, never "no strategy".
  const auto text = cli({"import", "terraform", write("string-strategy-plan.json", adr_plan_without_launch_type([](nlohmann::json& plan) {
                                                   resource(plan, "aws_ecs_service.api")["values"]["capacity_provider_strategy"] = "FARGATE_SPOT";
                                                 }))});
  CHECK(text.code == 2);
  CHECK(text.err.find("aws_ecs_service.api: capacity_provider_strategy is 'FARGATE_SPOT'; expected a list of capacity provider strategy blocks") !=
        std::string::npos);

  // A weight known only after apply decides the split: refused, not taken as 0.
  const auto unknown = cli({"import", "terraform", write("unknown-weight-plan.json", adr_plan_without_launch_type([](nlohmann::json& plan) {
                                                      resource(plan, "aws_ecs_service.api")["values"]["capacity_provider_strategy"] =
                                                          nlohmann::json::parse(R"([{"base": 0, "capacity_provider": "FARGATE_SPOT"}])");
                                                      for (auto& rc : plan["resource_changes"]) {
                                                        if (rc["address"] == "aws_ecs_service.api") {
                                                          rc["change"]["after_unknown"]["capacity_provider_strategy"] =
                                                              nlohmann::json::parse(R"([{"weight": true}])");
                                                        }
                                                      }
                                                    }))});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("the weight of capacity provider FARGATE_SPOT is not known until apply") != std::string::npos);

  // A launch type and a strategy: ECS refuses the pair.
  auto pair = nlohmann::json::parse(testing::read_file(kAdrPlan));
  resource(pair, "aws_ecs_service.api")["values"]["capacity_provider_strategy"] =
      nlohmann::json::parse(R"([{"base": 0, "capacity_provider": "FARGATE_SPOT", "weight": 1}])");
  const auto both_set = cli({"import", "terraform", write("launch-type-and-strategy-plan.json", pair.dump(2))});
  CHECK(both_set.code == 2);
  CHECK(both_set.err.find("aws_ecs_service.api: sets both launch type FARGATE and a capacity provider strategy; ECS refuses") != std::string::npos);
}

TEST_CASE("import cloudformation: a cluster named by its ClusterName, and a service whose cluster is not in the template") {
  const std::string head =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
      "  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}\n"
      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512'}}\n";
  const std::string service =
      "  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: !Ref Task\n"
      "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref SubnetA]}}\n";
  const std::string cluster =
      "  Cluster: {Type: AWS::ECS::Cluster, Properties: {ClusterName: shop}}\n"
      "  Providers:\n    Type: AWS::ECS::ClusterCapacityProviderAssociations\n    Properties:\n      Cluster: shop\n"
      "      CapacityProviders: [FARGATE_SPOT]\n      DefaultCapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT, Weight: 2}]\n";
  const auto named = cli({"import", "cloudformation", write("cluster-name.yaml", head + cluster + service + "      Cluster: shop\n")});
  REQUIRE_MESSAGE(named.code == 0, named.err);
  CHECK(named.out.find("{capacity_provider: FARGATE_SPOT, weight: 2}") != std::string::npos);
  CHECK(named.out.find("the default strategy of Providers") != std::string::npos);

  // No Cluster: the account's default cluster, whose default strategy the template cannot say.
  const auto elsewhere = cli({"import", "cloudformation", write("no-cluster.yaml", head + service)});
  REQUIRE_MESSAGE(elsewhere.code == 0, elsewhere.err);
  CHECK(elsewhere.out.find("# ASSUMPTION: Api sets neither a launch type nor a capacity provider strategy, and its cluster is not in the file") !=
        std::string::npos);
  CHECK(elsewhere.out.find("capacity_provider_strategy:") == std::string::npos);

  const auto text = cli({"import", "cloudformation", write("string-strategy.yaml", head + service + "      CapacityProviderStrategy: FARGATE\n")});
  CHECK(text.code == 2);
  CHECK(text.err.find("string-strategy.yaml:10:") != std::string::npos);
  CHECK(text.err.find("CapacityProviderStrategy is 'FARGATE'; expected a list") != std::string::npos);
}

TEST_CASE("import: a value written as a list where one is expected is an error, and one known only after apply is an assumption") {
  const auto list = cli({"import", "cloudformation",
                         write("class-list.yaml", "Resources:\n  Archive:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                                                  "      TableClass: [STANDARD_INFREQUENT_ACCESS]\n")});
  CHECK(list.code == 2);
  CHECK(list.err.find("class-list.yaml:5:19: components.Archive.table_class: error: Archive: TableClass is a list; expected a single value") !=
        std::string::npos);

  // allocated_storage from a reference to what apply creates: the default stands in, said in
  // the file and on stderr.
  auto plan = nlohmann::json::parse(testing::read_file("tests/import/fixtures/cloudfront-rds-plan.json"));
  std::string address;
  for (auto& res : plan["planned_values"]["root_module"]["resources"]) {
    if (res["type"] == "aws_db_instance") {
      res["values"].erase("allocated_storage");
      address = res["address"];
    }
  }
  for (auto& rc : plan["resource_changes"]) {
    if (rc["address"] == address) rc["change"]["after_unknown"]["allocated_storage"] = true;
  }
  for (auto& res : plan["configuration"]["root_module"]["resources"]) {
    if (res["address"] == address) res["expressions"]["allocated_storage"] = {{"references", {"random_integer.size.result", "random_integer.size"}}};
  }
  const auto r = cli({"import", "terraform", write("unknown-storage-plan.json", plan.dump(2))});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const std::string note = address + ": allocated_storage is known only after apply; archsim's default";
  CHECK(r.out.find("# ASSUMPTION: " + note) != std::string::npos);
  CHECK(r.err.find("warning: assumed: " + note) != std::string::npos);
}

TEST_CASE("import terraform: a table's replica blocks are its replicas, each by its region_name; one without it is an error") {
  std::string state = testing::read_file("tests/import/fixtures/state-data.json");
  const std::string pitr = "\"point_in_time_recovery\": [";
  REQUIRE(state.find(pitr) != std::string::npos);
  const auto with = [&](const std::string& replicas) {
    std::string text = state;
    text.replace(text.find(pitr), pitr.size(), "\"replica\": " + replicas + ",\n" + pitr);
    return text;
  };
  const auto r = cli({"import", "terraform",
                      write("replica-state.json", with(R"([{"region_name": "us-west-2", "kms_key_arn": ""}, {"region_name": "us-east-1"}])"))});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("    replicas: [us-west-2, us-east-1]\n") != std::string::npos);
  const auto bad = cli({"import", "terraform", write("replica-no-region-state.json", with(R"([{"kms_key_arn": ""}])"))});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("components.sessions.replicas: error: aws_dynamodb_table.sessions: region_name of replica[0] is not set; archsim needs it") !=
        std::string::npos);
  // A replica in the table's own Region (the state's is eu-west-1) is what the topology refuses,
  // located in the state.
  const auto own = cli({"import", "terraform", write("replica-own-state.json", with(R"([{"region_name": "eu-west-1"}])"))});
  CHECK(own.code == 2);
  CHECK(own.err.find("replica-own-state.json:") != std::string::npos);
  CHECK(own.err.find("expected a Region other than the table's own") != std::string::npos);
  // The file written is a topology: its errors' paths start there, not in the scenario the
  // check wraps it in.
  CHECK(own.err.find(": components.sessions.replicas[0]: error:") != std::string::npos);
  CHECK(own.err.find("alternatives.plan.topology") == std::string::npos);

  // 300 errors print as the first 200 and one line counting the rest.
  std::string many = "[";
  for (int i = 0; i < 301; ++i) many += std::string(i ? ", " : "") + R"({"region_name": "us-west-2"})";
  const auto spam = cli({"import", "terraform", write("replica-300-state.json", with(many + "]"))});
  CHECK(spam.code == 2);
  std::size_t shown = 0;
  for (std::size_t at = 0; (at = spam.err.find(": error: ", at)) != std::string::npos; ++at) ++shown;
  CHECK(shown == 200);
  CHECK(spam.err.find("archsim: 100 more not shown, 100 of them errors: only the first 200 are printed\n") != std::string::npos);
}

TEST_CASE("import terraform: a desired count outside the scaling range starts at the nearest bound, as Application Auto Scaling moves it") {
  auto plan = nlohmann::json::parse(testing::read_file(kAdrPlan));
  resource(plan, "aws_ecs_service.api")["values"]["desired_count"] = 40;
  const auto r = cli({"import", "terraform", write("desired-above-plan.json", plan.dump(2))});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto max = resource(plan, "aws_appautoscaling_target.api")["values"]["max_capacity"].get<int>();
  CHECK(r.out.find(fmt::format("desired_count: {}\n", max)) != std::string::npos);
  CHECK(r.err.find(fmt::format("desired count 40 is outside its scaling range (2 to {}); Application Auto Scaling moves it to {}", max, max)) !=
        std::string::npos);
}

TEST_CASE("import terraform: launch types and clusters written in shapes ECS does not take are errors at their place") {
  const auto refused = [](const std::string& name, const std::function<void(nlohmann::json&)>& edit, const std::string& expected) {
    const auto r = cli({"import", "terraform", write(name, adr_plan_without_launch_type(edit))});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(name + ":") != std::string::npos);
    CHECK(r.err.find(expected) != std::string::npos);
  };
  refused("launch-list-plan.json", [](nlohmann::json& plan) { resource(plan, "aws_ecs_service.api")["values"]["launch_type"] = {"EC2"}; },
          "aws_ecs_service.api: launch_type is a list; expected one launch type (FARGATE)");
  refused("launch-word-plan.json", [](nlohmann::json& plan) { resource(plan, "aws_ecs_service.api")["values"]["launch_type"] = "FARGATE_SPOT"; },
          "aws_ecs_service.api: launch type 'FARGATE_SPOT' is not one ECS has (EC2, FARGATE, EXTERNAL)");
  refused("provider-list-plan.json",
          [](nlohmann::json& plan) {
            resource(plan, "aws_ecs_service.api")["values"]["capacity_provider_strategy"] =
                nlohmann::json::parse(R"([{"capacity_provider": ["FARGATE_SPOT"], "weight": 1}])");
          },
          "capacity provider 0 of its strategy is a list; expected FARGATE or FARGATE_SPOT");
  // A default in a shape ECS does not take is refused where it is written, not taken for none.
  refused("default-string-plan.json",
          [](nlohmann::json& plan) { resource(plan, "aws_ecs_cluster.main")["values"]["default_capacity_provider_strategy"] = "FARGATE_SPOT"; },
          "aws_ecs_cluster.main: default_capacity_provider_strategy is 'FARGATE_SPOT'; expected a list of capacity provider strategy blocks");
  // Two clusters of one name: which one a name means is not for archsim to pick.
  refused("two-clusters-plan.json",
          [](nlohmann::json& plan) {
            auto twin = resource(plan, "aws_ecs_cluster.main");
            twin["address"] = "aws_ecs_cluster.twin";
            twin["name"] = "twin";
            plan["planned_values"]["root_module"]["resources"].push_back(twin);
            plan["planned_values"]["root_module"]["resources"].push_back(nlohmann::json::parse(kAssociation));
          },
          "the cluster of aws_ecs_cluster_capacity_providers.main names 2 clusters of the file (aws_ecs_cluster.main, aws_ecs_cluster.twin)");
  // A launch type written as an expression Terraform knows only after apply.
  refused("launch-unknown-plan.json",
          [](nlohmann::json& plan) {
            for (auto& rc : plan["resource_changes"]) {
              if (rc["address"] == "aws_ecs_service.api") rc["change"]["after_unknown"]["launch_type"] = true;
            }
            for (auto& res : plan["configuration"]["root_module"]["resources"]) {
              if (res["address"] == "aws_ecs_service.api") res["expressions"]["launch_type"] = {{"references", {"var.launch_type"}}};
            }
          },
          "aws_ecs_service.api: its launch type is known only after apply");
  refused("cluster-list-plan.json", [](nlohmann::json& plan) { resource(plan, "aws_ecs_service.api")["values"]["cluster"] = {"adr0005"}; },
          "aws_ecs_service.api: cluster is a list; expected one cluster's name or ARN");
  // A default for a cluster named only after apply may be this cluster's: not taken for none.
  refused("association-unknown-cluster-plan.json",
          [](nlohmann::json& plan) {
            auto association = nlohmann::json::parse(kAssociation);
            association["values"].erase("cluster_name");
            plan["planned_values"]["root_module"]["resources"].push_back(association);
            plan["resource_changes"].push_back({{"address", "aws_ecs_cluster_capacity_providers.main"},
                                                {"change", {{"after_unknown", {{"cluster_name", true}}}}}});
          },
          "aws_ecs_service.api: aws_ecs_cluster_capacity_providers.main gives a default capacity provider strategy to a cluster known only after "
          "apply; archsim cannot tell whether it is the default of aws_ecs_cluster.main");
}

TEST_CASE("import cloudformation: a cluster by ARN of another Region is not the file's; no Cluster is the cluster named default") {
  const std::string head =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
      "  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}\n"
      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512'}}\n";
  const auto cluster = [](const std::string& name) {
    return "  Cluster:\n    Type: AWS::ECS::Cluster\n    Properties:\n      ClusterName: " + name +
           "\n      DefaultCapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT, Weight: 1}]\n";
  };
  const std::string service =
      "  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: !Ref Task\n"
      "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref SubnetA]}}\n";
  const auto here = cli({"import", "cloudformation", write("arn-here.yaml", head + cluster("shop") + service +
                                                                              "      Cluster: arn:aws:ecs:us-east-1:123456789012:cluster/shop\n")});
  REQUIRE_MESSAGE(here.code == 0, here.err);
  CHECK(here.out.find("{capacity_provider: FARGATE_SPOT, weight: 1}") != std::string::npos);
  const auto there = cli({"import", "cloudformation", write("arn-there.yaml", head + cluster("shop") + service +
                                                                                "      Cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/shop\n")});
  REQUIRE_MESSAGE(there.code == 0, there.err);
  CHECK(there.out.find("capacity_provider_strategy:") == std::string::npos);
  CHECK(there.out.find("its cluster is not in the file") != std::string::npos);
  const auto unnamed = cli({"import", "cloudformation", write("default-cluster.yaml", head + cluster("default") + service)});
  REQUIRE_MESSAGE(unnamed.code == 0, unnamed.err);
  CHECK(unnamed.out.find("{capacity_provider: FARGATE_SPOT, weight: 1}") != std::string::npos);
}

TEST_CASE("import: one-value lists, deployment-time values and replica shapes") {
  const std::string fn = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      MemorySize: 256\n";
  const auto text = cli({"import", "cloudformation", write("arch-text.yaml", fn + "      Architectures: arm64\n")});
  CHECK(text.code == 2);
  CHECK(text.err.find("arch-text.yaml:7:22: components.Fn.architecture: error: Fn: Architectures is 'arm64'; expected a list of one value") !=
        std::string::npos);
  const auto two = cli({"import", "cloudformation", write("arch-two.yaml", fn + "      Architectures: [arm64, x86_64]\n")});
  CHECK(two.code == 2);
  CHECK(two.err.find("Architectures is a list of 2; expected a list of one value") != std::string::npos);
  // A custom resource's attribute is known only when the stack deploys: never written as a value.
  const auto later = cli({"import", "cloudformation",
                          write("deploy-time.yaml", "Resources:\n  Lookup: {Type: 'Custom::Lookup', Properties: {ServiceToken: x}}\n" +
                                                        fn.substr(std::string("Resources:\n").size()) +
                                                        "      Architectures: [!GetAtt Lookup.Arch]\n")});
  REQUIRE_MESSAGE(later.code == 0, later.err);
  CHECK(later.out.find("{{") == std::string::npos);
  CHECK(later.out.find("# ASSUMPTION: Fn: Architectures is known only at deployment; archsim's default") != std::string::npos);

  std::string state = testing::read_file("tests/import/fixtures/state-data.json");
  const std::string pitr = "\"point_in_time_recovery\": [";
  state.replace(state.find(pitr), pitr.size(), "\"replica\": \"us-west-2\",\n" + pitr);
  const auto replica = cli({"import", "terraform", write("replica-text-state.json", state)});
  CHECK(replica.code == 2);
  CHECK(replica.err.find("aws_dynamodb_table.sessions: replica is 'us-west-2'; expected a list of blocks with region_name") != std::string::npos);
}

TEST_CASE("import: a weight written as a list, a number of seconds written as a word, a replica written as a string say what they are") {
  const std::string head =
      "Resources:\n"
      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
      "  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: us-east-1a, CidrBlock: 10.0.1.0/24}}\n"
      "  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: '256', Memory: '512'}}\n"
      "  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: !Ref Task\n"
      "      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref SubnetA]}}\n";
  const auto weight = cli({"import", "cloudformation", write("weight-list.yaml", head + "      CapacityProviderStrategy: [{CapacityProvider: FARGATE_SPOT, Weight: [2]}]\n")});
  CHECK(weight.code == 2);
  CHECK(weight.err.find("Api: the weight of capacity provider FARGATE_SPOT is a list; expected a whole number") != std::string::npos);
  const auto timeout = cli({"import", "cloudformation",
                            write("timeout-word.yaml", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
                                                       "      Timeout: ten\n")});
  CHECK(timeout.code == 2);
  CHECK(timeout.err.find("Fn: Timeout is 'ten'; expected a number") != std::string::npos);
  std::string state = testing::read_file("tests/import/fixtures/state-data.json");
  const std::string pitr = "\"point_in_time_recovery\": [";
  state.replace(state.find(pitr), pitr.size(), "\"replica\": [\"us-west-2\"],\n" + pitr);
  const auto replica = cli({"import", "terraform", write("replica-item-text-state.json", state)});
  CHECK(replica.code == 2);
  CHECK(replica.err.find("region_name of replica[0] is missing: the item is not a block") != std::string::npos);
}

TEST_CASE("import cloudformation: a GlobalTable is one table in the stack's Region, its other Replicas its replicas") {
  const std::string table =
      "Resources:\n  Orders:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
      "      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}\n      Replicas:\n"
      "        - Region: us-east-1\n          TableClass: STANDARD_INFREQUENT_ACCESS\n"
      "          PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
      "        - Region: us-west-2\n        - Region: eu-west-1\n";
  const std::string file = write("global-table.yaml", table);
  const auto r = cli({"import", "cloudformation", file, "--parameter", "AWS::Region=us-east-1"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.out.find("  Orders:\n    type: dynamodb\n    billing_mode: on_demand\n    stream_enabled: true\n"
                   "    table_class: STANDARD_INFREQUENT_ACCESS\n    point_in_time_recovery: true\n    replicas: [us-west-2, eu-west-1]\n") !=
        std::string::npos);
  // The stack's replica decides; without the Region, which one is unknown.
  const auto unknown = cli({"import", "cloudformation", file});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("which of its Replicas is the stack's own is unknown without the Region; pass --parameter AWS::Region=<region>") !=
        std::string::npos);
  const auto elsewhere = cli({"import", "cloudformation", file, "--parameter", "AWS::Region=eu-central-1"});
  CHECK(elsewhere.code == 2);
  CHECK(elsewhere.err.find("its Replicas name no replica in the stack's Region eu-central-1; CloudFormation requires one") != std::string::npos);
  // Provisioned: writes scale, so their minimum is provisioned, said as an assumption.
  const auto provisioned = cli({"import", "cloudformation",
                                write("global-provisioned.yaml",
                                      "Resources:\n  Orders:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n      BillingMode: PROVISIONED\n"
                                      "      WriteProvisionedThroughputSettings:\n"
                                      "        WriteCapacityAutoScalingSettings: {MinCapacity: 5, MaxCapacity: 50}\n      Replicas:\n"
                                      "        - {Region: us-east-1, ReadProvisionedThroughputSettings: {ReadCapacityUnits: 10}}\n"
                                      "        - {Region: us-west-2, ReadProvisionedThroughputSettings: {ReadCapacityUnits: 10}}\n"),
                                "--parameter", "AWS::Region=us-east-1"});
  REQUIRE_MESSAGE(provisioned.code == 0, provisioned.err);
  CHECK(provisioned.out.find("# ASSUMPTION: a global table's writes scale between MinCapacity and MaxCapacity") != std::string::npos);
  CHECK(provisioned.out.find("    write_capacity: 5\n    read_capacity: 10\n    replicas: [us-west-2]\n") != std::string::npos);
}
