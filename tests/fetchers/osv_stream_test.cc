// Reading an OSV record from its text (internal::read_osv_stream) against the tree path
// (parse_json + parse_osv_document), which stays the reference: whenever the stream reads
// a record, every field must be what the tree gives; every real record the fixtures hold
// must be read by it (else reports get no faster); and a record of another shape must be
// left to the tree, so that its errors keep their words.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fetchers/json_input.h"
#include "fetchers/osv.h"
#include "fetchers/osv_stream.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = UPRANK_SHARED_FIXTURES;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every field of an advisory as text, parsed ranges by their events and scheme.
std::string dump(const facts::Advisory& a) {
  std::ostringstream out;
  auto date = [](const std::optional<Date>& d) { return d ? d->to_string() : std::string("-"); };
  out << "id=" << a.id << "\nsummary=" << a.summary << "\ndetails=" << a.details << "\npublished=" << date(a.published)
      << " modified=" << date(a.modified) << " withdrawn=" << date(a.withdrawn) << "\n";
  for (const auto& alias : a.aliases) out << "alias=" << alias << "\n";
  for (const auto& [type, score] : a.severity) out << "severity=" << type << "|" << score << "\n";
  out << "label=" << a.severity_label << " cvss=" << (a.cvss_score ? std::to_string(*a.cvss_score) : "-")
      << " vector=" << a.cvss_vector << " informational=" << a.informational << "\n";
  for (const auto& p : a.affected) {
    out << "affected " << p.ecosystem << "|" << p.name << "|" << p.purl << "|"
        << (p.scheme ? std::string(versions::scheme_name(*p.scheme)) : "-") << "\n";
    for (const auto& [type, score] : p.severity) out << "  severity=" << type << "|" << score << "\n";
    for (const auto& v : p.versions) out << "  version=" << v << "\n";
    for (const auto& r : p.ranges) {
      out << "  range " << r.type << "|" << r.repo << "|" << (r.range ? "parsed:" + std::string(versions::scheme_name(r.range->scheme())) : "raw")
          << "\n";
      for (const auto& e : r.events) out << "    " << e.kind << "=" << e.version << "\n";
    }
    for (const auto& e : p.entries) out << "  entry=" << e << "\n";
  }
  for (const auto& r : a.references) out << "reference=" << r.type << "|" << r.url << "\n";
  out << "evidence=" << a.evidence.source << "|" << a.evidence.id << "|" << a.evidence.url << "|" << a.evidence.fetched_at << "\n";
  return out.str();
}

RawResponse raw(std::string body) {
  RawResponse r;
  r.source = "osv";
  r.key = "X";
  r.fetched_at = "2026-08-22T00:00:00Z";
  r.body = std::move(body);
  return r;
}

// The tree's reading of `text`, or its error.
std::string by_tree(const std::string& text) {
  auto parsed = parse_json(text, "osv/X");
  if (!parsed) return "error: " + parsed.error().message;
  auto advisory = parse_osv_document(*parsed, "osv/X", "2026-08-22T00:00:00Z");
  return advisory ? dump(*advisory) : "error: " + advisory.error().message;
}

// Checks that the stream, when it reads `text`, reads what the tree reads, and that
// parse_osv_record (stream first) answers as the tree does. Returns whether it read it.
bool check(const std::string& text, const std::string& name) {
  facts::Advisory streamed;
  bool read = internal::read_osv_stream(text, JsonLimits{}, streamed);
  auto record = parse_osv_record(raw(text));
  std::string expected = by_tree(text);
  EXPECT_EQ(record ? dump(*record) : "error: " + record.error().message, expected) << name;
  return read;
}

TEST(OsvStream, ReadsEveryFixtureRecordAsTheTreeDoes) {
  size_t count = 0;
  for (const char* folder : {"bitnami", "go", "crates.io-rustsec"}) {
    for (const auto& entry : fs::directory_iterator(kFixtures / "osv" / folder)) {
      if (entry.path().extension() != ".json") continue;
      ++count;
      EXPECT_TRUE(check(read_text(entry.path()), entry.path().string())) << entry.path() << " was left to the tree";
    }
  }
  EXPECT_EQ(count, 342u + 107u + 111u);
}

// Records of unusual shape, each either read alike or left to the tree: nulls, values of
// other types, members given twice (the tree keeps the last), malformed events, nesting,
// syntax errors, another document than an object. The expected answers are the tree's.
TEST(OsvStream, LeavesEveryOtherShapeToTheTree) {
  const std::vector<std::pair<std::string, bool>> cases = {
      // {text, whether the stream reads it}
      {R"({"id":"A","summary":"s","details":"d","published":"2024-01-02T00:00:00Z","modified":"0001-01-01T00:00:00Z"})", true},
      {R"({"id":"A","published":"2024"})", true},
      {R"({"id":"A","aliases":["CVE-1","CVE-2"],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},{"type":"","score":"x"},{"score":"y"}]})", true},
      {R"({"id":"A","credits":[{"name":"n","contact":[null,1,2.5,true,{"a":[[]]}]}],"schema_version":"1.6.0","database_specific":{"severity":"HIGH","x":null}})", true},
      {R"({"id":"A","affected":[{"package":{"ecosystem":"npm","name":"left-pad","purl":"pkg:npm/left-pad"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.3"}]}],"versions":["1.0.0"],"ecosystem_specific":{"k":null},"database_specific":{"informational":"unmaintained"}},{"package":{"ecosystem":"crates.io","name":"b"},"database_specific":{"informational":"unsound"}}]})", true},
      {R"({"id":"A","affected":[{"package":{"ecosystem":"Bitnami","name":"x"},"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],"ranges":[{"type":"GIT","repo":"https://g","events":[{"introduced":"abc"}]}]}]})", true},
      {R"({"id":"A","affected":[{"database_specific":{}},{"database_specific":{"informational":"notice"}}]})", true},
      {R"({"id":"A","references":[{"type":"WEB","url":""},{"url":"https://u"},{"type":"EXPLOIT","url":"https://p"}]})", true},
      {R"({"id":"A","summary":null,"aliases":null,"severity":null,"database_specific":null,"references":null})", true},
      {R"({"id":"A","affected":null})", true},
      {R"({"id":"A","affected":[{"package":null,"versions":null,"ranges":null,"database_specific":null}]})", true},
      {R"({"id":"A","affected":[{"package":{"ecosystem":null,"name":"p"},"database_specific":{"informational":null}}]})", true},
      {R"({"id":null})", false},
      {R"({"id":"A","aliases":[null]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":null}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[{"fixed":null}]}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[null]}]}]})", false},
      {R"({"id":"A","id":"B"})", false},
      {R"({"id":"A","summary":"one","summary":"two"})", false},
      {R"({"id":5})", false},
      {R"({"id":""})", false},
      {R"({"summary":"no id"})", false},
      {R"({"id":"A","aliases":"CVE-1"})", false},
      {R"({"id":"A","aliases":["CVE-1",2]})", false},
      {R"({"id":"A","severity":{"type":"CVSS_V3"}})", false},
      {R"({"id":"A","affected":{}})", false},
      {R"({"id":"A","affected":["x"]})", false},
      {R"({"id":"A","affected":[{"versions":"1.0"}]})", false},
      {R"({"id":"A","affected":[{"ranges":{}}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER"}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[{}]}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[{"fixed":1}]}]}]})", false},
      {R"({"id":"A","affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":["0"]}]}]})", false},
      {R"({"id":"A","affected":[{"database_specific":"x"}]})", false},
      {R"({"id":"A","database_specific":[]})", false},
      {R"({"id":"A","references":[{"url":5}]})", false},
      {R"({"id":"A",})", false},
      {R"({"id":"A"} trailing)", false},
      {R"([{"id":"A"}])", false},
      {R"("A")", false},
      {"", false},
      {"{\"id\":\"A\",\"x\":" + std::string(70, '[') + std::string(70, ']') + "}", false},
  };
  for (const auto& [text, reads] : cases) EXPECT_EQ(check(text, text), reads) << text;
}

// The size and value bounds of parse_json hold on the stream too: past them it reads
// nothing and the tree says which bound was crossed.
TEST(OsvStream, KeepsTheTreesBounds) {
  facts::Advisory advisory;
  JsonLimits small;
  small.max_values = 4;  // the object, "A", the array, "B"
  EXPECT_TRUE(internal::read_osv_stream(R"({"id":"A","aliases":["B"]})", small, advisory));
  EXPECT_FALSE(internal::read_osv_stream(R"({"id":"A","aliases":["B","C"]})", small, advisory));
  small = JsonLimits{};
  small.max_bytes = 8;
  EXPECT_FALSE(internal::read_osv_stream(R"({"id":"A"})", small, advisory));
  small = JsonLimits{};
  small.max_depth = 2;
  EXPECT_TRUE(internal::read_osv_stream(R"({"id":"A","aliases":["B"]})", small, advisory));
  EXPECT_FALSE(internal::read_osv_stream(R"({"id":"A","x":{"y":{}}})", small, advisory));
}

}  // namespace
}  // namespace uprank::fetch
