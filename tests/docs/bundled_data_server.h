// A loopback server that answers every source `uprank fetch` asks, with the bundled data
// (data/snapshot.json) in place of the public endpoints, so documented fetch commands run
// in tests without the network. Point the binary at it with `source_url_environment()`.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "../fetchers/loopback_server.h"

namespace uprank::docs_test {

class BundledDataServer {
 public:
  BundledDataServer() {
    auto snapshot = fetch::read_snapshot(std::string(UPRANK_SOURCE_DIR) + "/data/snapshot.json");
    if (!snapshot) {
      ADD_FAILURE() << "data/snapshot.json: " << snapshot.error().message;
      return;
    }
    std::map<std::string, std::string> endoflife;
    for (const fetch::RawResponse& response : snapshot->responses) {
      if (response.source == "endoflife") endoflife[response.key] = response.body;
      if (response.source == "endoflife-releases") releases_->emplace(response.key, response.body);
      if (response.source == "kev") *kev_ = response.body;
      if (response.source == "osv") advisories_->emplace(response.key, response.body);
    }
    fetch::testing::serve_endoflife(server_, std::move(endoflife));
    serve_release_data();
    serve_kev();
    serve_osv();
    // The bundled data scores no CVE (docs/snapshot.md): EPSS answers with no rows, and no
    // GitHub repository has releases.
    server_.server().Get("/epss", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status":"OK","status-code":200,"total":0,"data":[]})", "application/json");
    });
    server_.server().Get(R"(/repos/([^/]+)/([^/]+)/releases)", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("[]", "application/json");
    });
  }

  // Returns `NAME=VALUE ` assignments for a shell command line: every source's base URL
  // (docs/fetchers.md, "Sources") pointed here, and no proxy.
  std::string source_url_environment() const {
    const std::string url = server_.url();
    return "UPRANK_ENDOFLIFE_URL=" + url + " UPRANK_ENDOFLIFE_RELEASES_URL=" + url + "/release-data" +
           " UPRANK_KEV_URL=" + url + "/kev.json UPRANK_OSV_URL=" + url + " UPRANK_EPSS_URL=" + url + "/epss" +
           " UPRANK_GITHUB_URL=" + url + " no_proxy='*' ";
  }

 private:
  using Bodies = std::map<std::string, std::string>;

  void serve_release_data() {
    server_.server().Get(R"(/release-data/releases/([a-z0-9.-]+)\.json)",
                         [bodies = releases_](const httplib::Request& req, httplib::Response& res) {
                           auto it = bodies->find(req.matches[1]);
                           if (it == bodies->end()) {
                             res.status = 404;  // release-data has no file for this product
                             return;
                           }
                           res.set_content(it->second, "text/plain");
                         });
  }

  void serve_kev() {
    server_.server().Get("/kev.json", [body = kev_](const httplib::Request&, httplib::Response& res) {
      res.set_content(*body, "application/json");
    });
  }

  // querybatch answers each query with the bundled records naming its package (OSV's
  // ecosystem and name), as osv.dev does before its version filter; uprank compares the
  // versions itself.
  void serve_osv() {
    server_.server().Post("/v1/querybatch", [bodies = advisories_](const httplib::Request& req, httplib::Response& res) {
      const nlohmann::json batch = nlohmann::json::parse(req.body);
      nlohmann::json results = nlohmann::json::array();
      for (const auto& query : batch.at("queries")) {
        const auto& package = query.at("package");
        nlohmann::json vulns = nlohmann::json::array();
        for (const auto& [id, body] : *bodies) {
          auto record = nlohmann::json::parse(body);
          for (const auto& affected : record.value("affected", nlohmann::json::array())) {
            const auto& named = affected.value("package", nlohmann::json::object());
            if (names_package(package, named.value("ecosystem", ""), named.value("name", ""))) {
              vulns.push_back({{"id", id}, {"modified", record.value("modified", "")}});
              break;
            }
          }
        }
        results.push_back(vulns.empty() ? nlohmann::json::object() : nlohmann::json{{"vulns", vulns}});
      }
      res.set_content(nlohmann::json{{"results", results}}.dump(), "application/json");
    });
    server_.server().Get(R"(/v1/vulns/([^/]+))", [bodies = advisories_](const httplib::Request& req, httplib::Response& res) {
      auto it = bodies->find(req.matches[1]);
      if (it == bodies->end()) {
        res.status = 404;
        res.set_content(R"({"code":5,"message":"Bug not found."})", "application/json");
        return;
      }
      res.set_content(it->second, "application/json");
    });
  }

  // Returns whether an OSV query's package is the `affected[].package` (ecosystem, name).
  // A purl is read as OSV reads it: its type gives the ecosystem, and the name is the path
  // after the type (a Go module path) or its last segment.
  static bool names_package(const nlohmann::json& package, const std::string& ecosystem, const std::string& name) {
    if (!package.contains("purl")) {
      return package.value("ecosystem", "") == ecosystem && package.value("name", "") == name;
    }
    static const std::map<std::string, std::string> kEcosystems = {
        {"bitnami", "Bitnami"}, {"cargo", "crates.io"}, {"deb", "Debian"}, {"golang", "Go"},
        {"npm", "npm"},         {"pypi", "PyPI"}};
    std::string purl = package.value("purl", "");
    purl = purl.substr(0, purl.find_first_of("@?#"));
    size_t slash = purl.find('/');
    if (purl.rfind("pkg:", 0) != 0 || slash == std::string::npos) return false;
    auto type = kEcosystems.find(purl.substr(4, slash - 4));
    if (type == kEcosystems.end() || type->second != ecosystem.substr(0, ecosystem.find(':'))) return false;
    std::string path = purl.substr(slash + 1);
    return (type->second == "Go" ? path : path.substr(path.rfind('/') + 1)) == name;
  }

  fetch::testing::LoopbackServer server_;
  std::shared_ptr<Bodies> releases_ = std::make_shared<Bodies>();
  std::shared_ptr<Bodies> advisories_ = std::make_shared<Bodies>();
  std::shared_ptr<std::string> kev_ = std::make_shared<std::string>();
};

}  // namespace uprank::docs_test
