// Reading an AWS Price List offer file (the JSON of the Price List Bulk API, format v1.0:
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html).
// Only what the import uses is checked: products with their attributes and the OnDemand terms;
// other terms (Reserved) and fields (disclaimer) are left alone, as AWS adds fields over time.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "archsim/model/json_check.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "../book_fields.hpp"
#include "price_list.hpp"

namespace archsim::pricing::price_list {

using model::YamlNode;

namespace {

constexpr std::string_view kFormatUrl = "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html";

/// Offer files are far larger than scenarios: the import caps of docs/limits.md apply.
model::YamlLimits offer_limits() {
  model::YamlLimits l;
  l.max_file_bytes = model::limits::kMaxImportFileBytes;
  l.max_nodes = model::limits::kMaxImportNodes;
  l.max_depth = static_cast<int>(model::limits::kMaxJsonDepth);
  return l;
}

class Reader {
 public:
  Reader(const std::string& file, model::Diagnostics& d) : file_(file), d_(d) {}

  void error(const YamlNode& at, const std::string& path, std::string message) { d_.error(at.loc, path, std::move(message)); }

  /// The string under `key` of map `node`; reports (when `required`) a missing or non-string value.
  std::optional<std::string> text(const YamlNode& node, std::string_view key, const std::string& path, bool required) {
    const YamlNode* v = node.find(key);
    const std::string at = path.empty() ? std::string(key) : path + "." + std::string(key);
    if (v == nullptr) {
      if (required) error(node, path, fmt::format("missing `{}`", key));
      return std::nullopt;
    }
    if (!v->is_scalar()) {
      error(*v, at, fmt::format("expected a string, found {}", model::kind_name(v->kind)));
      return std::nullopt;
    }
    return v->scalar;
  }

  const YamlNode* map(const YamlNode& node, std::string_view key, const std::string& path, bool required) {
    const YamlNode* v = node.find(key);
    const std::string at = path.empty() ? std::string(key) : path + "." + std::string(key);
    if (v == nullptr) {
      if (required) error(node, path, fmt::format("missing `{}`", key));
      return nullptr;
    }
    if (!v->is_map()) {
      error(*v, at, fmt::format("expected an object, found {}", model::kind_name(v->kind)));
      return nullptr;
    }
    return v;
  }

  /// A range bound: digits (a whole or decimal number of the price's unit) or `Inf`.
  std::optional<double> bound(const YamlNode& dim, std::string_view key, std::string_view alias, const std::string& path, double absent) {
    const YamlNode* v = dim.find(key);
    if (v == nullptr) v = dim.find(alias);
    if (v == nullptr) return absent;
    if (v->is_scalar() && v->scalar == "Inf") return std::numeric_limits<double>::infinity();
    double out = 0;
    const char* first = v->scalar.data();
    const char* last = first + v->scalar.size();
    const bool digits = v->is_scalar() && !v->scalar.empty() &&
                        std::all_of(v->scalar.begin(), v->scalar.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    const auto parsed = digits ? std::from_chars(first, last, out) : std::from_chars_result{first, std::errc::invalid_argument};
    if (parsed.ec != std::errc{} || parsed.ptr != last) {
      error(*v, path + "." + std::string(key), fmt::format("expected a number of units or Inf, found '{}'", v->is_scalar() ? v->scalar : ""));
      return std::nullopt;
    }
    return out;
  }

  std::optional<Dimension> dimension(const std::string& rate_code, const YamlNode& node, const std::string& path) {
    if (!node.is_map()) {
      error(node, path, fmt::format("expected a price dimension object, found {}", model::kind_name(node.kind)));
      return std::nullopt;
    }
    Dimension dim{.rate_code = rate_code, .loc = node.loc};
    const auto unit = text(node, "unit", path, true);
    const YamlNode* per_unit = map(node, "pricePerUnit", path, true);
    const auto usd = per_unit ? text(*per_unit, "USD", path + ".pricePerUnit", true) : std::nullopt;
    if (usd && !scaled_decimal(*usd, 0)) error(*per_unit->find("USD"), path + ".pricePerUnit.USD", "expected a plain decimal price such as 0.0225000000, found '" + *usd + "'");
    const auto begin = bound(node, "beginRange", "startingRange", path, 0.0);
    const auto end = bound(node, "endRange", "endingRange", path, std::numeric_limits<double>::infinity());
    if (!unit || !usd || !begin || !end || !scaled_decimal(*usd, 0)) return std::nullopt;
    if (*end <= *begin) {
      error(node, path, fmt::format("endRange {} is not above beginRange {}", *end, *begin));
      return std::nullopt;
    }
    dim.unit = *unit;
    dim.usd = *usd;
    dim.begin = *begin;
    dim.end = *end;
    dim.description = text(node, "description", path, false).value_or("");
    return dim;
  }

  std::optional<Term> term(const std::string& code, const YamlNode& node, const std::string& path) {
    if (!node.is_map()) {
      error(node, path, fmt::format("expected an offer term object, found {}", model::kind_name(node.kind)));
      return std::nullopt;
    }
    Term t{.code = code, .loc = node.loc};
    t.effective_date = text(node, "effectiveDate", path, false).value_or("");
    if (!t.effective_date.empty() && !detail::is_iso_time(t.effective_date)) {
      error(*node.find("effectiveDate"), path + ".effectiveDate", "expected an ISO 8601 time such as 2026-08-01T00:00:00Z, found '" + t.effective_date + "'");
    }
    const YamlNode* dims = map(node, "priceDimensions", path, true);
    if (dims == nullptr) return std::nullopt;
    bool ok = true;
    for (const auto& e : dims->entries) {
      auto d = dimension(e.key, e.value, path + ".priceDimensions." + e.key);
      if (d) t.dimensions.push_back(std::move(*d));
      else ok = false;
    }
    if (!ok) return std::nullopt;
    if (t.dimensions.empty()) {
      error(*dims, path + ".priceDimensions", "an on-demand term without a price dimension");
      return std::nullopt;
    }
    std::stable_sort(t.dimensions.begin(), t.dimensions.end(), [](const Dimension& a, const Dimension& b) { return a.begin < b.begin; });
    return t;
  }

  std::optional<Offer> offer(const YamlNode& root) {
    if (!root.is_map() || root.find("formatVersion") == nullptr || root.find("offerCode") == nullptr || root.find("products") == nullptr) {
      error(root, "", fmt::format("not an AWS Price List offer file: expected a JSON object with formatVersion, offerCode, version, "
                                  "publicationDate, products and terms ({})", kFormatUrl));
      return std::nullopt;
    }
    Offer o{.file = file_, .loc = root.loc};
    const auto format = text(root, "formatVersion", "", true);
    if (format && *format != "v1.0") error(*root.find("formatVersion"), "formatVersion", "offer file format '" + *format + "': this archsim reads v1.0");
    o.offer_code = text(root, "offerCode", "", true).value_or("");
    o.version = text(root, "version", "", true).value_or("");
    o.publication_date = text(root, "publicationDate", "", true).value_or("");
    o.published = o.publication_date.substr(0, 10);
    if (root.find("publicationDate") && !o.publication_date.empty() && !detail::is_iso_time(o.publication_date)) {
      error(*root.find("publicationDate"), "publicationDate", "expected an ISO 8601 time such as 2026-08-12T23:47:45Z, found '" + o.publication_date + "'");
    }
    if (const YamlNode* products = map(root, "products", "", true)) {
      for (const auto& e : products->entries) {
        const std::string path = "products." + e.key;
        if (!e.value.is_map()) {
          error(e.value, path, fmt::format("expected a product object, found {}", model::kind_name(e.value.kind)));
          continue;
        }
        Product p{.sku = e.key, .loc = e.value.loc};
        if (const auto sku = text(e.value, "sku", path, false); sku && *sku != e.key) {
          error(*e.value.find("sku"), path + ".sku", "sku '" + *sku + "' differs from the product's key '" + e.key + "'");
        }
        p.family = text(e.value, "productFamily", path, false).value_or("");
        if (const YamlNode* attributes = map(e.value, "attributes", path, true)) {
          for (const auto& a : attributes->entries) {
            if (const auto v = text(*attributes, a.key, path + ".attributes", true)) p.attributes[a.key] = *v;
          }
        }
        o.products.push_back(std::move(p));
      }
    }
    std::sort(o.products.begin(), o.products.end(), [](const Product& a, const Product& b) { return a.sku < b.sku; });
    const YamlNode* terms = map(root, "terms", "", true);
    const YamlNode* on_demand = terms ? map(*terms, "OnDemand", "terms", false) : nullptr;
    for (const auto& e : on_demand ? on_demand->entries : std::vector<YamlNode::Entry>{}) {
      const std::string path = "terms.OnDemand." + e.key;
      const auto product = std::lower_bound(o.products.begin(), o.products.end(), e.key, [](const Product& p, const std::string& k) { return p.sku < k; });
      if (product == o.products.end() || product->sku != e.key) {
        error(e.value, path, "terms for SKU '" + e.key + "', which is not among the file's products");
        continue;
      }
      if (!e.value.is_map()) {
        error(e.value, path, fmt::format("expected the SKU's terms by offer term code, found {}", model::kind_name(e.value.kind)));
        continue;
      }
      for (const auto& t : e.value.entries) {
        if (auto parsed = term(t.key, t.value, path + "." + t.key)) product->on_demand.push_back(std::move(*parsed));
      }
    }
    return o;
  }

 private:
  const std::string& file_;
  model::Diagnostics& d_;
};

}  // namespace

const std::string* Product::attribute(std::string_view name) const {
  const auto it = attributes.find(std::string(name));
  return it == attributes.end() ? nullptr : &it->second;
}

std::optional<Offer> read_offer(std::string_view text, const std::string& file, model::Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  if (text.size() > model::limits::kMaxImportFileBytes) {
    diagnostics.error(model::SourceLoc{file, 0, 0}, "",
                      fmt::format("is {} bytes, over the {}-byte limit for an offer file", text.size(), model::limits::kMaxImportFileBytes));
    return std::nullopt;
  }
  if (!model::check_json(text, file, "an AWS Price List offer file", diagnostics)) return std::nullopt;
  // JSON is YAML 1.2: the located reader gives every value its line and column, with its caps.
  const auto root = model::parse_yaml(text, file, diagnostics, offer_limits());
  if (!root) return std::nullopt;
  Reader reader(file, diagnostics);
  auto offer = reader.offer(*root);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return offer;
}

std::optional<std::string> scaled_decimal(std::string_view text, int exponent) {
  const auto point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  const auto is_digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (whole.empty() || !is_digits(whole) || !is_digits(fraction) || (point != std::string_view::npos && fraction.empty())) return std::nullopt;
  std::string digits = std::string(whole) + std::string(fraction);
  auto at = static_cast<long>(whole.size()) + exponent;  // where the point goes in `digits`
  while (at > static_cast<long>(digits.size())) digits += '0';
  while (at <= 0) {
    digits.insert(digits.begin(), '0');
    ++at;
  }
  std::string int_part = digits.substr(0, static_cast<std::size_t>(at));
  std::string frac_part = digits.substr(static_cast<std::size_t>(at));
  int_part.erase(0, std::min(int_part.find_first_not_of('0'), int_part.size() - 1));
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
  return frac_part.empty() ? int_part : int_part + "." + frac_part;
}

}  // namespace archsim::pricing::price_list
