#include "archsim/sim/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "archsim/model/units.hpp"

namespace archsim::sim {

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

namespace {

// z(0.99): the standard normal quantile that turns a p99/median ratio into a lognormal sigma.
constexpr double kZ99 = 2.3263478740408408;

std::string render(double value, bool duration) {
  if (duration) return model::format_duration(model::Duration{static_cast<std::int64_t>(std::llround(value))});
  return fmt::format("{:g}", value);
}

/// One value of the distribution's quantity, in its base unit.
bool decode_quantity(const YamlNode& node, const std::string& path, DecodeContext& ctx, Quantity quantity, double& out) {
  switch (quantity) {
    case Quantity::Duration: {
      model::Duration d;
      if (!model::decoding::decode_value(node, path, ctx, d)) return false;
      out = static_cast<double>(d.ns);
      return true;
    }
    case Quantity::Size: {
      model::Bytes b;
      if (!model::decoding::decode_value(node, path, ctx, b)) return false;
      out = static_cast<double>(b.count);
      return true;
    }
    case Quantity::Number: {
      if (!model::decoding::decode_value(node, path, ctx, out)) return false;
      if (out < 0 || !std::isfinite(out)) {
        ctx.error(node, path, "expected a number >= 0");
        return false;
      }
      return true;
    }
  }
  return false;
}

std::string_view unit_hint(Quantity quantity) {
  switch (quantity) {
    case Quantity::Duration: return "a duration such as 20ms";
    case Quantity::Size: return "a size such as 4KB";
    case Quantity::Number: return "a number";
  }
  return "";
}

}  // namespace

Distribution Distribution::constant(double value) { return Distribution{DistributionKind::Constant, value, 0, {}, {}}; }
Distribution Distribution::exponential(double mean) { return Distribution{DistributionKind::Exponential, mean, 0, {}, {}}; }
Distribution Distribution::lognormal(double median, double p99) {
  return Distribution{DistributionKind::Lognormal, std::log(median), std::log(p99 / median) / kZ99, {}, {}};
}
Distribution Distribution::uniform(double min, double max) { return Distribution{DistributionKind::Uniform, min, max, {}, {}}; }

std::int64_t Distribution::sample_whole(RandomStream& rng, double max) const {
  const double v = sample(rng);
  return v <= 0 ? 0 : static_cast<std::int64_t>(std::llround(std::min(v, max)));
}

double Distribution::sample(RandomStream& rng) const {
  switch (kind) {
    case DistributionKind::Constant: return a;
    case DistributionKind::Exponential: return rng.exponential(a);
    case DistributionKind::Lognormal: return std::exp(a + b * rng.normal());
    case DistributionKind::Uniform: return a + (b - a) * rng.uniform();
    case DistributionKind::Empirical: {
      const double u = rng.uniform();
      const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
      const auto i = static_cast<std::size_t>(std::min<std::ptrdiff_t>(it - cumulative.begin(),
                                                                          static_cast<std::ptrdiff_t>(values.size()) - 1));
      return values[i];
    }
  }
  return a;
}

double Distribution::mean() const {
  switch (kind) {
    case DistributionKind::Constant:
    case DistributionKind::Exponential: return a;
    case DistributionKind::Lognormal: return std::exp(a + b * b / 2);
    case DistributionKind::Uniform: return (a + b) / 2;
    case DistributionKind::Empirical: {
      double m = 0, previous = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        m += values[i] * (cumulative[i] - previous);
        previous = cumulative[i];
      }
      return m;
    }
  }
  return a;
}

double Distribution::support_min() const {
  switch (kind) {
    case DistributionKind::Constant:
    case DistributionKind::Uniform: return a;
    case DistributionKind::Exponential:
    case DistributionKind::Lognormal: return 0;
    case DistributionKind::Empirical: return values.empty() ? 0 : *std::min_element(values.begin(), values.end());
  }
  return a;
}

double Distribution::support_max() const {
  switch (kind) {
    case DistributionKind::Constant: return a;
    case DistributionKind::Uniform: return b;
    case DistributionKind::Exponential:
    case DistributionKind::Lognormal: return std::numeric_limits<double>::infinity();
    case DistributionKind::Empirical: return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  }
  return a;
}

double Distribution::share_above(double x) const {
  switch (kind) {
    case DistributionKind::Constant: return a > x ? 1 : 0;
    case DistributionKind::Exponential: return x <= 0 ? 1 : std::exp(-x / a);
    case DistributionKind::Lognormal:
      if (b <= 0) return std::exp(a) > x ? 1 : 0;
      return x <= 0 ? 1 : 0.5 * std::erfc((std::log(x) - a) / (b * std::sqrt(2.0)));
    case DistributionKind::Uniform:
      if (b <= a) return a > x ? 1 : 0;
      return std::clamp((b - x) / (b - a), 0.0, 1.0);
    case DistributionKind::Empirical: {
      double share = 0, previous = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] > x) share += cumulative[i] - previous;
        previous = cumulative[i];
      }
      return share;
    }
  }
  return 0;
}

Distribution Distribution::scaled(double factor) const {
  Distribution d = *this;
  switch (kind) {
    case DistributionKind::Lognormal: d.a += std::log(factor); break;
    case DistributionKind::Empirical:
      for (double& v : d.values) v *= factor;
      break;
    default:
      d.a *= factor;
      d.b *= factor;
  }
  return d;
}

std::string Distribution::describe(bool duration) const {
  switch (kind) {
    case DistributionKind::Constant: return render(a, duration);
    case DistributionKind::Exponential: return "exponential(mean " + render(a, duration) + ")";
    case DistributionKind::Lognormal:
      return "lognormal(median " + render(std::exp(a), duration) + ", p99 " + render(std::exp(a + b * kZ99), duration) + ")";
    case DistributionKind::Uniform: return "uniform(" + render(a, duration) + ".." + render(b, duration) + ")";
    case DistributionKind::Empirical: return fmt::format("empirical({} values, mean {})", values.size(), render(mean(), duration));
  }
  return "";
}

bool decode_distribution(const YamlNode& node, const std::string& path, DecodeContext& ctx, Quantity quantity,
                         Distribution& out) {
  ctx.sources.record(path, node.loc);
  if (node.is_scalar()) {
    double v = 0;
    if (!decode_quantity(node, path, ctx, quantity, v)) return false;
    out = Distribution::constant(v);
    return true;
  }
  if (!node.is_map() || node.entries.size() != 1) {
    ctx.error(node, path,
              fmt::format("expected {} or a map with one of constant, exponential, lognormal, uniform, empirical",
                          unit_hint(quantity)));
    return false;
  }
  const auto& entry = node.entries.front();
  const std::string kind_path = path + "." + entry.key;
  const std::vector<std::string> kinds{"constant", "exponential", "lognormal", "uniform", "empirical"};
  if (entry.key == "constant") {
    double v = 0;
    if (!decode_quantity(entry.value, kind_path, ctx, quantity, v)) return false;
    out = Distribution::constant(v);
    return true;
  }
  if (entry.key == "empirical") {
    Distribution d;
    d.kind = DistributionKind::Empirical;
    double total = 0;
    bool ok = true;
    model::decoding::for_each_item(entry.value, kind_path, ctx, [&](std::size_t, const std::string& p, MapReader& r) {
      double value = 0, weight = 0;
      const YamlNode* v = r.take_required("value");
      ok = v && decode_quantity(*v, r.child("value"), ctx, quantity, value) && ok;
      ok = r.required("weight", weight) && ok;
      if (weight <= 0 || !std::isfinite(weight)) {
        ctx.error(r.node(), p, "expected a weight > 0");
        ok = false;
      }
      d.values.push_back(value);
      total += weight;
      d.cumulative.push_back(total);
    });
    if (!ok) return false;
    if (d.values.empty()) {
      ctx.error(entry.value, kind_path, "expected at least one {value, weight} entry");
      return false;
    }
    for (double& c : d.cumulative) c /= total;
    out = std::move(d);
    return true;
  }
  if (entry.key != "exponential" && entry.key != "lognormal" && entry.key != "uniform") {
    ctx.error(node, kind_path, "unknown distribution '" + entry.key + "'" + model::did_you_mean(entry.key, kinds) +
                                   "; expected one of constant, exponential, lognormal, uniform, empirical");
    return false;
  }
  MapReader r(entry.value, kind_path, ctx);
  if (!r.ok()) return false;
  auto field = [&](std::string_view key, double& value) {
    const YamlNode* n = r.take_required(key);
    return n && decode_quantity(*n, r.child(key), ctx, quantity, value);
  };
  bool ok = true;
  if (entry.key == "exponential") {
    double mean = 0;
    ok = field("mean", mean);
    if (ok && mean <= 0) {
      ctx.error(entry.value, kind_path, "expected mean > 0");
      ok = false;
    }
    if (ok) out = Distribution::exponential(mean);
  } else if (entry.key == "lognormal") {
    double median = 0, p99 = 0;
    ok = field("median", median);
    ok = field("p99", p99) && ok;
    if (ok && (median <= 0 || p99 < median)) {
      ctx.error(entry.value, kind_path, "expected 0 < median <= p99");
      ok = false;
    }
    if (ok) out = Distribution::lognormal(median, p99);
  } else {
    double min = 0, max = 0;
    ok = field("min", min);
    ok = field("max", max) && ok;
    if (ok && max < min) {
      ctx.error(entry.value, kind_path, "expected min <= max");
      ok = false;
    }
    if (ok) out = Distribution::uniform(min, max);
  }
  r.finish();
  return ok;
}

}  // namespace archsim::sim
