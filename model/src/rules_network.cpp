// Rules about addressing, routing, egress and exposure.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "archsim/model/rules.hpp"
#include "archsim/model/security_groups.hpp"
#include "rule_helpers.hpp"

namespace archsim::model::rules {

using detail::parsed;

void cidr_syntax(const ReviewInput& in, FindingSink& sink) {
  auto check = [&](const CidrText& c) {
    const auto result = parse_cidr(c.text);
    if (!result.cidr) sink.report(c.path, result.detail);
  };
  for (const auto& vpc : in.topology.vpcs) {
    for (const auto* block : detail::vpc_blocks(vpc)) check(*block);
  }
  for (const auto& s : in.topology.subnets) check(s.cidr);
  for (const auto& rt : in.topology.route_tables) {
    for (const auto& r : rt.routes) check(r.destination);
  }
  for (const auto& sg : in.topology.security_groups) {
    for (const auto* rules : {&sg.ingress, &sg.egress}) {
      for (const auto& r : *rules) {
        if (r.cidr) check(*r.cidr);
      }
    }
  }
}

void vpc_cidr_size(const ReviewInput& in, FindingSink& sink) {
  const AwsFacts& f = in.facts;
  for (const auto& vpc : in.topology.vpcs) {
    const auto blocks = detail::vpc_blocks(vpc);
    for (const auto* block : blocks) {
      const auto c = parsed(*block);
      if (!c) continue;
      if (c->prefix < f.vpc_min_prefix || c->prefix > f.vpc_max_prefix) {
        sink.report(block->path, fmt::format("VPC block {} is a /{}; AWS allows /{} to /{}", block->text, c->prefix,
                                             f.vpc_min_prefix, f.vpc_max_prefix));
      }
      for (const auto& forbidden : f.vpc_forbidden) {
        if (forbidden.overlaps(*c)) {
          sink.report(block->path, fmt::format("VPC block {} overlaps {}, which AWS does not allow for VPCs",
                                               block->text, to_string(forbidden)));
        }
      }
    }
    if (static_cast<int>(blocks.size()) > f.max_cidr_blocks_per_vpc) {
      sink.report(vpc.path + ".secondary_cidrs",
                  fmt::format("VPC {} has {} CIDR blocks; the default quota is {} (primary included)", vpc.id,
                              blocks.size(), f.max_cidr_blocks_per_vpc));
    }
  }
  for (const auto& s : in.topology.subnets) {
    const auto c = parsed(s.cidr);
    if (c && (c->prefix < f.subnet_min_prefix || c->prefix > f.subnet_max_prefix)) {
      sink.report(s.cidr.path, fmt::format("subnet block {} is a /{}; AWS allows /{} to /{}", s.cidr.text, c->prefix,
                                           f.subnet_min_prefix, f.subnet_max_prefix));
    }
  }
}

void subnet_outside_vpc(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.subnets) {
    const VpcSpec* vpc = in.topology.vpc(s.vpc);
    const auto c = parsed(s.cidr);
    if (vpc == nullptr || !c) continue;
    std::vector<std::string> texts;
    bool inside = false;
    for (const auto* block : detail::vpc_blocks(*vpc)) {
      texts.push_back(block->text);
      const auto b = parsed(*block);
      inside = inside || (b && b->contains(*c));
    }
    if (!inside) {
      sink.report(s.cidr.path, fmt::format("subnet {} ({}) is not inside any block of VPC {} ({})", s.id, s.cidr.text,
                                           vpc->id, fmt::join(texts, ", ")));
    }
  }
}

void subnet_overlap(const ReviewInput& in, FindingSink& sink) {
  const auto& subnets = in.topology.subnets;
  for (std::size_t i = 0; i < subnets.size(); ++i) {
    for (std::size_t j = i + 1; j < subnets.size(); ++j) {
      if (subnets[i].vpc != subnets[j].vpc) continue;
      const auto a = parsed(subnets[i].cidr);
      const auto b = parsed(subnets[j].cidr);
      if (a && b && a->overlaps(*b)) {
        sink.report(subnets[j].cidr.path, fmt::format("subnet {} ({}) overlaps subnet {} ({})", subnets[j].id,
                                                      subnets[j].cidr.text, subnets[i].id, subnets[i].cidr.text));
      }
    }
  }
  for (const auto& vpc : in.topology.vpcs) {
    const auto blocks = detail::vpc_blocks(vpc);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      for (std::size_t j = i + 1; j < blocks.size(); ++j) {
        const auto a = parsed(*blocks[i]);
        const auto b = parsed(*blocks[j]);
        if (a && b && a->overlaps(*b)) {
          sink.report(blocks[j]->path, fmt::format("VPC block {} overlaps block {} of the same VPC", blocks[j]->text,
                                                   blocks[i]->text));
        }
      }
    }
  }
}

void vpc_cidr_not_rfc1918(const ReviewInput& in, FindingSink& sink) {
  for (const auto& vpc : in.topology.vpcs) {
    for (const auto* block : detail::vpc_blocks(vpc)) {
      const auto c = parsed(*block);
      if (!c || in.facts.is_rfc1918(*c) || in.facts.shared_address_space.contains(*c)) continue;
      std::string near;
      if ((c->network >> 24) == 172) near = " (the RFC 1918 range 172.16.0.0/12 runs from 172.16 to 172.31)";
      sink.report(block->path,
                  fmt::format("{} is publicly routable address space, not RFC 1918{}; AWS accepts it, but the VPC's "
                              "hosts can no longer reach the real owners of those addresses, and AWS does not route "
                              "it from the internet",
                              block->text, near));
    }
  }
}

void vpc_secondary_cidr_restricted(const ReviewInput& in, FindingSink& sink) {
  for (const auto& vpc : in.topology.vpcs) {
    std::vector<Ipv4Cidr> existing;
    if (const auto primary = parsed(vpc.cidr)) existing.push_back(*primary);
    for (const auto& secondary : vpc.secondary_cidrs) {
      const auto added = parsed(secondary);
      if (!added) continue;
      for (const auto& row : in.facts.secondary_restrictions) {
        const auto matching = std::find_if(existing.begin(), existing.end(), [&](const Ipv4Cidr& e) {
          if (row.existing_in) return row.existing_in->contains(e);
          return !in.facts.is_rfc1918(e) && !in.facts.benchmark_range.contains(e);  // public or 100.64/10 row
        });
        if (matching == existing.end()) continue;
        for (const auto& restricted : row.restricted) {
          if (restricted.overlaps(*added)) {
            sink.report(secondary.path,
                        fmt::format("{} cannot be added to a VPC that has {}: AWS restricts {} next to it",
                                    secondary.text, to_string(*matching), to_string(restricted)));
          }
        }
        for (const auto& cond : row.conditional) {
          const bool applies = std::any_of(existing.begin(), existing.end(),
                                           [&](const Ipv4Cidr& e) { return cond.if_existing_in.contains(e); });
          for (const auto& restricted : cond.restricted) {
            if (applies && restricted.overlaps(*added)) {
              sink.report(secondary.path, fmt::format("{} cannot be added while a block lies in {}", secondary.text,
                                                      to_string(cond.if_existing_in)));
            }
          }
        }
      }
      existing.push_back(*added);
    }
  }
}

void zone_not_in_region(const ReviewInput& in, FindingSink& sink) {
  const auto& t = in.topology;
  const auto region = in.facts.region_zones.find(t.region);
  if (region == in.facts.region_zones.end()) {
    sink.report_as(Severity::Note, t.path + ".region",
                   fmt::format("region '{}' is not in archsim's zone table (model/data/aws_network.yaml); zones were "
                               "not checked",
                               t.region));
    return;
  }
  const auto& known = region->second;
  for (std::size_t i = 0; i < t.zones.size(); ++i) {
    if (std::find(known.begin(), known.end(), t.zones[i]) != known.end()) continue;
    sink.report(fmt::format("{}.zones[{}]", t.path, i),
                fmt::format("zone '{}' does not exist in {}, which has {} zones: {}", t.zones[i], t.region,
                            known.size(), fmt::join(known, ", ")));
  }
}

void route_table_duplicate_destination(const ReviewInput& in, FindingSink& sink) {
  for (const auto& rt : in.topology.route_tables) {
    for (std::size_t i = 0; i < rt.routes.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        const auto a = parsed(rt.routes[i].destination);
        const auto b = parsed(rt.routes[j].destination);
        if (a && b && *a == *b) {
          sink.report(rt.routes[i].path, fmt::format("route table {} already has a route to {}; AWS rejects a second one",
                                                     rt.id, rt.routes[i].destination.text));
          break;
        }
      }
    }
  }
}

void subnet_public_flag_mismatch(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.subnets) {
    const bool routed = detail::routes_to_internet_gateway(in.topology, s);
    if (s.is_public && !routed) {
      sink.report(s.path + ".public",
                  fmt::format("subnet {} is marked public but its route table sends no 0.0.0.0/0 traffic to an "
                              "internet gateway, so nothing in it is reachable from the internet",
                              s.id));
    } else if (!s.is_public && routed) {
      sink.report(s.path + ".public",
                  fmt::format("subnet {} is marked private but routes 0.0.0.0/0 to an internet gateway, which makes it "
                              "public for anything with a public IP",
                              s.id));
    }
  }
}

void nat_not_in_public_subnet(const ReviewInput& in, FindingSink& sink) {
  for (const auto& nat : in.topology.nat_gateways) {
    const SubnetSpec* s = in.topology.subnet(nat.subnet);
    if (s == nullptr || nat.connectivity != "public" || detail::routes_to_internet_gateway(in.topology, *s)) continue;
    sink.report(nat.path + ".subnet",
                fmt::format("NAT gateway {} is in subnet {}, which has no route to an internet gateway: it cannot "
                            "forward anything to the internet",
                            nat.id, s->id));
  }
}

void nat_shared_across_zones(const ReviewInput& in, FindingSink& sink) {
  const auto& t = in.topology;
  std::set<std::string> reported;
  for (const auto& s : t.subnets) {
    const RouteTableSpec* table = t.route_table_of(s);
    const RouteSpec* r = detail::default_route(table);
    if (r == nullptr || r->target != RouteTarget::NatGateway) continue;
    const NatGatewaySpec* nat = t.nat_gateway(r->target_id);
    const SubnetSpec* nat_subnet = nat ? t.subnet(nat->subnet) : nullptr;
    if (nat_subnet == nullptr || nat_subnet->zone == s.zone) continue;
    if (!reported.insert(s.id).second) continue;
    sink.report(r->path, fmt::format("subnet {} in {} reaches the internet through NAT gateway {} in {}: if {} fails, "
                                     "{} loses outbound access too",
                                     s.id, s.zone, nat->id, nat_subnet->zone, nat_subnet->zone, s.id));
  }
}

void task_no_egress_path(const ReviewInput& in, FindingSink& sink) {
  const ArchGraph& g = in.graph;
  for (const auto& service : in.topology.ecs_services) {
    // One finding per service: which needs fail, from which subnets, what is missing.
    std::vector<std::string> failing, subnets, missing;
    auto add = [](std::vector<std::string>& list, const std::string& item) {
      if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
    };
    for (Vertex v : g.of(service.id)) {
      const Egress egress = egress_of(g, v);
      for (const auto& need : outbound_needs(g, v)) {
        if (can_reach(egress, in.facts, need)) continue;
        add(failing, need == "internet" ? "the internet (image " + service.image.repository + ")" : need);
        add(subnets, fmt::format("{} ({})", g.graph[v].subnet, g.graph[v].zone));
        if (need != "internet") {
          for (const auto& m : missing_endpoints(egress, in.facts, need)) add(missing, m);
        }
      }
    }
    if (failing.empty()) continue;
    sink.report(service.path + ".subnets",
                fmt::format("tasks of {} in {} cannot reach {}: no route to a NAT gateway and no public IP with an "
                            "internet gateway route{}; tasks that cannot pull their image or start their log driver "
                            "never start",
                            service.id, fmt::join(subnets, ", "), fmt::join(failing, ", "),
                            missing.empty() ? std::string()
                                            : fmt::format(", and no VPC endpoint for {}", fmt::join(missing, ", "))));
  }
}

void task_public_ip(const ReviewInput& in, FindingSink& sink) {
  for (const auto& s : in.topology.ecs_services) {
    if (!s.assign_public_ip) continue;
    sink.report(s.path + ".assign_public_ip",
                fmt::format("tasks of {} get public IPv4 addresses: each task is addressable from the internet and "
                            "each address is billed hourly",
                            s.id));
  }
}

void internet_exposed_compute(const ReviewInput& in, FindingSink& sink) {
  std::set<std::string> reported;
  for (const auto& exposure : internet_exposure(in.graph, in.topology)) {
    if (!exposure.direct || !reported.insert(exposure.component).second) continue;
    sink.report(in.topology.component_path(exposure.component),
                fmt::format("{} is reachable from the internet with nothing in front: {}", exposure.component,
                            exposure.how));
  }
}

void sg_open_to_world(const ReviewInput& in, FindingSink& sink) {
  auto check = [&](const std::string& what, const std::string& id, const std::vector<std::string>& groups) {
    for (const auto* rule : world_open_ingress(in.topology, groups)) {
      sink.report(rule->path, fmt::format("{} {} admits {} from 0.0.0.0/0", what, id, describe_ports(*rule)));
    }
  };
  for (const auto& s : in.topology.ecs_services) check("service", s.id, s.security_groups);
  for (const auto& d : in.topology.databases) check("database", d.id, d.security_groups);
}

void sg_blocks_request_flow(const ReviewInput& in, FindingSink& sink) {
  for (const auto& flow : blocked_request_flows(in.graph, in.topology, in.facts)) sink.report(flow.path, flow.reason);
}

void cloudfront_origin_bypass(const ReviewInput& in, FindingSink& sink) {
  const auto& t = in.topology;
  for (const auto& cf : t.cloudfronts) {
    for (const auto& origin : cf.origins) {
      if (const auto* lb = t.load_balancer(origin.component)) {
        if (lb->scheme != LoadBalancerScheme::InternetFacing) continue;
        const auto open = world_open_ingress(t, lb->security_groups);
        if (open.empty()) continue;
        sink.report(open.front()->path,
                    fmt::format("{} is CloudFront's origin {} but admits {} from 0.0.0.0/0: clients can skip "
                                "CloudFront (its cache, TLS policy and any WAF) and call {} directly",
                                lb->id, origin.id, describe_ports(*open.front()), lb->id));
      }
      for (const auto& bucket : t.s3_buckets) {
        if (bucket.id != origin.component) continue;
        if (origin.access_control == "none" || !bucket.block_public_access) {
          sink.report(origin.path, fmt::format("bucket {} is served by CloudFront without origin access control "
                                               "(or with public access allowed), so its objects are reachable directly",
                                               bucket.id));
        }
      }
    }
  }
}

void listener_without_tls(const ReviewInput& in, FindingSink& sink) {
  for (const auto& lb : in.topology.load_balancers) {
    if (lb.scheme != LoadBalancerScheme::InternetFacing) continue;
    for (const auto& l : lb.listeners) {
      if (l.tls() || l.default_action == "redirect_https") continue;
      sink.report(l.path + ".protocol", fmt::format("internet-facing listener {}:{} of {} forwards {} in clear text",
                                                    l.protocol, l.port, lb.id,
                                                    l.protocol == "HTTP" ? "HTTP requests" : "traffic"));
    }
  }
}

}  // namespace archsim::model::rules
