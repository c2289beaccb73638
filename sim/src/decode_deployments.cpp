#include <fmt/format.h>

#include "archsim/model/schedule.hpp"
#include "decode_faults.hpp"

namespace archsim::sim::detail {

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

void decode_deployments(const YamlNode& node, const std::string& path, DecodeContext& ctx, const KnownNames& known, Duration horizon,
                        std::vector<DeploymentEventSpec>& out) {
  model::decoding::for_each_named(node, path, ctx, [&](const std::string& id, const std::string& dpath, MapReader& r) {
    DeploymentEventSpec d;
    d.id = id;
    d.path = dpath;
    required_component(r, "service", ctx, known, d.service);
    const bool has_at = r.optional("at", d.at);
    const bool has_schedule = r.optional("schedule", d.schedule);
    r.optional("timezone", d.timezone);
    if (has_at == has_schedule) {
      ctx.error(r.node(), dpath, "a deployment needs exactly one of `at` (a time from the start) or `schedule` (cron(...))");
    } else if (has_at && d.at->ns < 0) {
      ctx.error(*r.node().find("at"), r.child("at"), "expected a time from the start of the run");
    } else if (has_at) {
      check_starts_within(*r.node().find("at"), r.child("at"), ctx, *d.at, horizon);
    } else if (has_schedule) {
      std::string why;
      if (!model::parse_cron(d.schedule, d.timezone, why)) ctx.error(*r.node().find("schedule"), r.child("schedule"), why);
    }
    if (const YamlNode* release = r.take("release")) {
      MapReader rr(*release, r.child("release"), ctx);
      if (rr.optional("error_rate", d.release.error_rate) && !(d.release.error_rate >= 0 && d.release.error_rate <= 1)) {
        ctx.error(*release->find("error_rate"), rr.child("error_rate"), "expected a share of requests from 0 to 1");
      }
      if (const YamlNode* n = rr.take("added_latency")) {
        Distribution latency;
        if (decode_distribution(*n, rr.child("added_latency"), ctx, Quantity::Duration, latency)) d.release.added_latency = latency;
      }
      rr.finish();
    }
    r.finish();
    out.push_back(std::move(d));
  });
}

}  // namespace archsim::sim::detail
