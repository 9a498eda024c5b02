// VEX statements: a supplier's word that a vulnerability does or does not affect a
// product (CISA "Minimum Requirements for VEX"), read from OpenVEX 0.2.0 documents and
// CycloneDX VEX (`vulnerabilities[].analysis`), and looked up per (component, advisory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/inventory/component.h"

namespace uprank::vex {

// The four VEX status labels (OpenVEX "Status Labels"; CSAF product_status and CycloneDX
// analysis.state map onto them).
enum class Status : uint8_t { kNotAffected, kAffected, kFixed, kUnderInvestigation };
// Returns "not_affected", "affected", "fixed" or "under_investigation".
std::string_view status_name(Status status);
// Returns whether a statement of this status removes the finding (not_affected, fixed).
inline bool removes_finding(Status status) { return status == Status::kNotAffected || status == Status::kFixed; }

// One statement about one vulnerability, with what it inherited from its document
// (timestamp, author) already filled in.
struct Statement {
  // What the statement is about: purls ("pkg:maven/..."), IRIs, CPEs or SBOM bom-refs, as
  // written. With subcomponents, the statement is about those components inside the
  // products, and it applies to inventory components that match a subcomponent.
  std::vector<std::string> products;
  std::vector<std::string> subcomponents;
  // A product a CSAF document names by its vendor's product name only (no purl or CPE
  // helper): it names a component whose product id, identity label or name equals `name`
  // (ASCII case-insensitive) and whose running version equals `version` or lies in `range`
  // (a vers: URI or the generic scheme's range syntax); with neither, any version.
  struct NamedProduct {
    std::string name;     // "ABC", "CVRF-CSAF-Converter"
    std::string version;  // "4.2", or ""
    std::string range;    // "vers:generic/>=2.9|<=4.1", "<=1.14.0", or ""
  };
  std::vector<NamedProduct> named;
  std::string vulnerability;           // the vulnerability's name: "CVE-2021-44228"
  std::vector<std::string> aliases;    // other ids: "GHSA-jfh8-c2jp-5v3q"
  Status status = Status::kUnderInvestigation;
  std::string justification;           // a label: "vulnerable_code_not_in_execute_path"; "" when none
  std::string impact_statement;        // free text why not affected; "" when none
  std::string action_statement;        // free text what to do (affected); "" when none
  std::string author;                  // the statement's (or its document's) author
  std::string timestamp;               // RFC 3339, as written; "" when none
  int64_t time = 0;                    // timestamp as UTC nanoseconds since 1970; 0 when none
  std::string format;                  // "openvex", "cyclonedx", "csaf"
  std::string file;                    // the file it was read from
  std::string path;                    // its JSON path there: "$.statements[2]", CSAF "/vulnerabilities/0/product_status/fixed/1"
  // CycloneDX VEX embedded in an SBOM speaks of that SBOM's own bom-refs: when set, the
  // statement applies only to components read from this file.
  std::string only_file;
};

struct Document {
  std::vector<Statement> statements;  // in document order
  // Statements that could not be used (no vulnerability name, unknown status), each
  // naming the file and JSON path; the rest of the document is still read.
  std::vector<std::string> skipped;
};

// Bounds on untrusted VEX text.
struct Limits {
  size_t max_bytes = 64u << 20;
  int max_depth = 64;
  size_t max_statements = 200'000;
};

// Reads an OpenVEX document (OPENVEX-SPEC.md v0.2.0; @context openvex.dev/ns). Statement
// timestamps and products inherit from the document. Errors (uprank.vex.syntax,
// uprank.vex.shape, uprank.vex.too_large) name the file and the JSON path.
Result<Document> read_openvex(std::string_view text, const std::string& path, const Limits& limits = {});

// Reads CycloneDX VEX: each `vulnerabilities[]` entry that has an `analysis` becomes a
// statement about its `affects[].ref` bom-refs (a BOM-Link's fragment is the bom-ref).
// analysis.state maps not_affected and false_positive to not_affected, exploitable to
// affected, resolved and resolved_with_pedigree to fixed, in_triage to
// under_investigation; entries without a state are not statements. `references[].id`
// are aliases, `detail` the impact statement, `response` the action statement, the
// author metadata.authors (else metadata.supplier, manufacture or tools), the time
// analysis.lastUpdated, else updated, else published, else metadata.timestamp.
// With `embedded`, statements apply only to components of `path` (Statement::only_file).
Result<Document> read_cyclonedx_vex(std::string_view text, const std::string& path, bool embedded = false,
                                    const Limits& limits = {});

// Reads a VEX file of either format, told apart by content (`@context` and `statements`
// is OpenVEX, `bomFormat` CycloneDX). An error names the file when it cannot be read or
// is neither. (CSAF VEX documents are read by fetchers/csaf_vex.h; cli/vex_files.cc
// tells the three apart.)
Result<Document> read_vex_file(const std::string& path, const Limits& limits = {});
// read_vex_file() on text already read from `path`.
Result<Document> read_vex_text(const std::string& text, const std::string& path, const Limits& limits = {});

// Returns the time of an RFC 3339 timestamp ("2023-01-08T18:02:03.647787998-06:00") as
// UTC nanoseconds since 1970, or an error (uprank.vex.bad_timestamp), also for a time
// outside what int64 nanoseconds hold (before 1678 or after 2261).
Result<int64_t> parse_timestamp(std::string_view text);

// The statements given for one evaluation, indexed by what they name.
class StatementIndex {
 public:
  explicit StatementIndex(std::vector<Statement> statements);

  const std::vector<Statement>& statements() const { return statements_; }

  // Returns the indexes of the statements that apply to `component`, ascending: one of
  // the statement's products (its subcomponents, when it lists any) names it by purl (a
  // statement purl without version or qualifiers matches every version and qualifier;
  // with them, those must agree), by CPE, or by bom-ref or SPDX id, a BOM-Link
  // ("urn:cdx:serial/1#ref") by its fragment; or one of its `named` products does.
  std::vector<size_t> naming(const inventory::Component& component) const;

  // Returns the statement in force for an advisory known by `ids` (its id and aliases)
  // among `candidates` (from naming()): of those whose vulnerability name or aliases
  // share an id with it (ASCII case-insensitive), the newest by timestamp, the later
  // given on a tie (OpenVEX: a later statement supersedes). SIZE_MAX when none. Appends
  // every statement sharing an id, superseded or not, to `sharing` when given.
  size_t in_force(const std::vector<size_t>& candidates, const std::vector<std::string>& ids,
                  std::vector<size_t>* sharing = nullptr) const;

 private:
  std::vector<Statement> statements_;
};

}  // namespace uprank::vex
