// Scenario comments agree with their settings and quote their design documents exactly. A
// scenario is read by people deciding whether it encodes its document faithfully; a comment
// that says "one billing month" beside a one-week horizon, or quotes words the document does
// not contain, misleads them while every test stays green. The rules are spelled out in
// tests/README.md ("Scenario comment lint").
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/units.hpp"
#include "repo_files.hpp"

namespace archsim::testing {
namespace {

using model::Duration;

// ------------------------------------------------------------------------------- YAML text

struct CommentBlock {
  std::size_t line = 0;  // 1-based line of the block's first comment
  std::string text;      // the comments joined by single spaces, without '#'
};

struct Setting {
  std::size_t line = 0;
  std::string key;    // the key before ':'
  std::string value;  // the rest of the line, trimmed, without its comment
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

// Where a line's comment starts: a '#' at the start of the line or after a blank, outside a
// double-quoted string. npos when there is none.
std::size_t comment_start(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '#' && !quoted && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

struct YamlText {
  std::vector<CommentBlock> blocks;  // consecutive full-line comments form one block; a trailing comment is its own
  std::vector<Setting> settings;     // every `key: value` line (values of nested keys too)
  // For a setting's line, the comment attached to it: its trailing comment and the full-line
  // block that ends on the line above.
  std::map<std::size_t, std::string> attached;
};

YamlText scan(std::string_view text) {
  YamlText yaml;
  std::optional<CommentBlock> open;  // the full-line block being collected
  std::size_t number = 0;
  const std::regex setting_re(R"(^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.-]*):(?:\s+(.*))?$)");
  for (const std::string_view raw : split_lines(text)) {
    ++number;
    const std::size_t hash = comment_start(raw);
    const std::string_view code = hash == std::string_view::npos ? raw : raw.substr(0, hash);
    const std::string comment = hash == std::string_view::npos ? "" : std::string(trim(raw.substr(hash + 1)));
    if (trim(code).empty() && hash != std::string_view::npos) {
      if (!open) open = CommentBlock{number, ""};
      if (!open->text.empty()) open->text += ' ';
      open->text += comment;
      continue;
    }
    std::string above;
    if (open) {
      above = open->text;
      yaml.blocks.push_back(std::move(*open));
      open.reset();
    }
    if (!comment.empty()) yaml.blocks.push_back({number, comment});
    std::smatch m;
    const std::string line(code);
    if (std::regex_match(line, m, setting_re)) {
      yaml.settings.push_back({number, m[1].str(), std::string(trim(m[2].str()))});
      if (!trim(code).empty()) yaml.attached[number] = above.empty() ? comment : above + (comment.empty() ? "" : " " + comment);
    }
  }
  if (open) yaml.blocks.push_back(std::move(*open));
  return yaml;
}

std::vector<std::string> values_of(const YamlText& yaml, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& s : yaml.settings) {
    if (s.key == key) out.push_back(s.value);
  }
  return out;
}

// Inline flow maps (`{start: 2d14h, duration: 30m}`) hold settings too: `key: value` pairs.
std::vector<std::string> flow_values_of(std::string_view text, const std::string& key) {
  std::vector<std::string> out;
  const std::regex re("(?:^|[\\s{,])" + key + R"(:\s*([^,}\s#]+))");
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) out.push_back((*it)[1].str());
  return out;
}

std::string without_code_spans(std::string_view text) {
  std::string out;
  bool code = false;
  for (char c : text) {
    if (c == '`') {
      code = !code;
      continue;
    }
    if (!code) out += c;
  }
  return out;
}

// ------------------------------------------------------------------------------- quotes

// Text as compared for quotes: typographic hyphens, dashes, quotes and arrows in their ASCII
// form, whitespace runs as one blank, and no Markdown code marks (a quote may keep or drop
// them); for a document also without Markdown emphasis (`*`) and double quotes, which a quote
// in a YAML comment cannot carry.
std::string normalise(std::string_view text, bool document) {
  static const std::array<std::pair<std::string_view, std::string_view>, 14> kAscii = {{
      {"\u2011", "-"}, {"\u2010", "-"}, {"\u2012", "-"}, {"\u2013", "-"}, {"\u2014", "-"}, {"\u2212", "-"},
      {"\u2192", "->"}, {"\u279d", "->"}, {"\u2194", "<->"}, {"\u2018", "'"}, {"\u2019", "'"},
      {"\u201c", "\""}, {"\u201d", "\""}, {"\u2026", "..."},
  }};
  std::string s(text);
  for (const auto& [from, to] : kAscii) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  }
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == '`' || (document && (c == '*' || c == '"'))) continue;
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// A quote is found when its parts, split at "...", appear in the document in order. The first
// letter may differ in case (a quote opening mid-sentence).
bool quoted_in(std::string_view quote, std::string_view document) {
  std::string q = normalise(quote, false);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= q.size()) {
    const std::size_t dots = q.find("...", start);
    const std::size_t stop = dots == std::string::npos ? q.size() : dots;
    const std::string part(trim(std::string_view(q).substr(start, stop - start)));
    if (!part.empty()) parts.push_back(part);
    if (dots == std::string::npos) break;
    start = dots + 3;
  }
  if (parts.empty()) return true;
  std::size_t pos = 0;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::size_t at = document.find(parts[k], pos);
    if (at == std::string_view::npos && k == 0) {
      std::string other = parts[k];
      const unsigned char first = static_cast<unsigned char>(other[0]);
      other[0] = static_cast<char>(std::isupper(first) != 0 ? std::tolower(first) : std::toupper(first));
      at = document.find(other, pos);
    }
    if (at == std::string_view::npos) return false;
    pos = at + parts[k].size();
  }
  return true;
}

// ------------------------------------------------------------------------------- the lint

struct Input {
  std::string file;                            // repository-relative path of the scenario or topology
  std::string text;                            // its text
  std::vector<std::string> related_texts;      // topology files a scenario uses (their vcpu settings count)
};

struct Finding {
  std::size_t line;
  std::string message;
};

const std::regex& design_citation() {
  static const std::regex re(R"(((?:\.\./)+docs/designs/[A-Za-z0-9_.-]+\.md))");
  return re;
}

// The text of a repository file named by a path relative to `from` or to the root; nullopt if
// neither resolves to a file the repository holds.
std::optional<std::string> cited_text(const std::string& from, const std::string& path) {
  const auto& repo = repo_files();
  for (const auto& candidate : {resolve_in_repo(from, path), resolve_in_repo("", path)}) {
    if (candidate && std::binary_search(repo.files.begin(), repo.files.end(), *candidate)) {
      if (auto text = read_text(repo.root / *candidate)) return text;
    }
  }
  return std::nullopt;
}

std::optional<Duration> duration_of(std::string_view count, std::string_view unit) {
  static const std::map<std::string, std::int64_t, std::less<>> kWords = {{"a", 1}, {"an", 1}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}};
  std::string lower(count);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::int64_t n = 0;
  if (auto w = kWords.find(lower); w != kWords.end()) {
    n = w->second;
  } else {
    n = std::stoll(lower);
  }
  std::string u(unit);
  std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (u == "hour") return Duration::hours(n);
  if (u == "day") return Duration::days(n);
  if (u == "week") return Duration::days(7 * n);
  if (u == "month") return Duration::hours(730 * n);  // the billing month archsim uses
  return std::nullopt;
}

std::vector<Finding> lint(const Input& in) {
  std::vector<Finding> findings;
  const YamlText yaml = scan(in.text);

  // 1. The design document, cited by relative path.
  std::optional<std::string> design;
  for (const auto& block : yaml.blocks) {
    std::smatch m;
    if (!std::regex_search(block.text, m, design_citation())) continue;
    const auto resolved = resolve_in_repo(in.file, m[1].str());
    if (!resolved || !std::binary_search(repo_files().files.begin(), repo_files().files.end(), *resolved)) {
      findings.push_back({block.line, "cites " + m[1].str() + ", which does not resolve to a file from " + in.file});
    } else {
      design = read_text(repo_files().root / *resolved);
    }
    break;
  }
  if (!design) {
    if (findings.empty()) {
      findings.push_back({1, "no comment cites the design document this file encodes (docs/designs/<name>.md, by a path relative to the file)"});
    }
    return findings;
  }
  const std::string design_text = normalise(*design, true);

  // 2. Quotes: from the file named just before them in the same comment, a web page named just
  //    after them, or else the design document.
  const std::regex cited_file(R"(((?:\.\./)*[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.md))");
  const auto check_quote = [&](std::size_t line, const std::string& quote, const std::string& before) {
    std::string source = design_text;
    std::string source_name = "the design document";
    std::string last_file;
    for (auto it = std::sregex_iterator(before.begin(), before.end(), cited_file); it != std::sregex_iterator(); ++it) last_file = (*it)[1].str();
    if (!last_file.empty()) {
      if (auto text = cited_text(in.file, last_file)) {
        source = normalise(*text, true);
        source_name = last_file;
      }
    }
    if (!quoted_in(quote, source)) findings.push_back({line, "\"" + quote + "\" is not in " + source_name});
  };
  for (const auto& block : yaml.blocks) {
    const std::string& t = block.text;
    if (std::count(t.begin(), t.end(), '"') % 2 != 0) {
      findings.push_back({block.line, "unbalanced double quote in a comment"});
      continue;
    }
    for (std::size_t open = t.find('"'); open != std::string::npos; open = t.find('"', open + 1)) {
      const std::size_t close = t.find('"', open + 1);
      const std::string quote = t.substr(open + 1, close - open - 1);
      const std::string_view after = trim(std::string_view(t).substr(close + 1));
      if (!(after.starts_with("(http") || after.starts_with("http"))) check_quote(block.line, quote, t.substr(0, open));
      open = close;
    }
  }
  for (const auto& s : yaml.settings) {
    if (s.key == "quote" && s.value.size() >= 2 && s.value.front() == '"' && s.value.back() == '"') {
      check_quote(s.line, s.value.substr(1, s.value.size() - 2), "");
    }
  }

  // 3. The simulated span: "one simulated week" anywhere, and a comment attached to `horizon:`
  //    that opens with a span ("One week, ...", "one billing month (730 hours)").
  const auto horizons = values_of(yaml, "horizon");
  if (!horizons.empty()) {
    const auto horizon = model::parse_duration(horizons.front());
    const std::regex simulated(R"(\b(one|an?|two|three|four|\d+) simulated (?:billing )?(hour|day|week|month)s?\b)", std::regex::icase);
    const std::regex opening(R"(^(one|an?|two|three|four|\d+) (?:billing )?(hour|day|week|month)s?\b)", std::regex::icase);
    const auto claim = [&](std::size_t line, const std::smatch& m) {
      const auto said = duration_of(m[1].str(), m[2].str());
      if (horizon && said && *said != *horizon) {
        findings.push_back({line, "comment says \"" + m[0].str() + "\" but horizon is " + horizons.front()});
      }
    };
    for (const auto& block : yaml.blocks) {
      const std::string t = without_code_spans(block.text);
      for (auto it = std::sregex_iterator(t.begin(), t.end(), simulated); it != std::sregex_iterator(); ++it) claim(block.line, *it);
    }
    for (const auto& s : yaml.settings) {
      if (s.key != "horizon") continue;
      const std::string t = without_code_spans(yaml.attached.count(s.line) != 0 ? yaml.attached.at(s.line) : "");
      std::smatch m;
      if (std::regex_search(t, m, opening)) claim(s.line, m);
    }
  }

  // 4. Task sizes: "N vCPU" in a comment is the vcpu of a task this file (or the topology it
  //    uses) defines.
  std::vector<double> vcpus;
  for (const auto& v : flow_values_of(in.text, "vcpu")) vcpus.push_back(std::stod(v));
  for (const auto& related : in.related_texts) {
    for (const auto& v : flow_values_of(related, "vcpu")) vcpus.push_back(std::stod(v));
  }
  // A number a comment states (the first group of `said`) must be one of `allowed`.
  const auto check_said = [&](const std::regex& said, const std::vector<double>& allowed, const std::string& otherwise) {
    for (const auto& block : yaml.blocks) {
      for (auto it = std::sregex_iterator(block.text.begin(), block.text.end(), said); it != std::sregex_iterator(); ++it) {
        const double value = std::stod((*it)[1].str());
        if (std::none_of(allowed.begin(), allowed.end(), [&](double v) { return v == value; })) {
          findings.push_back({block.line, "comment says \"" + (*it)[0].str() + "\" but " + otherwise});
        }
      }
    }
  };
  check_said(std::regex(R"((\d+(?:\.\d+)?) ?vCPU\b)", std::regex::icase), vcpus, "no task here has that vcpu");

  // 5. Arrival rates: "N requests/s" in a comment is a `rate:` of this file.
  std::vector<double> rates;
  for (const auto& r : flow_values_of(in.text, "rate")) {
    if (r.ends_with("/s")) rates.push_back(std::stod(r));
  }
  if (!rates.empty()) check_said(std::regex(R"((\d+(?:\.\d+)?) requests?/s\b)"), rates, "no arrival rate is that");

  // 6. Times in the run: "day 3 at 10:00", "day 3 (Wednesday) at 10:00" or "Wednesday at 10:00"
  //    is an `at:` or `start:` of this file (the run starts on a Monday at midnight).
  std::vector<Duration> times;
  for (const auto* key : {"at", "start"}) {
    for (const auto& v : flow_values_of(in.text, key)) {
      if (auto d = model::parse_duration(v)) times.push_back(*d);
    }
  }
  if (values_of(yaml, "start_weekday").empty()) {
    static const std::array<std::string_view, 7> kDays = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const std::regex when(R"(\b(?:day (\d+)(?: \((\w+)\))?|(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)) at (\d{1,2}):(\d{2})\b)");
    for (const auto& block : yaml.blocks) {
      for (auto it = std::sregex_iterator(block.text.begin(), block.text.end(), when); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        std::vector<std::int64_t> day_indexes;
        if (m[1].matched) day_indexes.push_back(std::stoll(m[1].str()) - 1);
        for (const auto* name : {&m[2], &m[3]}) {
          if (!name->matched) continue;
          std::string lower = name->str();
          std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
          const auto day = std::find(kDays.begin(), kDays.end(), lower);
          day_indexes.push_back(day == kDays.end() ? -1 : day - kDays.begin());
        }
        const Duration clock = Duration::hours(std::stoll(m[4].str())) + Duration::minutes(std::stoll(m[5].str()));
        for (const auto index : day_indexes) {
          const Duration said = Duration::days(index) + clock;
          if (index < 0 || std::find(times.begin(), times.end(), said) == times.end()) {
            findings.push_back({block.line, "comment says \"" + m[0].str() + "\" but nothing in the file happens then (at: / start:)"});
            break;
          }
        }
      }
    }
  }
  return findings;
}

std::string describe(const std::string& file, const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += file + ":" + std::to_string(f.line) + ": " + f.message + "\n";
  return out;
}

Input input_for(const std::string& file) {
  const auto& repo = repo_files();
  Input in{file, read_text(repo.root / file).value_or(""), {}};
  for (const auto& topology : values_of(scan(in.text), "topology")) {
    if (auto text = cited_text(file, topology)) in.related_texts.push_back(*text);
  }
  return in;
}

// An excerpt of scenarios/adr0005.yaml before issue 16: the drift the lint exists to catch. Its
// relative citation is split (`..)" R"(/docs`) so that this file cites no path itself
// (foreign_paths_test.cpp).
constexpr std::string_view kDriftedAdr0005 = R"(# Encodes ..)" R"(/docs/designs/adr-0005-networking-model.md:
# ASSUMPTION: the ADR gives no traffic figures. A small public API: 20 requests/s at the daily
# peak, a business-hours daily profile (quiet at night), half the traffic at weekends, and a
# 30-minute launch burst at 5x on day 3. One simulated billing month, so the bill is measured,
# not extrapolated (`--horizon 1d` for a quick look; the bill then states its scaling).
workload:
  # One week, four independent replications: every headline figure (latency, availability,
  # monthly cost) comes with a 95 % confidence interval. The bill stretches the week to the
  # 730-hour month and says so; `--horizon 730h` simulates a whole billing month instead.
  horizon: 7d
  arrivals:
    rate: 20/s
    bursts:
      - {start: 2d14h, duration: 30m, multiplier: 5}
  # Every alternative meets the same fault: AWS FIS's "AZ Availability: Power Interruption"
  # scenario on us-east-1a for its default 30 minutes, on Wednesday at 10:00, in business
  # hours. ASSUMPTION: the ADR names no failure; a zone loss is what its "ALB in public
  # subnets across zones" choice is meant to survive.
  faults:
    zone-a-power:
      fis_scenario: az-power-interruption
      zone: us-east-1a
      at: 2d10h
  components:
    # ASSUMPTION: the FastAPI handler takes 25 ms at the median and 200 ms at p99 on the
    # 0.5 vCPU task; a Lambda running the same code through an adapter takes as long.
    api:
      service_time: {lognormal: {median: 25ms, p99: 200ms}}
alternatives:
  alb-private-tasks:
    topology: topologies/adr0005-alb-private-tasks.yaml
)";

}  // namespace

TEST_CASE("scenario lint: quotes are compared as text, ellipses and typography aside") {
  const std::string doc = normalise("**The platform** will use a `public` ALB\u2011based \"edge\" \u2192 tasks.\n- Exposes workloads", true);
  CHECK(quoted_in("The platform will use a public ALB-based edge -> tasks.", doc));
  CHECK(quoted_in("platform ... ALB-based", doc));
  CHECK(quoted_in("exposes workloads", doc));  // first letter's case only
  CHECK_FALSE(quoted_in("ALB ... The platform", doc));  // parts out of order
  CHECK_FALSE(quoted_in("EXPOSES workloads", doc));
  CHECK_FALSE(quoted_in("public ALB in public subnets", doc));
}

TEST_CASE("scenario lint: the drifted ADR-0005 scenario of issue 16 fails on each drift") {
  Input in{"scenarios/adr0005.yaml", std::string(kDriftedAdr0005), {}};
  if (auto topology = read_text(repo_files().root / "scenarios/topologies/adr0005-alb-private-tasks.yaml")) in.related_texts.push_back(*topology);
  const auto findings = lint(in);
  const std::string text = describe(in.file, findings);
  INFO(text);
  CHECK(findings.size() == 4);
  CHECK(text.find("\"One simulated billing month\" but horizon is 7d") != std::string::npos);
  CHECK(text.find("\"0.5 vCPU\" but no task here") != std::string::npos);
  CHECK(text.find("\"ALB in public subnets across zones\" is not in the design document") != std::string::npos);
  CHECK(text.find("\"AZ Availability: Power Interruption\" is not in the design document") != std::string::npos);
}

TEST_CASE("scenario lint: a file must cite its design document by a path that resolves") {
  const auto uncited = lint({"scenarios/x.yaml", "# A scenario.\nworkload: {horizon: 7d}\n", {}});
  REQUIRE(uncited.size() == 1);
  CHECK(uncited[0].message.find("no comment cites the design document") != std::string::npos);
  const auto dangling = lint({"scenarios/topologies/x.yaml", "# Encodes ..\x2f" "docs/designs/adr-0005-networking-model.md\n", {}});
  REQUIRE(dangling.size() == 1);  // one ../ short from topologies/
  CHECK(dangling[0].message.find("does not resolve") != std::string::npos);
}

TEST_CASE("scenario lint: settings and comments that agree pass") {
  Input in{"scenarios/adr0005.yaml", R"(# Encodes ..)" R"(/docs/designs/adr-0005-networking-model.md: "ADR-0005: Networking Model"
workload:
  # One week; 20 requests/s; "Security groups strictly control inbound and outbound traffic".
  horizon: 7d  # one simulated week
  arrivals: {rate: 20/s}
  # AWS FIS's "AZ Availability: Power Interruption" (https://docs.aws.amazon.com/fis/) on day 3 (Wednesday) at 10:00,
  # and on Thursday at 16:00; see docs/designs/README.md, "encoded by".
  faults: {a: {at: 2d10h}, b: {at: 3d16h}}
  vcpu: 0.25  # the 0.25 vCPU task
)", {}};
  const auto findings = lint(in);
  CHECK_MESSAGE(findings.empty(), describe(in.file, findings));
}

TEST_CASE("scenario lint: every shipped scenario and topology agrees with its settings and its document") {
  const auto& repo = repo_files();
  std::size_t checked = 0;
  std::string report;
  for (const auto& file : repo.files) {
    if (!file.starts_with("scenarios/") || !file.ends_with(".yaml")) continue;
    ++checked;
    report += describe(file, lint(input_for(file)));
  }
  CHECK(checked >= 10);
  CHECK_MESSAGE(report.empty(), "scenario comment drift (tests/README.md, \"Scenario comment lint\"):\n" << report);
}

}  // namespace archsim::testing
