// `archsim prices import`: offer files become price books on disk that a scenario prices with,
// without rebuilding archsim; bad input is a located error with exit 2 and nothing written.
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/pricing/price_book.hpp"
#include "cli_fixture.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

/// The test's folder under the process's own temporary folder, which the test main sets
/// (TMPDIR) after static initialisation: a namespace-scope constant would share /tmp.
std::filesystem::path test_dir() { return std::filesystem::temp_directory_path() / "archsim_prices_test"; }

std::vector<std::string> us_east_1_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator("tests/pricing/offers/us-east-1")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

/// A folder `test_dir()/<name>` holding the reference topology and `<name>.yaml`, a us-east-1 scenario
/// with that one alternative and `pricing: <pricing>` (on line 4).
std::filesystem::path reference_scenario(const std::string& name, const std::string& pricing) {
  const auto dir = test_dir() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  test::put_reference_topology(dir.string());
  std::ofstream(dir / (name + ".yaml")) << "archsim: 1\nname: " << name << "\nregion: us-east-1\npricing: " << pricing
                                        << "\nalternatives:\n  good: {title: reference, status: chosen, topology: good_topology.yaml}\n";
  return dir;
}

}  // namespace

TEST_CASE("prices import: the us-east-1 offer files become one book in the folder, which a scenario then prices with") {
  std::filesystem::remove_all(test_dir());
  std::vector<std::string> args{"prices", "import"};
  for (const auto& f : us_east_1_files()) args.push_back(f);
  args.insert(args.end(), {"-o", (test_dir() / "books").string()});
  const auto r = cli(args);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("archsim prices import: us-east-1: 117 prices, 2 missing: dynamodb.ia_replicated_wcu_hour, dynamodb.ia_replicated_write_request_units\n") != std::string::npos);
  const auto written = test_dir() / "books" / "us-east-1.yaml";
  REQUIRE(std::filesystem::exists(written));
  model::Diagnostics d;
  const auto book = pricing::read_price_book(written.string(), d);
  REQUIRE(book);
  CHECK(book->prices.at("elb.alb_lcu_hour").first_price() == pricing::Usd::cents(0) + *pricing::parse_usd("0.008"));
  // The same run again replaces the file, byte for byte the same.
  const std::string first = testing::read_file(written);
  CHECK(cli(args).code == 0);
  CHECK(testing::read_file(written) == first);
}

TEST_CASE("prices import: a single Region's book goes to stdout; several need -o") {
  const auto r = cli({"prices", "import", "tests/pricing/offers/us-east-1/AmazonECR.json"});
  CHECK(r.code == 0);
  CHECK(r.out.find("region: us-east-1\n") != std::string::npos);
  CHECK(r.out.find("  ecr.storage_gb_month:\n") != std::string::npos);
  CHECK(r.err.find("archsim prices import: us-east-1: 3 prices, 116 missing: apigw.http_requests, ") != std::string::npos);
}

TEST_CASE("prices import: bad input is a located error, exit 2, and nothing written") {
  std::filesystem::remove_all(test_dir());
  SUBCASE("not JSON") {
    const auto r = cli({"prices", "import", "scenarios/adr0005.yaml", "-o", (test_dir() / "out").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("scenarios/adr0005.yaml:1:1: error: not valid JSON") != std::string::npos);
  }
  SUBCASE("a file that is not there") {
    const auto r = cli({"prices", "import", "tests/pricing/offers/none.json", "-o", (test_dir() / "out").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("tests/pricing/offers/none.json: error: cannot read it") != std::string::npos);
  }
  SUBCASE("an unknown Region") {
    const auto r = cli({"prices", "import", "tests/pricing/offers/us-east-1/AmazonECR.json", "--region", "mars-1", "-o", (test_dir() / "out").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("no Price List mapping for Region 'mars-1'") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(test_dir() / "out"));
}

TEST_CASE("price --price-book DIR: the imported book bills ADR-0005 as the shipped one does, and names its SKUs") {
  std::filesystem::remove_all(test_dir());
  std::vector<std::string> args{"prices", "import"};
  for (const auto& f : us_east_1_files()) args.push_back(f);
  args.insert(args.end(), {"-o", (test_dir() / "books").string()});
  REQUIRE(cli(args).code == 0);
  const auto shipped = cli({"price", "scenarios/adr0005.yaml", "--format", "json"});
  const auto refreshed = cli({"price", "scenarios/adr0005.yaml", "--format", "json", "--price-book", (test_dir() / "books").string()});
  REQUIRE(shipped.code == refreshed.code);
  const auto a = nlohmann::json::parse(shipped.out);
  const auto b = nlohmann::json::parse(refreshed.out);
  REQUIRE(a["alternatives"].size() == b["alternatives"].size());
  for (std::size_t i = 0; i < a["alternatives"].size(); ++i) {
    CHECK(a["alternatives"][i]["cost"]["total_usd"] == b["alternatives"][i]["cost"]["total_usd"]);
    CHECK(b["alternatives"][i]["cost"]["missing_prices"].empty());
    CHECK(b["alternatives"][i]["cost"]["price_book"] == (test_dir() / "books" / "us-east-1.yaml").string());
  }
  CHECK(refreshed.out.find("SKU EXCERPT-USE1-ALB-HOUR, rate code EXCERPT-USE1-ALB-HOUR.JRTCKXETXF.6YS6EN2CT7") != std::string::npos);
}

TEST_CASE("price: a Region without a book is a located error naming the books there are and the import command") {
  std::filesystem::create_directories(test_dir());
  std::ofstream(test_dir() / "seoul.yaml") << "archsim: 1\nname: seoul\nregion: ap-northeast-2\nalternatives:\n  a:\n    title: a\n"
                                         "    topology:\n      zones: [ap-northeast-2a]\n      components:\n        bucket: {type: s3_bucket}\n";
  const auto r = cli({"price", (test_dir() / "seoul.yaml").string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("seoul.yaml:3:9: region: error: archsim has no price book for ap-northeast-2 (it has eu-central-1, eu-west-1, us-east-1, us-east-2, us-west-2); "
                   "write one from AWS's Price List with `archsim prices import FILE... -o DIR`") != std::string::npos);
}

TEST_CASE("price --price-book: a folder with no book of the scenario's Region is an error, not the shipped book in silence") {
  const auto dir = reference_scenario("foldered", "{free_tier: none}");
  std::filesystem::create_directories(dir / "books");
  std::ofstream(dir / "books" / "useast1.yaml") << "misnamed\n";
  const auto r = cli({"price", (dir / "foldered.yaml").string(), "--price-book", (dir / "books").string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("books: --price-book: error: holds no book of us-east-1: expected <region>.yaml files") != std::string::npos);
}

TEST_CASE("price --price-book: a price in another unit than archsim bills its key in is a located error") {
  const auto dir = reference_scenario("fortnight", "{free_tier: none}");
  std::filesystem::create_directories(dir / "books");
  std::string book = testing::read_file(std::filesystem::path(ARCHSIM_SOURCE_DIR) / "pricing" / "data" / "us-east-1.yaml");
  const std::string hour = "  elb.alb_hour:\n    service: Elastic Load Balancing\n";
  REQUIRE(book.find(hour) != std::string::npos);
  const auto unit = book.find("unit: hour", book.find(hour));
  book.replace(unit, 10, "unit: fortnight");
  std::ofstream(dir / "books" / "us-east-1.yaml") << book;
  const auto r = cli({"price", (dir / "fortnight.yaml").string(), "--price-book", (dir / "books").string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("prices.elb.alb_hour.unit: error: unit 'fortnight'; archsim bills elb.alb_hour per 'hour'") != std::string::npos);
}

TEST_CASE("price: a claim naming a price key no book or offer has is a located error with a did-you-mean, not a 'partly'") {
  const auto dir = reference_scenario("claimed", "{free_tier: none, claims: [{quote: q, prices: [elb.alb_hr], monthly_usd: 16.43}]}");
  for (const char* verb : {"price", "validate"}) {
    const auto r = cli({verb, (dir / "claimed.yaml").string()});
    INFO(verb << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("claimed.yaml:4:") != std::string::npos);
    CHECK(r.err.find("pricing.claims[0].prices[0]: error: unknown price key 'elb.alb_hr' (did you mean 'elb.alb_hour'?)") != std::string::npos);
  }
}

TEST_CASE("price refuses a workload run could not simulate, as run and validate do (one story)") {
  const auto dir = reference_scenario("half", "{free_tier: none}\nworkload:\n  horizon: 1h\n  arrivals: {rate: 2/s}\n  routes:\n    main: {share: 0.5}");
  for (const char* verb : {"price", "validate", "run"}) {
    const auto r = cli({verb, (dir / "half.yaml").string()});
    INFO(verb << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("workload.routes: error: expected route shares (the topology's, with the workload's overrides) that add up to 1") !=
          std::string::npos);
  }
}

TEST_CASE("price: pricing.max_book_age warns on stderr past the bound, dated by SOURCE_DATE_EPOCH, and the output stays the same") {
  const auto dir = reference_scenario("aged", "{max_book_age: 400d}");
  const auto price = [&](const char* epoch, const std::string& out) {
    test::ScopedEnv date("SOURCE_DATE_EPOCH", std::string(epoch));
    return cli({"price", (dir / "aged.yaml").string(), "-o", (dir / out).string()});
  };
  // us-east-1's oldest price is from 2026-03-18: 400 days later is 2027-04-22.
  const auto within = price("1808352000", "within.txt");  // 2027-04-22
  const auto beyond = price("1808438400", "beyond.txt");  // 2027-04-23
  CHECK(within.err.find("max_book_age") == std::string::npos);
  CHECK(beyond.err.find("aged.yaml:4:") != std::string::npos);
  CHECK(beyond.err.find(": pricing.max_book_age: warning: price book pricing/data/us-east-1.yaml (us-east-1): its oldest "
                        "price is from 2026-03-18, 401 days before 2027-04-23") != std::string::npos);
  CHECK(within.code == beyond.code);
  const std::string text = testing::read_file(dir / "beyond.txt");
  CHECK(text == testing::read_file(dir / "within.txt"));
  CHECK(text.find("max_book_age") == std::string::npos);
}

TEST_CASE("price: Fargate Spot with a book that has no Spot prices is a located error naming the books that have them") {
  // A book imported from the Price List has no Spot rows (Spot prices come from another feed).
  const auto dir = reference_scenario("spot", "{fargate: spot}");
  std::vector<std::string> args{"prices", "import"};
  for (const auto& f : us_east_1_files()) args.push_back(f);
  args.insert(args.end(), {"-o", (dir / "books").string()});
  REQUIRE(cli(args).code == 0);
  const auto r = cli({"price", (dir / "spot.yaml").string(), "--price-book", (dir / "books").string(), "-o", (dir / "out.txt").string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("spot.yaml:4:20: pricing.fargate: error: price book ") != std::string::npos);
  CHECK(r.err.find("has no Fargate Spot prices (fargate_spot.*) for us-east-1 (books with them: eu-central-1, eu-west-1, us-east-2, "
                   "us-west-2)") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out.txt"));
  // The bundled us-east-1 book has them.
  CHECK(cli({"price", (dir / "spot.yaml").string(), "-o", (dir / "out.txt").string()}).code != 2);
  // validate reads the book price and run read, so it refuses the same file with the same folder.
  const auto v = cli({"validate", (dir / "spot.yaml").string(), "--price-book", (dir / "books").string()});
  CHECK(v.code == 2);
  CHECK(v.err.find("spot.yaml:4:20: pricing.fargate: error: price book ") != std::string::npos);
  CHECK(cli({"validate", (dir / "spot.yaml").string()}).code != 2);
  // A folder that is not there is an error, never the shipped books in silence (run reads the
  // folder the same way, but this scenario has no workload to run).
  for (const std::string verb : {"validate", "price"}) {
    const auto missing = cli({verb, (dir / "spot.yaml").string(), "--price-book", (dir / "no-such-books").string()});
    INFO(verb);
    INFO(missing.err);
    CHECK(missing.code == 2);
    CHECK(missing.err.find("no-such-books: --price-book: error: no such folder; expected a folder of <region>.yaml price books") != std::string::npos);
  }
}

TEST_CASE("price --price-book DIR: a global table's replicated writes are priced from the folder's book for the replica's Region") {
  const auto dir = test_dir() / "replica";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "books");
  // A us-west-2 book with one price, 0.70 per million replicated writes (a test book).
  std::ofstream(dir / "books" / "us-west-2.yaml")
      << "archsim_price_book: 1\nregion: us-west-2\ncurrency: USD\nsources:\n  T: {title: a test book, url: https://example.com/}\n"
         "prices:\n  dynamodb.replicated_write_request_units:\n    service: Amazon DynamoDB\n    description: replicated write request units\n"
         "    unit: 1M requests\n    price: 0.70\n    source: T\n    as_of: 2026-12-07\n";
  std::ofstream(dir / "global.yaml") << "archsim: 1\nname: global\nregion: us-east-1\nusage:\n  orders: {write_units: 10M}\n"
                                        "alternatives:\n  a:\n    title: a\n    status: chosen\n    topology:\n      region: us-east-1\n"
                                        "      zones: [us-east-1a]\n      components:\n        orders: {type: dynamodb, replicas: [us-west-2]}\n";
  const auto r = cli({"price", (dir / "global.yaml").string(), "--format", "json", "--price-book", (dir / "books").string()});
  REQUIRE_MESSAGE(r.code != 2, r.err);
  const auto json = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& l : json["alternatives"][0]["cost"]["lines"]) {
    if (l["price"] != "dynamodb.replicated_write_request_units") continue;
    found = true;
    CHECK(l["usd"].get<double>() == doctest::Approx(7.0));
    CHECK(l["detail"] == "replicated to us-west-2, at its price");
  }
  CHECK(found);
  // Without the folder, the shipped us-west-2 book's rate: 10 M x 0.625.
  const auto shipped = cli({"price", (dir / "global.yaml").string(), "--format", "json"});
  REQUIRE_MESSAGE(shipped.code != 2, shipped.err);
  found = false;
  const auto shipped_json = nlohmann::json::parse(shipped.out);
  for (const auto& l : shipped_json["alternatives"][0]["cost"]["lines"]) {
    if (l["price"] != "dynamodb.replicated_write_request_units") continue;
    found = true;
    CHECK(l["usd"].get<double>() == doctest::Approx(6.25));
  }
  CHECK(found);
}
