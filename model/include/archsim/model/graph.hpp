// The topology as a graph of placements, and the questions reviewers ask of it.
//
// A vertex is one placement of a component: an ECS service in two subnets is two vertices
// of one logical component, a load balancer has one node per subnet's zone, a Multi-AZ
// database a primary and a standby; regional services (S3, DynamoDB, API Gateway, ...) are a
// single vertex with no zone, since AWS runs them across zones for you. Three synthetic
// vertices stand for the public internet, each VPC's internet gateway and nothing else.
//
// Edges are typed: Request (a request can flow from one placement to the next), Network
// (packets can leave a placement this way: route to a NAT gateway, an internet gateway, a
// VPC endpoint) and Dependency (a placement needs that component to start or run: image
// pulls, log delivery, secrets). Queries filter placements (e.g. "zone a is down") rather
// than copy the graph.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::model {

enum class VertexKind { Component, Internet, InternetGateway };
enum class LinkKind { Request, Network, Dependency };

struct Placement {
  VertexKind kind = VertexKind::Component;
  std::string component;  ///< component id (VPC id for an internet gateway)
  ComponentType type = ComponentType::InternetUsers;
  std::string zone;    ///< empty: regional or global
  std::string subnet;  ///< empty when not placed in a subnet
  bool standby = false;  ///< the standby of a Multi-AZ database
  std::string label;     ///< `api@us-east-1a`, `db@eu-central-1d (standby)`, `internet`
  std::string service;   ///< VPC endpoints: the AWS service they serve (`ecr.dkr`, `s3`)
};

struct Link {
  LinkKind kind = LinkKind::Request;
  std::string why;  ///< e.g. `target group api`, `route 0.0.0.0/0 -> nat-a`, `image pull`
  std::string need;  ///< for Dependency links: ecr, logs, secretsmanager, ssm, internet
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Placement, Link>;
using Vertex = Graph::vertex_descriptor;

struct ArchGraph {
  Graph graph;
  Vertex internet = 0;
  std::map<std::string, std::vector<Vertex>, std::less<>> placements;  ///< by component id
  std::map<std::string, Vertex, std::less<>> internet_gateways;        ///< by VPC id

  const std::vector<Vertex>& of(std::string_view component) const;
};

/// Builds the placement graph. Expects a topology whose references were checked by the loader.
ArchGraph build_graph(const TopologySpec& topology);

/// Which placements count as alive; the default keeps everything.
using Alive = std::function<bool(Vertex)>;

/// Everything in `zone` is down.
Alive without_zone(const ArchGraph& g, std::string zone);

// ---------------------------------------------------------------- network reachability

/// How a placement reaches what it needs outside its subnet.
struct Egress {
  bool internet = false;                    ///< a path to the public internet (and AWS public endpoints)
  std::vector<std::string> internet_path;   ///< labels along that path, e.g. {task@a, nat-a@a, igw:main, internet}
  std::set<std::string> endpoint_services;  ///< services reachable through VPC endpoints (`ecr.api`, `s3`, ...)
  std::vector<Vertex> internet_vertices;    ///< the placements along internet_path
  std::map<std::string, Vertex, std::less<>> endpoints;  ///< the endpoint placement serving each service
};

Egress egress_of(const ArchGraph& g, Vertex from, const Alive& alive = {});

/// Whether `from` can reach `need` (a key of AwsFacts::private_access, or `internet`): over the
/// internet, or privately through every endpoint service the need requires.
bool can_reach(const Egress& egress, const AwsFacts& facts, std::string_view need);

/// The endpoint services `need` still lacks for private access (empty if it has them all).
std::vector<std::string> missing_endpoints(const Egress& egress, const AwsFacts& facts, std::string_view need);

// ---------------------------------------------------------------- reviewer questions

struct Exposure {
  std::string component;
  bool direct = false;  ///< reachable with no load balancer or edge service in front
  std::string how;      ///< the path or the reason, in words
};

/// What the internet can reach: along request routes from internet users, and directly
/// (public IP in a subnet routed to an internet gateway, security group open to the world).
std::vector<Exposure> internet_exposure(const ArchGraph& g, const TopologySpec& topology);

struct RouteAnalysis {
  std::string route;
  bool connected = true;                   ///< a request can get from the first hop to the last
  std::vector<std::string> gaps;           ///< `alb -> api`: consecutive hops with no edge
  std::vector<std::string> single_points;  ///< zonal placements every request must pass through
  std::vector<std::string> single_zones;   ///< zones whose loss alone breaks the route
  std::vector<std::string> regional;       ///< regional services on the route (covered by AWS's SLA)
};

/// Single points of failure of one request route, from the dominators of its placement graph.
RouteAnalysis analyse_route(const ArchGraph& g, const TopologySpec& topology, const RequestRouteSpec& route,
                            const Alive& alive = {});

struct CutOff {
  std::string placement;
  std::string need;    ///< what it can no longer reach
  std::string detail;  ///< how it reached it before
};

struct ZoneFailureImpact {
  std::string zone;
  std::vector<std::string> down;           ///< placements in the zone
  std::vector<CutOff> cut_off;             ///< placements elsewhere that lose a dependency
  std::vector<std::string> routes_broken;  ///< routes with no path left
};

/// What the loss of one zone takes down directly and what it cuts off elsewhere.
ZoneFailureImpact zone_failure(const ArchGraph& g, const TopologySpec& topology, const AwsFacts& facts,
                               const std::string& zone);

/// The needs (`ecr`, `logs`, `secretsmanager`, `ssm`, `internet`) of a placement, from its
/// outgoing Dependency links.
std::vector<std::string> needs_of(const ArchGraph& g, Vertex v);

/// What a placement must reach outside its subnet: `needs_of`, plus `dynamodb` and `s3` for its
/// request links to those regional APIs (keys of AwsFacts::private_access, or `internet`).
std::vector<std::string> outbound_needs(const ArchGraph& g, Vertex v);

}  // namespace archsim::model
