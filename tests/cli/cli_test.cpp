#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/cli.hpp"
#include "archsim/run_command.hpp"
#include "archsim/pricing/price_book.hpp"
#include "archsim/pricing/bill.hpp"
#include "cli_fixture.hpp"
#include "fixture.hpp"


using archsim::test::cli;

TEST_CASE("cli: --help and --version exit 0; usage errors exit 2") {
  CHECK(cli({"--help"}).code == 0);
  const auto version = cli({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out.find("archsim ") == 0);
  CHECK(cli({}).code == 2);
  CHECK(cli({"frobnicate"}).code == 2);
  CHECK(cli({"validate"}).code == 2);
  CHECK(cli({"validate", "scenarios/adr0005.yaml", "--format", "xml"}).code == 2);
}

TEST_CASE("cli: --version names the version, the commit built from and each bundled price book's dates") {
  const auto version = cli({"--version"});
  REQUIRE(version.code == 0);
  std::vector<std::string> lines;
  std::istringstream in(version.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 2 + 1 + archsim::pricing::builtin_regions().size());
  CHECK(lines[0] == std::string("archsim ") + ARCHSIM_VERSION);
  REQUIRE(lines[1].starts_with("commit: "));
  const std::string commit = lines[1].substr(8);
  // A hex commit, optionally marked -dirty, or `unknown` when built without a checkout.
  CHECK((commit == "unknown" || commit.find_first_not_of("0123456789abcdef") >= 7));
  CHECK(lines[2] == "price book global: " + archsim::pricing::as_of_range(archsim::pricing::builtin_global_price_book()).text());
  std::size_t i = 3;
  for (const auto& region : archsim::pricing::builtin_regions()) {
    const auto range = archsim::pricing::as_of_range(*archsim::pricing::builtin_price_book(region));
    CHECK(range.newest.size() == 10);
    CHECK(lines[i++] == "price book " + region + ": " + range.text());
  }
}

TEST_CASE("cli: a missing or broken file exits 2 with a located message on stderr") {
  const auto missing = cli({"validate", "no/such/file.yaml"});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("no/such/file.yaml: error: no such file") != std::string::npos);
  const auto dir = std::filesystem::temp_directory_path() / "archsim_cli_test";
  std::filesystem::create_directories(dir);
  const auto bad = dir / "bad.yaml";
  std::ofstream(bad) << "name: x\nregion: us-east-1\nalternatives: {a: {title: t, topology: {zones: [us-east-1a], "
                        "components: {u: {type: internet_users, colour: red}}}}}\n";
  const auto strict = cli({"validate", "--strict", bad.string()});
  CHECK(strict.code == 2);
  CHECK(strict.err.find("unknown key 'colour'") != std::string::npos);
  CHECK(cli({"validate", bad.string()}).code == 0);
}

TEST_CASE("cli: validate exits 1 when the chosen alternative has an error finding") {
  const auto r = cli({"validate", "scenarios/adr0005.yaml"});
  CHECK(r.code == 1);
  CHECK(r.out.find("[task-no-egress-path]") != std::string::npos);
}

TEST_CASE("cli: SARIF output is 2.1.0 with rules and YAML regions") {
  const auto r = cli({"validate", "scenarios/cloudfront-rds.yaml", "--format", "sarif"});
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["version"] == "2.1.0");
  const auto& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "archsim");
  CHECK(run["tool"]["driver"]["rules"].size() >= 20);
  REQUIRE(run["results"].size() > 0);
  bool zone_result = false;
  for (const auto& result : run["results"]) {
    const auto& region = result["locations"][0]["physicalLocation"]["region"];
    CHECK(region["startLine"].get<int>() > 0);
    if (result["ruleId"] == "zone-not-in-region") {
      zone_result = true;
      CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
            "scenarios/topologies/cloudfront-rds.yaml");
    }
  }
  CHECK(zone_result);
}

TEST_CASE("sarif: rules have a PascalCase name, a full description, an absolute help URI and their docs/rules.md anchor") {
  const auto doc = nlohmann::json::parse(cli({"validate", "scenarios/adr0005.yaml", "--format", "sarif"}).out);
  const auto& driver = doc["runs"][0]["tool"]["driver"];
  bool seen = false;
  for (const auto& rule : driver["rules"]) {
    CAPTURE(rule["id"].get<std::string>());
    CHECK(rule["name"] != rule["id"]);
    CHECK(rule["fullDescription"]["text"].get<std::string>().size() > rule["shortDescription"]["text"].get<std::string>().size());
    if (rule["id"] == "scenario-load") continue;
    // SARIF 2.1.0 3.49.12: helpUri is an absolute URI.
    CHECK(rule["helpUri"].get<std::string>().starts_with("https://"));
    CHECK(rule["properties"]["documentation"] == "docs/rules.md#" + rule["id"].get<std::string>());
    if (rule["id"] == "task-no-egress-path") {
      seen = true;
      CHECK(rule["name"] == "TaskNoEgressPath");
    }
  }
  CHECK(seen);
}

TEST_CASE("sarif: exposure rules are security rules with GitHub's security-severity; others are not") {
  const auto doc = nlohmann::json::parse(cli({"validate", "scenarios/adr0005.yaml", "--format", "sarif"}).out);
  int security = 0;
  for (const auto& rule : doc["runs"][0]["tool"]["driver"]["rules"]) {
    CAPTURE(rule["id"].get<std::string>());
    const auto& props = rule["properties"];
    const bool exposure = props["category"] == "exposure";
    CHECK(props.contains("security-severity") == exposure);
    if (!exposure) continue;
    ++security;
    CHECK(props["tags"][0] == "security");
    // Every exposure rule is a warning today: medium on GitHub's scale.
    CHECK(props["security-severity"] == (rule["defaultConfiguration"]["level"] == "error" ? "8.0" : "5.5"));
  }
  CHECK(security >= 4);
}

TEST_CASE("sarif: a finding's fingerprint survives lines inserted above it, and differs per rule, alternative and path") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_sarif_fingerprints";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "topologies");
  std::filesystem::copy_file("scenarios/cloudfront-rds.yaml", dir / "cloudfront-rds.yaml");
  {
    std::ifstream in("scenarios/topologies/cloudfront-rds.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream(dir / "topologies" / "cloudfront-rds.yaml") << "# a comment pushed later\n# and another\n" << text.str();
  }
  const auto before = nlohmann::json::parse(cli({"validate", "scenarios/cloudfront-rds.yaml", "--format", "sarif"}).out)["runs"][0]["results"];
  const auto after =
      nlohmann::json::parse(cli({"validate", (dir / "cloudfront-rds.yaml").string(), "--format", "sarif"}).out)["runs"][0]["results"];
  REQUIRE(before.size() == after.size());
  REQUIRE(before.size() > 1);
  std::set<std::string> prints;
  for (std::size_t i = 0; i < before.size(); ++i) {
    CAPTURE(before[i]["ruleId"].get<std::string>());
    const auto& print = before[i]["partialFingerprints"]["archsimFinding/v1"];
    CHECK(print == after[i]["partialFingerprints"]["archsimFinding/v1"]);
    prints.insert(print.get<std::string>());
    const auto& line = before[i]["locations"][0]["physicalLocation"]["region"]["startLine"];
    if (before[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "scenarios/topologies/cloudfront-rds.yaml") {
      CHECK(after[i]["locations"][0]["physicalLocation"]["region"]["startLine"] == line.get<int>() + 2);
    }
  }
  CHECK(prints.size() == before.size());
}

TEST_CASE("cli: --output writes the whole result atomically, and refuses a missing directory") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_cli_out";
  std::filesystem::create_directories(dir);
  const auto target = dir / "review.json";
  const auto r = cli({"validate", "scenarios/free-tier-single-az.yaml", "--format", "json", "-o", target.string()});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  std::ifstream in(target);
  const auto doc = nlohmann::json::parse(in);
  CHECK(doc["schema"] == "archsim.review/1");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    CHECK(entry.path().extension() != ".tmp");
  }
  CHECK(cli({"validate", "scenarios/free-tier-single-az.yaml", "-o", (dir / "missing" / "x.txt").string()}).code == 2);
}

TEST_CASE("cli: graph picks an alternative by id and suggests near misses") {
  const auto dot = cli({"graph", "scenarios/adr0005.yaml", "--alternative", "nlb", "--format", "dot"});
  CHECK(dot.code == 0);
  CHECK(dot.out.find("digraph") == 0);
  const auto typo = cli({"graph", "scenarios/adr0005.yaml", "--alternative", "nbl"});
  CHECK(typo.code == 2);
  CHECK(typo.err.find("did you mean 'nlb'?") != std::string::npos);
}

TEST_CASE("cli: run simulates, writes results.json and timelines to --out, and locates workload errors") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_run_test";
  std::filesystem::remove_all(dir);
  const auto ok = cli({"run", "scenarios/cloudfront-rds.yaml", "--horizon", "30m", "--seed", "9", "--out", dir.string()});
  CHECK(ok.code == 1);  // the seed's chosen design has error findings
  CHECK(ok.out.find("== simulation: cloudfront-rds over 30m") != std::string::npos);
  CHECK(ok.out.find("seed 9") != std::string::npos);
  const auto json = nlohmann::json::parse(std::ifstream(dir / "results.json"));
  CHECK(json["schema"] == "archsim.run/1");
  CHECK(json["alternatives"][0]["simulation"]["requests"].get<std::uint64_t>() > 0);
  CHECK(std::filesystem::exists(dir / "timeline-notejam.csv"));

  CHECK(cli({"run", "scenarios/adr0005.yaml", "--horizon", "soon"}).code == 2);
  CHECK(cli({"run", "scenarios/adr0005.yaml", "--horizon", "10m"}).err.find("leaves nothing after the warm-up") != std::string::npos);
  const auto scenario = dir / "bad-workload.yaml";
  std::ofstream(scenario) << "name: x\nregion: us-east-1\nworkload:\n  arrivals: {rate: 5 per second}\n"
                             "alternatives: {a: {title: t, topology: {zones: [us-east-1a], "
                             "components: {u: {type: internet_users}}}}}\n";
  const auto bad = cli({"run", scenario.string()});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("bad-workload.yaml:4:20: workload.arrivals.rate: error: expected a rate") != std::string::npos);
}

TEST_CASE("cli: price bills declared usage, exits 1 over budget, and locates usage and price-book errors") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_price_test";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::string topology =
      "alternatives: {a: {title: t, status: chosen, topology: {zones: [us-east-1a], components: "
      "{dns: {type: route53_zone}, vault: {type: secrets_manager, secrets: 3}}}}}\n";
  // 0.50 (zone) + 3 x 0.40 (secrets) + 2 M queries x 0.40 = 2.50 USD.
  const std::string usage = "usage: {dns: {queries: 2M}}\n";
  const auto within = cli({"price", write("within.yaml", "name: x\nregion: us-east-1\n" + usage + "budget: {monthly_limit_usd: 5}\n" + topology)});
  CHECK(within.code == 0);
  CHECK(within.out.find("cost: 2.50 USD a month") != std::string::npos);
  CHECK(within.out.find("budget: 5.00 USD a month: pass") != std::string::npos);

  const auto over = cli({"price", write("over.yaml", "name: x\nregion: us-east-1\n" + usage + "budget: {monthly_limit_usd: 2}\n" + topology),
                         "--format", "json"});
  CHECK(over.code == 1);
  const auto json = nlohmann::json::parse(over.out);
  CHECK(json["schema"] == "archsim.price/1");
  CHECK(json["alternatives"][0]["cost"]["total_usd"] == 2.5);
  CHECK(json["alternatives"][0]["budget"]["status"] == "over");
  // 0.50 due on day 1, then 2.00 spread over 730 h: 0.50 + 2.00 x 24d / 730 > 2 from day 23.
  CHECK(json["alternatives"][0]["budget"]["over_day"] == 23);

  // A forecasted alert: from history it fires on day 1 (the month is 2.50 USD); in the
  // account's first full billing cycle AWS has no forecast, and the bill says why.
  const std::string forecasted = "budget: {monthly_limit_usd: 2, alerts: [{kind: forecasted, threshold_percent: 100}]}\n";
  const auto known = cli({"price", write("forecast.yaml", "name: x\nregion: us-east-1\n" + usage + forecasted + topology)});
  CHECK(known.out.find("alert forecasted 100% (> 2.00 USD): fires on day 1") != std::string::npos);
  const auto young = cli({"price", write("young.yaml", "name: x\nregion: us-east-1\npricing: {account_created: 2026-11-20, billing_month: 2026-12}\n" +
                                                           usage + forecasted + topology)});
  CHECK(young.out.find("alert forecasted 100% (> 2.00 USD): cannot fire: no forecast (an account created on 2026-11-20 has no full "
                       "billing cycle before 2026-12, so AWS gives no forecast)") != std::string::npos);

  const auto typo = cli({"price", write("typo.yaml", "name: x\nregion: us-east-1\nusage: {dns: {querys: 2M}}\n" + topology)});
  CHECK(typo.code == 2);
  CHECK(typo.err.find("typo.yaml:3:15: usage.dns.querys: error: unknown meter 'querys'") != std::string::npos);
  CHECK(typo.err.find("did you mean 'queries'") != std::string::npos);

  const auto nobody = cli({"price", write("nobody.yaml", "name: x\nregion: us-east-1\nusage: {dsn: {queries: 2M}}\n" + topology)});
  CHECK(nobody.code == 2);
  CHECK(nobody.err.find("no alternative has a component 'dsn'") != std::string::npos);

  write("book.yaml", "archsim_price_book: 1\nregion: us-east-1\nsources: {}\nprices:\n  x: {service: s}\n");
  const auto book = cli({"price", write("book-user.yaml", "name: x\nregion: us-east-1\npricing: {price_book: book.yaml}\n" + topology)});
  CHECK(book.code == 2);
  CHECK(book.err.find("book.yaml:5:6: prices.x: error: missing required key 'description'") != std::string::npos);
}

TEST_CASE("cli: a nightly scale to zero, simulated and billed: the saving against always on is the hours at zero x the Fargate price") {
  // The reference service, two tasks of 0.25 vCPU / 0.5 GB in private subnets, off from 20:00
  // to 07:00. Two simulated days are the month's pattern: the bill scales them to 730 hours.
  // A service written at desired_count 0 that the schedule brings up is the same service:
  // always on is the count it runs at, not zero (which would make scaling look like a cost).
  for (const std::string& desired : {std::string(), std::string("          desired_count: 0\n")}) {
    CAPTURE(desired);
    const auto dir = std::filesystem::temp_directory_path() / "archsim_zero_bill_test";
    std::filesystem::create_directories(dir);
    archsim::test::put_reference_topology(dir.string());
    const auto file = dir / "zero.yaml";
    std::ofstream(file) << "archsim: 1\nname: zero\nregion: us-east-1\n"
                           "workload: {horizon: 2d, warmup: 0s, seed: 4, arrivals: {rate: 2/s}, components: {app: {launch_time: {constant: 20s}}}}\n"
                           "alternatives:\n  good:\n    title: t\n    status: chosen\n"
                           "    topology: good_topology.yaml\n"
                           "    overrides:\n      components:\n        app:\n          min_count: 0\n" << desired << "          autoscaling:\n            scheduled:\n"
                           "              night: {schedule: \"cron(0 20 ? * * *)\", min_capacity: 0, max_capacity: 0}\n"
                           "              morning: {schedule: \"cron(0 7 ? * * *)\", min_capacity: 2, max_capacity: 2}\n";
    const auto out = dir / "out";
    std::filesystem::remove_all(out);
    const auto r = cli({"run", file.string(), "--out", out.string()});
    REQUIRE_MESSAGE(r.code <= 1, r.err);
    std::ifstream in(out / "results.json");
    const auto results = nlohmann::json::parse(in);
    const auto& alt = results["alternatives"][0];
    const double zero_hours = alt["simulation"]["scale_to_zero"][0]["hours_at_zero_per_replication"].get<double>();
    // At zero [0, 7h + 32 s), [20h, 31h + 32 s), [44h, 48h): the launch is 12 s of image pull and 20 s.
    CHECK(zero_hours == doctest::Approx((7 * 3600 + 32 + 11 * 3600 + 32 + 4 * 3600) / 3600.0).epsilon(1e-9).scale(0));
    // Fargate bills the launch (from the image pull), so the billed hours at zero are the
    // schedule's: 11 a night. The month repeats the two days hour by hour from midnight: 730 h
    // are 30 days and 10 hours, of which 30 x 11 + 7 at zero, per task.
    // Per task-hour: 0.25 vCPU x 0.04048 + 0.5 GB x 0.004445 USD (us-east-1 Linux/x86).
    const double task_hour = 0.25 * 0.04048 + 0.5 * 0.004445;
    const double saving = 2 * (30 * 11 + 7) * task_hour;
    const double billed = alt["cost"]["always_on_usd"].get<double>() - alt["cost"]["total_usd"].get<double>();
    CAPTURE(saving);
    CHECK(std::abs(billed - saving) <= 0.02);  // two bills, each rounded to the cent once
  }
}

TEST_CASE("cli: price takes byte units only on bytes meters, seconds meters of any realistic size, and refuses what would overflow") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_price_units_test";
  std::filesystem::create_directories(dir);
  archsim::test::put_reference_topology(dir.string());
  const auto price = [&](const std::string& name, const std::string& usage, const std::string& overrides = "") {
    const auto file = dir / name;
    std::ofstream(file) << "archsim: 1\nname: x\nregion: us-east-1\nusage:\n" << usage
                        << "alternatives:\n  a:\n    title: t\n    status: chosen\n"
                           "    topology: good_topology.yaml\n"
                        << overrides;
    return cli({"price", file.string()});
  };
  // `2M` on a bytes meter is refused where it stands, with the units it takes.
  const auto mega = price("mega.yaml", "  alb: {processed_bytes: 2M}\n");
  CHECK(mega.code == 2);
  CHECK(mega.err.find("mega.yaml:5:26: usage.alb.processed_bytes: error: '2M' uses the count multiplier 'M' on a bytes meter") !=
        std::string::npos);
  CHECK(mega.err.find("e.g. '2MB'") != std::string::npos);
  // `2B` is two bytes there, and the reader is told so.
  const auto two = price("two.yaml", "  alb: {processed_bytes: 2B}\n");
  CHECK(two.code <= 1);
  CHECK(two.err.find("two.yaml:5:26: usage.alb.processed_bytes: warning: '2B' is 2 bytes") != std::string::npos);
  // An ALB averaging 3,600 open connections: 3,600 x 730 h = 2,628,000 connection-hours, past
  // the 2,555,555 hours a 64-bit nanosecond duration holds (it was refused as 'expected a
  // duration'). 3,600 / 3,000 = 1.2 LCU an hour x 730 h = 876 LCU-hours x 0.008 USD = 7.01 USD.
  const auto busy = price("busy.yaml", "  alb: {connection_seconds: 2628000h}\n");
  CHECK_MESSAGE(busy.code <= 1, busy.err);
  CHECK(busy.out.find("elb.alb_lcu_hour                              876 LCU-hour       x 0.008        =      7.01") != std::string::npos);
  // Beyond any real month: a located error that names the bound.
  const auto huge = price("huge.yaml", "  alb: {processed_bytes: 1e30}\n");
  CHECK(huge.code == 2);
  CHECK(huge.err.find("huge.yaml:5:26: usage.alb.processed_bytes: error: '1e30' is 1e+30 bytes, above the 1e+21 a monthly meter takes") !=
        std::string::npos);
  // A billion vCPU a task once printed a negative bill with "budget: pass": Fargate takes 0.25 to
  // 16 vCPU (review_policy.yaml's task sizes), so it is refused where it is written, in validate
  // and price alike (issue 19).
  for (const std::string vcpu : {"1e9", "1e30", "0", "-1"}) {
    const auto vast = price("vast.yaml", "  {}\n", "    overrides:\n      components:\n        app: {vcpu: " + vcpu + "}\n");
    CHECK(vast.code == 2);
    CHECK_MESSAGE(vast.err.find("vast.yaml:13:21: alternatives.a.topology.components.app.vcpu: error: expected a Fargate task vCPU from "
                                "0.25 to 16, found ") != std::string::npos,
                  vast.err);
    CHECK(vast.out.empty());
  }
}

TEST_CASE("cli: an unused NAT gateway's idle monthly cost is in every validate format, from the price book") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim-cli-unused";
  std::filesystem::create_directories(dir);
  archsim::test::put_reference_topology(dir.string());
  const auto file = (dir / "unused.yaml").string();
  std::ofstream(file) << "archsim: 1\nname: unused\nregion: us-east-1\nalternatives:\n  good:\n    title: with a spare NAT\n"
                         "    status: chosen\n    topology: good_topology.yaml\n"
                         "    overrides: {components: {nat-c: {type: nat_gateway, subnet: public-a}}}\n";
  // 730 hours of the gateway and of its Elastic IP at the shipped us-east-1 prices.
  const auto* book = archsim::pricing::builtin_price_book("us-east-1");
  REQUIRE(book != nullptr);
  const auto expected = archsim::pricing::multiply(archsim::pricing::kHoursPerMonth, book->find("vpc.nat_gateway_hour")->first_price()) +
                        archsim::pricing::multiply(archsim::pricing::kHoursPerMonth, book->find("vpc.public_ipv4_hour")->first_price());
  const std::string usd = archsim::pricing::format_cents(expected) + " USD a month";
  for (const std::string format : {"text", "markdown"}) {
    CAPTURE(format);
    const auto r = cli({"validate", file, "--format", format});
    CHECK(r.code == 0);
    CHECK(r.out.find("unused-resource") != std::string::npos);
    CHECK(r.out.find(usd) != std::string::npos);
  }
  const double cents = static_cast<double>(expected.rounded_cents()) / 100.0;
  const auto json = nlohmann::json::parse(cli({"validate", file, "--format", "json"}).out);
  bool found = false;
  for (const auto& f : json["alternatives"][0]["findings"]) {
    if (f["rule"] != "unused-resource") continue;
    found = true;
    CHECK(f["component"] == "nat-c");
    CHECK(f["monthly_cost_usd"].get<double>() == doctest::Approx(cents));
    CHECK(f["message"].get<std::string>().find(usd) != std::string::npos);
  }
  CHECK(found);
  const auto sarif = nlohmann::json::parse(cli({"validate", file, "--format", "sarif"}).out);
  found = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] != "unused-resource") continue;
    found = true;
    CHECK(result["properties"]["component"] == "nat-c");
    CHECK(result["properties"]["monthly_cost_usd"].get<double>() == doctest::Approx(cents));
  }
  CHECK(found);
  std::filesystem::remove_all(dir);
}

TEST_CASE("cli: run estimates its work up front, prints it, and refuses beyond --max-work with the estimate and the flag") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_work_estimate_test";
  std::filesystem::create_directories(dir);
  archsim::test::put_reference_topology(dir.string());
  const auto scenario = [&](const std::string& name, const std::string& workload) {
    const auto file = dir / name;
    std::ofstream(file) << "archsim: 1\nname: x\nregion: us-east-1\nworkload:\n" << workload
                        << "alternatives:\n  a:\n    title: t\n    status: chosen\n"
                           "    topology: good_topology.yaml\n";
    return file.string();
  };
  // 1e5 requests/s for 30 days, and 400 days x 1,000 replications at 1/s: hours of work each.
  for (const auto& [name, workload] : {std::pair{"busy.yaml", "  horizon: 30d\n  arrivals: {rate: 1e5/s}\n"},
                                       std::pair{"long.yaml", "  horizon: 400d\n  replications: 1000\n  arrivals: {rate: 1/s}\n"}}) {
    const auto run = cli({"run", scenario(name, workload)});
    INFO(run.err);
    CHECK(run.code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.find("archsim run: estimated work ") != std::string::npos);
    CHECK(run.err.find("exceeds the limit of 1e+10 request-hops") != std::string::npos);
    CHECK(run.err.find("raise the limit with --max-work N") != std::string::npos);
    // auto says why it walks a run this big instead of running it as flows, and the way out.
    if (std::string(name) == "busy.yaml") {
      CHECK(run.err.find("archsim run: fidelity auto walks every request of a: chosen by fidelity auto: app is near saturation") !=
            std::string::npos);
      CHECK(run.err.find("--fidelity flow runs it as flows outside the accuracy contract") != std::string::npos);
    } else {
      // A long, quiet run goes as flows (cheaper than the walk's 1.4e11), and is still too big.
      CHECK(run.err.find("as flows, each route's latency samples and about 2 segments a minute: a)") != std::string::npos);
      CHECK(run.err.find("fidelity auto walks") == std::string::npos);
    }
  }
  // A small run says what it estimated and goes ahead; --max-work below it refuses it.
  const auto small = scenario("small.yaml", "  horizon: 10m\n  arrivals: {rate: 2/s}\n");
  const auto ok = cli({"run", small});
  CHECK(ok.code <= 1);
  // 1,200 requests x (entry + alb + app + db) = 4,800 request-hops.
  CHECK_MESSAGE(ok.err.find("archsim run: estimated work 4.8e+03 request-hops (1.2e+03 requests over 10m x 1 replication(s), 1 alternative(s))") !=
                    std::string::npos,
                ok.err);
  const auto refused = cli({"run", small, "--max-work", "1000"});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("exceeds the limit of 1000 request-hops") != std::string::npos);
  // A limit that is no number, or no bound, is refused: `nan` would let every estimate through.
  for (const std::string bad : {"nan", "inf", "0", "-1e10", "1e400", "1e19", "10k"}) {
    const auto nonsense = cli({"run", small, "--max-work", bad});
    INFO(bad);
    CHECK(nonsense.code == 2);
    CHECK(nonsense.err.find("--max-work: expected a number above 0 and at most 1e+18, found '" + bad + "'") != std::string::npos);
  }
}

TEST_CASE("cli: every shipped scenario stays under the default work limit, over its horizon and over a billing month") {
  for (const auto& entry : std::filesystem::directory_iterator(ARCHSIM_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    for (const auto& extra : {std::vector<std::string>{}, std::vector<std::string>{"--horizon", "730h"}}) {
      // --max-work 1 refuses every run before simulating it, and prints the estimate.
      std::vector<std::string> args{"run", entry.path().string(), "--max-work", "1"};
      args.insert(args.end(), extra.begin(), extra.end());
      const auto run = cli(args);
      const auto at = run.err.find("archsim run: estimated work ");
      REQUIRE_MESSAGE(at != std::string::npos, run.err);
      const double estimate = std::stod(run.err.substr(at + std::string("archsim run: estimated work ").size()));
      INFO(entry.path().string());
      CHECK(estimate > 0);
      CHECK(estimate < archsim::cli::kDefaultMaxWork / 4);
    }
  }
}

TEST_CASE("cli: run's text opens with the alternatives side by side, coloured only when asked (a terminal without NO_COLOR)") {
  const std::string file = archsim::test::reference_scenario("archsim_cli_table_test", "table",
                                                                "  p99:\n    title: p99\n    metric: latency.p99\n    max: 10s\n", 3, true);
  archsim::cli::RunOptions options;
  options.file = file;
  std::ostringstream plain_out, plain_err, colour_out, colour_err;
  archsim::cli::run_run(options, plain_out, plain_err);
  const std::string plain = plain_out.str();
  REQUIRE(plain.starts_with("== reference: the alternatives at a glance"));
  const auto header = plain.find("\nalternative ");
  REQUIRE(header != std::string::npos);
  for (const char* column : {"status", "availability", "p99", "cost / month", "budget", "findings", "verdict"}) {
    CHECK(plain.substr(header, plain.find('\n', header + 1) - header).find(column) != std::string::npos);
  }
  CHECK(plain.find("\nother ") != std::string::npos);  // the rejected copy has its row
  CHECK(plain.find("\x1b[") == std::string::npos);
  options.colour = true;
  archsim::cli::run_run(options, colour_out, colour_err);
  const std::string coloured = colour_out.str();
  const std::string table = coloured.substr(0, coloured.find("\n\n"));
  CHECK(table.find("\x1b[3") != std::string::npos);
  // Only the table is coloured, and uncoloured it is the plain one.
  CHECK(coloured.substr(table.size()) == plain.substr(plain.find("\n\n")));
  std::string stripped;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i] == '\x1b') {
      i = table.find('m', i);
    } else {
      stripped += table[i];
    }
  }
  CHECK(stripped == plain.substr(0, plain.find("\n\n")));
}

TEST_CASE("cli: run --fidelity compare prints the accuracy contract check by check, and its exit code follows it") {
  const auto compared = cli({"run", "scenarios/free-tier-single-az.yaml", "--horizon", "2d", "--fidelity", "compare"});
  CHECK(compared.code == 0);
  CHECK(compared.out.find("== single-az-free-tier: flow against request level: the contract holds") != std::string::npos);
  for (const char* check : {"monthly bill", "availability", "p99 latency", "scale_out (replication 1)", "rollbacks"}) {
    CAPTURE(check);
    CHECK(compared.out.find(check) != std::string::npos);
  }
  CHECK(compared.out.find("BREAKS") == std::string::npos);
  CHECK(compared.out.find("the flow model's accuracy contract holds on every alternative") != std::string::npos);
  // The comparison is text on standard output only.
  CHECK(cli({"run", "scenarios/free-tier-single-az.yaml", "--horizon", "1h", "--fidelity", "compare", "--format", "json"}).code == 2);
  CHECK(cli({"run", "scenarios/free-tier-single-az.yaml", "--horizon", "1h", "--fidelity", "sideways"}).code == 2);
  // flow and request each run and say which produced the figures.
  const auto flow = cli({"run", "scenarios/free-tier-single-az.yaml", "--horizon", "1h", "--fidelity", "flow", "--format", "json"});
  CHECK(flow.out.find("\"fidelity\": \"flow\"") != std::string::npos);
  CHECK(flow.out.find("\"fidelity\": \"request\"") == std::string::npos);
}

TEST_CASE("cli: a flow run's work is estimated from its segments and held to --max-work, so a huge flow run is refused, not run") {
  // A year of flow costs about 2e6 minutes' worth of segments per alternative and replication:
  // far below the default limit for the seed, far above a lowered one.
  const auto refused = cli({"run", "scenarios/free-tier-single-az.yaml", "--fidelity", "flow", "--horizon", "365d", "--max-work", "1e6"});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("as flows, each route's latency samples and about 2 segments a minute") != std::string::npos);
  CHECK(refused.err.find("exceeds the limit of 1e+06 request-hops") != std::string::npos);
  // The comparison runs the walk too, so its request-level work is what the limit checks.
  const auto compare = cli({"run", "scenarios/free-tier-single-az.yaml", "--fidelity", "compare", "--horizon", "30d", "--max-work", "1e6"});
  CHECK(compare.code == 2);
  CHECK(compare.err.find("as flows") == std::string::npos);
}

TEST_CASE("cli: run on Fargate Spot states the missing interruption rate, and with one shows the notices") {
  // ADR-0005 moved to eu-west-1, whose book prices Spot, bought on Spot.
  const auto dir = std::filesystem::temp_directory_path() / "archsim_spot_run";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "topologies");
  const auto moved = [](std::string text) {
    for (auto at = text.find("us-east-1"); at != std::string::npos; at = text.find("us-east-1", at)) text.replace(at, 9, "eu-west-1");
    return text;
  };
  std::ofstream(dir / "topologies/adr0005-alb-private-tasks.yaml", std::ios::binary)
      << moved(archsim::testing::read_file("scenarios/topologies/adr0005-alb-private-tasks.yaml"));
  std::string text = moved(archsim::testing::read_file("scenarios/adr0005.yaml"));
  text.replace(text.find("  free_tier: always_free\n"), 25, "  free_tier: always_free\n  fargate: spot\n");
  std::ofstream(dir / "unrated.yaml", std::ios::binary) << text;
  const auto unrated = cli({"run", (dir / "unrated.yaml").string(), "--horizon", "1d", "--format", "json"});
  INFO(unrated.err);
  REQUIRE(unrated.code != 2);
  const auto json = nlohmann::json::parse(unrated.out);
  int stated = 0;
  for (const auto& alt : json["alternatives"]) {
    if (!alt["simulation"].contains("assumptions")) continue;
    for (const auto& a : alt["simulation"]["assumptions"]) stated += a.get<std::string>().starts_with("api: runs on Fargate Spot") ? 1 : 0;
  }
  CHECK(stated >= 4);  // every alternative with the ECS service, Lambda's excepted

  text.replace(text.find("  faults:\n"), 10,
               "  faults:\n    api-spot:\n      effect: spot_interruption\n      component: api\n"
               "      time_to_failure: {exponential: {mean: 4h}}\n");
  std::ofstream(dir / "rated.yaml", std::ios::binary) << text;
  const auto rated = cli({"run", (dir / "rated.yaml").string(), "--horizon", "1d"});
  INFO(rated.err);
  REQUIRE(rated.code != 2);
  CHECK(rated.out.find("api: runs on Fargate Spot, but the workload has no spot_interruption fault") == std::string::npos);
  CHECK(rated.out.find("spot_interruption_notice") != std::string::npos);
  // Every task on Spot, with no FARGATE base: the review says so either way.
  CHECK(rated.out.find("service-all-on-spot") != std::string::npos);
}

TEST_CASE("run and price bill a component no route reaches from its declared usage alike") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_unrouted_test";
  std::filesystem::create_directories(dir);
  archsim::test::put_reference_topology(dir.string());
  // `archive` is on no route: a batch job outside the workload reads and writes it.
  std::ofstream(dir / "s.yaml") << "archsim: 1\nname: unrouted\nregion: us-east-1\n"
                                   "workload:\n  horizon: 2h\n  seed: 1\n  arrivals: {rate: 2/s}\n"
                                   "usage:\n  archive: {requests: 3M, put_requests: 200k, stored_bytes: 50GB}\n  cold: {requests: 1M}\n"
                                   "alternatives:\n  a:\n    title: t\n    status: chosen\n    topology: good_topology.yaml\n"
                                   "    overrides:\n      components: {archive: {type: s3_bucket}, cold: {type: s3_bucket}}\n"
                                   // On a route that carries nothing: what is declared still stands.
                                   "      routes: {cold-reads: {hops: [users, cold], share: 0}}\n";
  const auto quantity = [](const nlohmann::json& report, const std::string& component, const std::string& price) {
    for (const auto& line : report["alternatives"][0]["cost"]["lines"]) {
      if (line["component"] == component && line["price"] == price) return line["quantity"].get<double>();
    }
    return -1.0;
  };
  const auto price = cli({"price", (dir / "s.yaml").string(), "--format", "json"});
  const auto run = cli({"run", (dir / "s.yaml").string(), "--format", "json", "--threads", "1"});
  REQUIRE_MESSAGE(price.code <= 1, price.err);
  REQUIRE_MESSAGE(run.code <= 1, run.err);
  const auto priced = nlohmann::json::parse(price.out);
  const auto ran = nlohmann::json::parse(run.out);
  for (const char* key : {"s3.get_requests", "s3.put_requests", "s3.standard_storage_gb_month"}) {
    CAPTURE(key);
    CHECK(quantity(priced, "archive", key) > 0);
    CHECK(quantity(ran, "archive", key) == doctest::Approx(quantity(priced, "archive", key)).epsilon(1e-9));
  }
  CHECK(quantity(priced, "cold", "s3.get_requests") > 0);
  CHECK(quantity(ran, "cold", "s3.get_requests") == doctest::Approx(quantity(priced, "cold", "s3.get_requests")).epsilon(1e-9));
}

TEST_CASE("a fault whose effect hits its component in no alternative is a located warning in validate, run and price") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_fault_target_test";
  std::filesystem::create_directories(dir);
  archsim::test::put_reference_topology(dir.string());
  const std::string head = "archsim: 1\nname: faults\nregion: us-east-1\n"
                           "workload:\n  horizon: 1h\n  arrivals: {rate: 2/s}\n  faults:\n"
                           "    reclaim: {effect: spot_interruption, component: app, at: 10m}\n"
                           "    nat-crash: {effect: task_crash, component: nat-a, at: 10m}\n"
                           "    slow-db: {effect: dependency_slow, component: db, at: 10m, duration: 5m, added_latency: {constant: 100ms}}\n"
                           "alternatives:\n  a:\n    title: t\n    status: chosen\n    topology: good_topology.yaml\n";
  std::ofstream(dir / "none.yaml") << head;
  const std::string spot = "a spot_interruption fault hits an ECS service some of whose tasks run on Fargate Spot";
  for (const char* command : {"validate", "run", "price"}) {
    CAPTURE(command);
    const auto r = std::string(command) == "run" ? cli({command, (dir / "none.yaml").string(), "--horizon", "1h"})
                                                 : cli({command, (dir / "none.yaml").string()});
    CHECK(r.code <= 1);
    const std::string said = r.out + r.err;
    CHECK(said.find("none.yaml:8:53: workload.faults.reclaim.component: warning: " + spot) != std::string::npos);
    CHECK(said.find("none.yaml:9:48: workload.faults.nat-crash.component: warning: a task_crash fault hits an ECS service's tasks; 'nat-a' is "
                    "not one in any alternative, so the fault never fires") != std::string::npos);
    CHECK(said.find("workload.faults.slow-db") == std::string::npos);
  }
  // The text summary counts the review's findings, and says the inputs' own warnings are above.
  const auto text = cli({"validate", (dir / "none.yaml").string()});
  CHECK(text.out.find("; 2 warnings on the inputs, above") != std::string::npos);
  // validate says them in its report (JSON for a CI job), not on stderr.
  const auto json = cli({"validate", (dir / "none.yaml").string(), "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("'nat-a' is not one in any alternative, so the fault never fires") != std::string::npos);
  // One alternative on Spot is enough: the fault hits there.
  std::ofstream(dir / "one.yaml") << head << "  spot:\n    title: s\n    topology: good_topology.yaml\n    pricing: {fargate: spot}\n";
  const auto one = cli({"validate", (dir / "one.yaml").string()});
  CHECK((one.out + one.err).find(spot) == std::string::npos);
}
