#include "engine/compiler/nodes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <mutex>
#include <span>
#include <unordered_map>

#include "engine/facts/lts.h"

namespace uprank::compiler {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kInfo: return "info";
    case Level::kLow: return "low";
    case Level::kMedium: return "medium";
    case Level::kHigh: return "high";
    case Level::kCritical: return "critical";
  }
  return "info";
}

bool parse_level(std::string_view name, Level& level) {
  for (Level candidate : {Level::kInfo, Level::kLow, Level::kMedium, Level::kHigh, Level::kCritical}) {
    if (level_name(candidate) == name) {
      level = candidate;
      return true;
    }
  }
  return false;
}

std::string type_name(Type type) {
  switch (type.kind) {
    case TypeKind::kError: return "<error>";
    case TypeKind::kBool: return "bool";
    case TypeKind::kNumber: return "number";
    case TypeKind::kString: return "string";
    case TypeKind::kVersion: return "version";
    case TypeKind::kDate: return "date";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kRegex: return "regex";
    case TypeKind::kLevel: return "level";
    case TypeKind::kComponent: return "component";
    case TypeKind::kEolCycle: return "eol cycle";
    case TypeKind::kAdvisory: return "advisory";
    case TypeKind::kRelease: return "release";
    case TypeKind::kFinding: return "finding";
    case TypeKind::kList: return "list of " + type_name(Type::of(type.element));
  }
  return "<error>";
}

std::string format_value(const Value& value) {
  switch (value.kind) {
    case Kind::kUndefined: return "unknown";
    case Kind::kBool: return value.boolean ? "true" : "false";
    case Kind::kNumber: {
      double rounded = std::round(value.number);
      char buffer[64];
      if (std::fabs(value.number - rounded) < 1e-9 && std::fabs(rounded) < 1e15) {
        std::snprintf(buffer, sizeof buffer, "%.0f", rounded);
        return buffer;
      }
      // Two decimals at most, without trailing zeros: 8.1, 0.93, 81.63.
      std::snprintf(buffer, sizeof buffer, "%.2f", value.number);
      std::string text = buffer;
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
      return text;
    }
    case Kind::kString: return std::string(value.text);
    case Kind::kVersion: return value.version->text();
    case Kind::kDate: return value.date().to_string();
    case Kind::kDuration: return std::to_string(value.days) + "d";
    case Kind::kLevel: return std::string(level_name(value.level));
    case Kind::kComponent: return value.component->name;
    case Kind::kEolCycle: return value.cycle->product + " " + value.cycle->cycle;
    case Kind::kAdvisory: return value.advisory->advisory->id;
    case Kind::kRelease: return value.release->release->version;
    case Kind::kFinding: return value.finding->rule;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < value.list->size(); ++i) {
        if (i > 0) out += ", ";
        out += format_value((*value.list)[i]);
      }
      return out + "]";
    }
  }
  return "unknown";
}

namespace internal {
namespace {

Value optional_date(const std::optional<Date>& date) {
  return date ? Value::of_date(*date) : Value::undefined();
}

Value non_empty(const std::string& text) {
  return text.empty() ? Value::undefined() : Value::borrow_string(text);
}

// The fields that are plain text of the component itself (no join, no computation, no
// evidence recorded when read), in the order of their EvaluationContext::text_index.
constexpr FieldId kTextFields[] = {FieldId::kName,        FieldId::kProduct,  FieldId::kScheme,
                                   FieldId::kPurl,        FieldId::kKind,     FieldId::kEnvironment,
                                   FieldId::kCriticality, FieldId::kExposure, FieldId::kOwner,
                                   FieldId::kCluster};
static_assert(std::size(kTextFields) <= EvaluationContext::kTextIndexes);

std::optional<size_t> text_index_of(FieldId field) {
  for (size_t i = 0; i < std::size(kTextFields); ++i) {
    if (kTextFields[i] == field) return i;
  }
  return std::nullopt;
}

// A text field of `c` (kTextFields); nullopt for any other field.
std::optional<Value> text_field(const inventory::Component& c, FieldId field) {
  switch (field) {
    case FieldId::kName: return Value::borrow_string(c.name);
    case FieldId::kProduct: return non_empty(c.product);
    case FieldId::kScheme: return Value::borrow_string(versions::scheme_name(c.scheme));
    case FieldId::kPurl: return non_empty(c.purl);
    case FieldId::kKind: return non_empty(c.kind);
    case FieldId::kEnvironment: return non_empty(c.environment);
    case FieldId::kCriticality: return non_empty(c.criticality);
    case FieldId::kExposure: return non_empty(c.exposure);
    case FieldId::kOwner: return non_empty(c.owner);
    case FieldId::kCluster: return non_empty(c.cluster);
    default: return std::nullopt;
  }
}

// Whether evaluating `node` reads one of `slots`.
bool reads_slot(const Node& node, const std::vector<int>& slots) {
  if (const auto* slot = dynamic_cast<const SlotNode*>(&node)) {
    return std::find(slots.begin(), slots.end(), slot->slot()) != slots.end();
  }
  bool found = false;
  node.visit_children([&](const Node& child) { found = found || reads_slot(child, slots); });
  return found;
}

// Whether `node` is `item.FIELD` on a text field with the item in one of `items`.
const FieldNode* item_text_field(const Node& node, const std::vector<int>& items) {
  const auto* field = dynamic_cast<const FieldNode*>(&node);
  if (field == nullptr || !text_index_of(field->field())) return nullptr;
  const auto* slot = dynamic_cast<const SlotNode*>(&field->object());
  if (slot == nullptr || std::find(items.begin(), items.end(), slot->slot()) == items.end()) return nullptr;
  return field;
}

// Whether `node` is a lookup key: a constant, a variable, or a text field of a variable,
// none of them the item. Reading such a key has no side effect (no evidence recorded).
bool plain_key(const Node& node, const std::vector<int>& items) {
  if (dynamic_cast<const ConstantNode*>(&node) != nullptr) return true;
  if (const auto* slot = dynamic_cast<const SlotNode*>(&node)) {
    return std::find(items.begin(), items.end(), slot->slot()) == items.end();
  }
  const auto* field = dynamic_cast<const FieldNode*>(&node);
  return field != nullptr && text_index_of(field->field()) && dynamic_cast<const SlotNode*>(&field->object()) != nullptr &&
         plain_key(field->object(), items);
}

std::string_view op_text(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kMultiply: return "*";
    case ast::BinaryOp::kDivide: return "/";
    case ast::BinaryOp::kModulo: return "%";
    case ast::BinaryOp::kAdd: return "+";
    case ast::BinaryOp::kSubtract: return "-";
    case ast::BinaryOp::kLess: return "<";
    case ast::BinaryOp::kLessEqual: return "<=";
    case ast::BinaryOp::kGreater: return ">";
    case ast::BinaryOp::kGreaterEqual: return ">=";
    case ast::BinaryOp::kEqual: return "==";
    case ast::BinaryOp::kNotEqual: return "!=";
    case ast::BinaryOp::kIn: return "in";
    case ast::BinaryOp::kNotIn: return "not in";
    case ast::BinaryOp::kMatch: return "~";
    case ast::BinaryOp::kNotMatch: return "!~";
    case ast::BinaryOp::kAnd: return "and";
    case ast::BinaryOp::kOr: return "or";
  }
  return "?";
}

bool holds(ast::BinaryOp op, int order) {
  switch (op) {
    case ast::BinaryOp::kLess: return order < 0;
    case ast::BinaryOp::kLessEqual: return order <= 0;
    case ast::BinaryOp::kGreater: return order > 0;
    case ast::BinaryOp::kGreaterEqual: return order >= 0;
    case ast::BinaryOp::kEqual: return order == 0;
    case ast::BinaryOp::kNotEqual: return order != 0;
    default: return false;
  }
}

template <typename T>
int order_of(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

void describe_call(std::string& out, std::string_view name, std::initializer_list<const Node*> children) {
  out += "(";
  out += name;
  for (const Node* child : children) {
    out += " ";
    if (child != nullptr) child->describe(out);
    else out += "_";
  }
  out += ")";
}

bool equal_values(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kString: return a.text == b.text;
    case Kind::kNumber: return a.number == b.number;
    case Kind::kBool: return a.boolean == b.boolean;
    case Kind::kDate: case Kind::kDuration: return a.days == b.days;
    case Kind::kLevel: return a.level == b.level;
    case Kind::kComponent: return a.component == b.component;
    case Kind::kEolCycle: return a.cycle == b.cycle;
    case Kind::kAdvisory: return a.advisory->advisory == b.advisory->advisory;
    case Kind::kRelease: return a.release->release == b.release->release;
    case Kind::kFinding: return a.finding == b.finding;
    case Kind::kVersion: return a.version->scheme() == b.version->scheme() && versions::compare(*a.version, *b.version) == 0;
    default: return false;
  }
}

}  // namespace

void ConstantNode::describe(std::string& out) const {
  if (value_.kind == Kind::kString) out += "\"" + std::string(value_.text) + "\"";
  else out += format_value(value_);
}

Value ComponentsNode::evaluate(Frame& frame) const {
  if (!selector_) return frame.context->all_components;
  std::vector<Value> selected;
  for (const auto& component : frame.context->inventory->components) {
    if (component.product == *selector_ || component.name == *selector_) selected.push_back(Value::of_component(&component));
  }
  return Value::own_list(std::move(selected));
}

void ComponentsNode::describe(std::string& out) const {
  out += selector_ ? "(components \"" + *selector_ + "\")" : "components";
}

std::vector<FieldInfo> fields_of(TypeKind owner) {
  const Type string = Type::of(TypeKind::kString), date = Type::of(TypeKind::kDate), boolean = Type::of(TypeKind::kBool),
             version = Type::of(TypeKind::kVersion), number = Type::of(TypeKind::kNumber);
  switch (owner) {
    case TypeKind::kComponent:
      return {{"name", FieldId::kName, owner, string, "unique name in the inventory"},
              {"product", FieldId::kProduct, owner, string, "end-of-life product id; undefined when unmapped"},
              {"version", FieldId::kVersion, owner, version,
               "the running version, in the component's scheme; undefined unless the pin is exact"},
              {"pin", FieldId::kPin, owner, string, "how the version is pinned: exact, line, range, digest, unknown"},
              {"pinned", FieldId::kPinned, owner, string,
               "what the pin is, for messages: \"7 (line pin, patch unknown)\"; the version for exact pins"},
              {"scheme", FieldId::kScheme, owner, string, "version scheme (semver, deb, generic, ...)"},
              {"kind", FieldId::kKind, owner, string,
               "what was pinned: container-image, package, helm-chart, cluster, kubernetes-api, ...; undefined when unknown"},
              {"purl", FieldId::kPurl, owner, string, "package URL; undefined when unknown"},
              {"environment", FieldId::kEnvironment, owner, string, "production, staging, ..."},
              {"criticality", FieldId::kCriticality, owner, string, "high, medium, low"},
              {"exposure", FieldId::kExposure, owner, string, "internet, internal, isolated"},
              {"owner", FieldId::kOwner, owner, string, "owning team"},
              {"cluster", FieldId::kCluster, owner, string, "cluster or site"},
              {"tags", FieldId::kTags, owner, Type::list_of(TypeKind::kString), "free-form tags"},
              {"eol", FieldId::kEol, owner, Type::of(TypeKind::kEolCycle), "the release cycle it runs; undefined without EOL data"},
              {"file", FieldId::kFile, owner, string, "file that pins the component, relative to the repository root"},
              {"line", FieldId::kLine, owner, number, "line that pins the component"},
              {"advisories", FieldId::kAdvisories, owner, Type::list_of(TypeKind::kAdvisory),
               "advisories that affect the running version (vulnerabilities; notices are c.notices)"},
              {"notices", FieldId::kNotices, owner, Type::list_of(TypeKind::kAdvisory),
               "informational advisories that name the running version: RustSec's unmaintained, unsound and "
               "notice records; not vulnerabilities"},
              {"releases", FieldId::kReleases, owner, Type::list_of(TypeKind::kRelease),
               "known releases of its product, oldest first; c.releases(after: v, upto: w) narrows them"},
              {"findings", FieldId::kFindings, owner, Type::list_of(TypeKind::kFinding),
               "its findings, in rule order (only in a rank policy, which runs after the rules)"}};
    case TypeKind::kFinding:
      return {{"rule", FieldId::kFindingRule, owner, string, "qualified rule name: \"uprank.eol.past_end_of_life\""},
              {"name", FieldId::kFindingName, owner, string, "the rule's name as written: \"past_end_of_life\""},
              {"title", FieldId::kFindingTitle, owner, string, "the rule's title; undefined when it has none"},
              {"urgency", FieldId::kFindingUrgency, owner, Type::of(TypeKind::kLevel), "the finding's urgency level"},
              {"score", FieldId::kFindingScore, owner, number, "the finding's score"},
              {"reason", FieldId::kFindingReason, owner, string, "reason category: security, end_of_support, ..."},
              {"message", FieldId::kFindingMessage, owner, string, "what the finding says"},
              {"target", FieldId::kFindingTarget, owner, string, "the rule's recommended version; undefined when none"},
              {"due", FieldId::kFindingDue, owner, date, "the rule's due date; undefined when none"}};
    case TypeKind::kEolCycle:
      return {{"cycle", FieldId::kCycle, owner, string, "cycle name, e.g. \"15\" or \"3.11\""},
              {"released", FieldId::kReleased, owner, date, "first release of the cycle"},
              {"ends", FieldId::kEnds, owner, date, "end of security support; undefined when not announced"},
              {"ended", FieldId::kEnded, owner, boolean, "whether security support has ended by today"},
              {"support_ends", FieldId::kSupportEnds, owner, date, "end of active support"},
              {"extended_ends", FieldId::kExtendedEnds, owner, date, "end of extended (paid) support"},
              {"lts", FieldId::kLts, owner, boolean, "long-term support cycle"},
              {"latest", FieldId::kLatest, owner, version, "latest release in the cycle"},
              {"latest_date", FieldId::kLatestDate, owner, date, "date of the latest release"}};
    case TypeKind::kAdvisory:
      return {{"id", FieldId::kId, owner, string, "advisory id (GHSA-…, CVE-…, vendor id)"},
              {"aliases", FieldId::kAliases, owner, Type::list_of(TypeKind::kString), "other ids, usually CVEs"},
              {"summary", FieldId::kSummary, owner, string, "one-line summary"},
              {"cvss", FieldId::kCvss, owner, number, "CVSS base score (0-10) of cvss_vector: v3.1, else v3.0, v4.0, v2"},
              {"cvss_vector", FieldId::kCvssVector, owner, string, "the CVSS vector cvss was computed from"},
              {"severity", FieldId::kSeverity, owner, string, "the source's severity label"},
              {"published", FieldId::kPublished, owner, date, "publication date"},
              {"fixed", FieldId::kFixed, owner, version, "lowest fixed version above the running one"},
              {"exploited", FieldId::kExploited, owner, boolean, "known exploited (CISA KEV or declared)"},
              {"exploited_since", FieldId::kExploitedSince, owner, date, "date added to KEV or declared"},
              {"kev_due", FieldId::kKevDue, owner, date, "CISA KEV remediation due date"},
              {"in_kev", FieldId::kInKev, owner, boolean, "listed in CISA KEV under any of its ids"},
              {"kev_cve", FieldId::kKevCve, owner, string, "the CVE under which CISA KEV lists it"},
              {"ransomware", FieldId::kRansomware, owner, boolean, "known use in ransomware campaigns"},
              {"epss", FieldId::kEpss, owner, number, "EPSS exploit probability (0-1)"},
              {"epss_percentile", FieldId::kEpssPercentile, owner, number, "EPSS percentile (0-1)"},
              {"exploit_references", FieldId::kExploitReferences, owner, Type::list_of(TypeKind::kString),
               "URLs of references the source types EXPLOIT (public exploit or PoC)"},
              {"informational", FieldId::kInformational, owner, string,
               "what kind of notice it is (\"unmaintained\", \"unsound\", \"notice\"); undefined for a vulnerability"},
              {"url", FieldId::kUrl, owner, string, "where to read more"},
              {"source", FieldId::kSource, owner, string, "osv, rules, ..."}};
    case TypeKind::kRelease:
      return {{"version", FieldId::kReleaseVersion, owner, version, "the release's version, in the component's scheme"},
              {"tag", FieldId::kReleaseTag, owner, string, "tag as published"},
              {"name", FieldId::kReleaseName, owner, string, "release title"},
              {"date", FieldId::kReleaseDate, owner, date, "publication date"},
              {"notes", FieldId::kNotes, owner, string, "release notes (untrusted vendor text)"},
              {"prerelease", FieldId::kPrerelease, owner, boolean, "marked as a pre-release"},
              {"url", FieldId::kReleaseUrl, owner, string, "where the notes were published"}};
    case TypeKind::kVersion:
      return {{"major", FieldId::kMajor, owner, number, "first numeric component"},
              {"minor", FieldId::kMinor, owner, number, "second numeric component"},
              {"patch", FieldId::kPatch, owner, number, "third numeric component"},
              {"prerelease", FieldId::kVersionPrerelease, owner, boolean, "a pre-release in its scheme (18.0.0-rc.1)"}};
    default:
      return {};
  }
}

namespace {

// Reads one field of an advisory as it applies to a component, noting the facts read
// (the advisory, and KEV or EPSS when those fields are asked for) as evidence.
Value advisory_field(Frame& frame, const AdvisoryMatch& match, FieldId field) {
  const facts::Advisory& advisory = *match.advisory;
  frame.evidence.push_back(&advisory.evidence);
  frame.advisories_read.push_back(&match);
  auto kev_evidence = [&] {
    if (match.kev != nullptr) frame.evidence.push_back(&match.kev->evidence);
  };
  auto epss_evidence = [&] {
    if (match.epss != nullptr) frame.evidence.push_back(&match.epss->evidence);
  };
  switch (field) {
    case FieldId::kId: return Value::borrow_string(advisory.id);
    case FieldId::kAliases: {
      std::vector<Value> aliases;
      for (const auto& alias : advisory.aliases) aliases.push_back(Value::borrow_string(alias));
      return Value::own_list(std::move(aliases));
    }
    case FieldId::kSummary: return non_empty(advisory.summary);
    case FieldId::kCvss: return advisory.cvss_score ? Value::of_number(*advisory.cvss_score) : Value::undefined();
    case FieldId::kCvssVector:
      if (!advisory.cvss_vector.empty()) return Value::borrow_string(advisory.cvss_vector);
      for (const auto& [type, vector] : advisory.severity) {
        if (type.rfind("CVSS", 0) == 0) return Value::borrow_string(vector);
      }
      return Value::undefined();
    case FieldId::kSeverity: return non_empty(advisory.severity_label);
    case FieldId::kInformational: return non_empty(advisory.informational);
    case FieldId::kPublished: return optional_date(advisory.published);
    case FieldId::kFixed: return match.fixed ? Value::borrow_version(&*match.fixed) : Value::undefined();
    case FieldId::kExploited:
      kev_evidence();
      return Value::of_bool(match.kev != nullptr || match.declared_exploited);
    case FieldId::kExploitedSince:
      kev_evidence();
      if (match.kev != nullptr && match.kev->date_added) return Value::of_date(*match.kev->date_added);
      return optional_date(match.declared_exploited_since);
    case FieldId::kInKev:
      kev_evidence();
      return Value::of_bool(match.kev != nullptr);
    case FieldId::kKevCve:
      kev_evidence();
      return match.kev != nullptr ? Value::borrow_string(match.kev->cve) : Value::undefined();
    case FieldId::kExploitReferences: {
      std::vector<Value> urls;
      for (const auto& reference : advisory.references) {
        if (reference.type == "EXPLOIT") urls.push_back(Value::borrow_string(reference.url));
      }
      return Value::own_list(std::move(urls));
    }
    case FieldId::kKevDue:
      kev_evidence();
      return match.kev != nullptr ? optional_date(match.kev->due_date) : Value::undefined();
    case FieldId::kRansomware:
      kev_evidence();
      return Value::of_bool(match.kev != nullptr && match.kev->known_ransomware_use);
    case FieldId::kEpss:
      epss_evidence();
      return match.epss != nullptr ? Value::of_number(match.epss->score) : Value::undefined();
    case FieldId::kEpssPercentile:
      epss_evidence();
      return match.epss != nullptr ? Value::of_number(match.epss->percentile) : Value::undefined();
    case FieldId::kUrl:
      if (!advisory.evidence.url.empty()) return Value::borrow_string(advisory.evidence.url);
      return advisory.references.empty() ? Value::undefined() : Value::borrow_string(advisory.references.front().url);
    case FieldId::kSource: return Value::borrow_string(advisory.evidence.source);
    default: return Value::undefined();
  }
}

// `c.pinned`: the pin as a phrase. A codename pin whose line the end-of-life data decides
// at evaluation ("bookworm", "lts/*": the LTS line moves with the day) names the line it
// resolved to on `today`, or says why there is none, rather than "version unknown".
std::string pinned_text(const Frame& frame, const inventory::Component& c) {
  const inventory::Component::VersionPin& pin = c.pin;
  if (pin.codename.empty() || !pin.cycle.empty()) return pin.describe(c.version_text);
  const EvaluationContext& context = *frame.context;
  auto index = static_cast<size_t>(&c - context.inventory->components.data());
  const facts::EolCycle* cycle = index < context.cycle_of_component.size() ? context.cycle_of_component[index] : nullptr;
  if (cycle != nullptr) {
    inventory::Component::VersionPin resolved = pin;
    resolved.cycle = cycle->cycle;
    return resolved.describe(c.version_text);
  }
  std::string why;
  if (context.facts == nullptr || context.facts->products.find(c.product) == context.facts->products.end()) {
    why = "no end-of-life data for " + (c.product.empty() ? std::string("it") : c.product);
  } else if (pin.codename == "lts/*") {
    why = "no line of " + c.product + " is LTS on " + context.today.to_string();
  } else {
    why = "no line of " + c.product + " has that codename";
  }
  return pin.codename + " (codename pin, line unknown: " + why + ")";
}

}  // namespace

Value FieldNode::evaluate(Frame& frame) const {
  Value object = object_->evaluate(frame);
  if (!object.defined()) return object;
  if (object.kind == Kind::kComponent) {
    const inventory::Component& c = *object.component;
    switch (field_) {
      case FieldId::kName: case FieldId::kProduct: case FieldId::kScheme: case FieldId::kPurl: case FieldId::kKind:
      case FieldId::kEnvironment: case FieldId::kCriticality: case FieldId::kExposure: case FieldId::kOwner:
      case FieldId::kCluster:
        return *text_field(c, field_);
      case FieldId::kVersion: return c.version ? Value::borrow_version(&*c.version) : Value::undefined();
      case FieldId::kTags: {
        std::vector<Value> tags;
        for (const auto& tag : c.tags) tags.push_back(Value::borrow_string(tag));
        return Value::own_list(std::move(tags));
      }
      case FieldId::kEol: {
        const auto& components = frame.context->inventory->components;
        auto index = static_cast<size_t>(&c - components.data());
        const facts::EolCycle* cycle = index < components.size() ? frame.context->cycle_of_component[index] : nullptr;
        if (cycle == nullptr) return Value::undefined();
        frame.evidence.push_back(&cycle->evidence);
        frame.cycles_read.push_back(cycle);
        return Value::of_cycle(cycle);
      }
      case FieldId::kAdvisories:
      case FieldId::kNotices: {
        // One list holds both; a notice is not a vulnerability (facts::Advisory::informational).
        size_t index = static_cast<size_t>(&c - frame.context->inventory->components.data());
        const auto& all = frame.context->advisories_of_component;
        const bool notices = field_ == FieldId::kNotices;
        std::vector<Value> items;
        if (index < all.size() && all[index] != nullptr) {
          for (const AdvisoryMatch& match : *all[index]) {
            if (match.advisory->informational.empty() != notices) items.push_back(Value::of_advisory(&match));
          }
        }
        return Value::own_list(std::move(items));
      }
      case FieldId::kReleases: {
        size_t index = static_cast<size_t>(&c - frame.context->inventory->components.data());
        const auto& all = frame.context->releases_of_component;
        std::vector<Value> items;
        if (index < all.size()) {
          for (const ReleaseMatch& match : all[index]) items.push_back(Value::of_release(&match));
        }
        return Value::own_list(std::move(items));
      }
      case FieldId::kFindings: {
        size_t index = static_cast<size_t>(&c - frame.context->inventory->components.data());
        const auto& all = frame.context->findings_of_component;
        std::vector<Value> items;
        if (index < all.size()) {
          for (const FindingRecord& finding : all[index]) items.push_back(Value::of_finding(&finding));
        }
        return Value::own_list(std::move(items));
      }
      case FieldId::kPin: return Value::borrow_string(c.pin.kind_name());
      case FieldId::kPinned: return Value::own_string(pinned_text(frame, c));
      case FieldId::kFile: return non_empty(c.repository_path.empty() ? c.location.file : c.repository_path);
      case FieldId::kLine: return c.location.line > 0 ? Value::of_number(c.location.line) : Value::undefined();
      default: return Value::undefined();
    }
  }
  if (object.kind == Kind::kEolCycle) {
    const facts::EolCycle& cycle = *object.cycle;
    switch (field_) {
      case FieldId::kCycle: return Value::borrow_string(cycle.cycle);
      case FieldId::kReleased: return optional_date(cycle.released);
      case FieldId::kEnds: return optional_date(cycle.security_ends);
      case FieldId::kEnded: {
        bool ended = cycle.security_ended(frame.context->today);
        // Ended stays ended; not yet ended holds through the end date.
        if (!ended && cycle.security_ends) frame.read_day_through(*cycle.security_ends);
        return Value::of_bool(ended);
      }
      case FieldId::kSupportEnds: return optional_date(cycle.active_ends);
      case FieldId::kExtendedEnds: return optional_date(cycle.extended_ends);
      case FieldId::kLts: {
        // Not LTS before its ltsFrom day; the answer holds through the day before it.
        bool lts = facts::lts_on(cycle, frame.context->today);
        if (!lts && cycle.lts && cycle.lts_from) frame.read_day_through(*cycle.lts_from + -1);
        return Value::of_bool(lts);
      }
      case FieldId::kLatest: {
        if (cycle.latest.empty()) return Value::undefined();
        auto parsed = versions::Version::parse(versions::Scheme::kGeneric, cycle.latest);
        return parsed.ok() ? Value::own_version(std::move(parsed.value())) : Value::undefined();
      }
      case FieldId::kLatestDate: return optional_date(cycle.latest_date);
      default: return Value::undefined();
    }
  }
  if (object.kind == Kind::kAdvisory) return advisory_field(frame, *object.advisory, field_);
  if (object.kind == Kind::kFinding) {
    const FindingRecord& finding = *object.finding;
    switch (field_) {
      case FieldId::kFindingRule: return Value::borrow_string(finding.rule);
      case FieldId::kFindingName: return Value::borrow_string(finding.name);
      case FieldId::kFindingTitle: return non_empty(finding.title);
      case FieldId::kFindingUrgency: return Value::of_level(finding.level);
      case FieldId::kFindingScore: return Value::of_number(finding.score);
      case FieldId::kFindingReason: return Value::borrow_string(finding.reason);
      case FieldId::kFindingMessage: return Value::borrow_string(finding.message);
      case FieldId::kFindingTarget: return non_empty(finding.target);
      case FieldId::kFindingDue: return optional_date(finding.due);
      default: return Value::undefined();
    }
  }
  if (object.kind == Kind::kRelease) {
    const ReleaseMatch& match = *object.release;
    const facts::ReleaseNote& release = *match.release;
    frame.evidence.push_back(&release.evidence);
    switch (field_) {
      case FieldId::kReleaseVersion: return match.version ? Value::borrow_version(&*match.version) : Value::undefined();
      case FieldId::kReleaseTag: return non_empty(release.tag);
      case FieldId::kReleaseName: return non_empty(release.name);
      case FieldId::kReleaseDate: return optional_date(release.published);
      case FieldId::kNotes: return Value::borrow_string(release.notes);
      case FieldId::kPrerelease: return Value::of_bool(release.prerelease);
      case FieldId::kReleaseUrl: return non_empty(release.evidence.url);
      default: return Value::undefined();
    }
  }
  if (object.kind == Kind::kVersion) {
    if (field_ == FieldId::kVersionPrerelease) return Value::of_bool(object.version->is_prerelease());
    std::optional<int64_t> part = field_ == FieldId::kMajor   ? object.version->major()
                                  : field_ == FieldId::kMinor ? object.version->minor()
                                                              : object.version->patch();
    return part ? Value::of_number(static_cast<double>(*part)) : Value::undefined();
  }
  return Value::undefined();
}

void FieldNode::describe(std::string& out) const {
  out += "(.";
  out += name_ + " ";
  object_->describe(out);
  out += ")";
}

Value AttributeNode::evaluate(Frame& frame) const {
  Value object = object_->evaluate(frame);
  Value key = key_->evaluate(frame);
  if (object.kind != Kind::kComponent || key.kind != Kind::kString) return Value::undefined();
  auto it = object.component->attributes.find(std::string(key.text));
  return it == object.component->attributes.end() ? Value::undefined() : Value::borrow_string(it->second);
}

void AttributeNode::describe(std::string& out) const { describe_call(out, ".attribute", {object_.get(), key_.get()}); }

Value ExplainedNode::evaluate(Frame& frame) const {
  Value finding = finding_->evaluate(frame);
  Value point = point_->evaluate(frame);
  if (finding.kind != Kind::kFinding || point.kind != Kind::kString) return Value::undefined();
  for (const auto& [name, value] : finding.finding->explained) {
    if (name == point.text) return Value::borrow_string(value);
  }
  return Value::undefined();
}

void ExplainedNode::describe(std::string& out) const { describe_call(out, ".explained", {finding_.get(), point_.get()}); }

Value NotNode::evaluate(Frame& frame) const {
  Value operand = operand_->evaluate(frame);
  return operand.kind == Kind::kBool ? Value::of_bool(!operand.boolean) : Value::undefined();
}
void NotNode::describe(std::string& out) const { describe_call(out, "not", {operand_.get()}); }

Value NegateNode::evaluate(Frame& frame) const {
  Value operand = operand_->evaluate(frame);
  if (operand.kind == Kind::kNumber) return Value::of_number(-operand.number);
  if (operand.kind == Kind::kDuration) return Value::of_duration(-operand.days);
  return Value::undefined();
}
void NegateNode::describe(std::string& out) const { describe_call(out, "neg", {operand_.get()}); }

Value ArithmeticNode::evaluate(Frame& frame) const {
  Value left = left_->evaluate(frame);
  if (!left.defined()) return left;
  Value right = right_->evaluate(frame);
  if (!right.defined()) return right;
  if (left.kind == Kind::kNumber && right.kind == Kind::kNumber) {
    double a = left.number, b = right.number;
    switch (op_) {
      case ast::BinaryOp::kAdd: return Value::of_number(a + b);
      case ast::BinaryOp::kSubtract: return Value::of_number(a - b);
      case ast::BinaryOp::kMultiply: return Value::of_number(a * b);
      case ast::BinaryOp::kDivide: return b == 0 ? Value::undefined() : Value::of_number(a / b);
      case ast::BinaryOp::kModulo: return b == 0 ? Value::undefined() : Value::of_number(std::fmod(a, b));
      default: return Value::undefined();
    }
  }
  if (left.kind == Kind::kString && right.kind == Kind::kString) {
    return Value::own_string(std::string(left.text) + std::string(right.text));
  }
  if (left.kind == Kind::kDate && right.kind == Kind::kDate) return Value::of_duration(left.days - right.days);
  if (left.kind == Kind::kDate && right.kind == Kind::kDuration) {
    return Value::of_date(left.date() + (op_ == ast::BinaryOp::kAdd ? right.days : -right.days));
  }
  if (left.kind == Kind::kDuration && right.kind == Kind::kDate) return Value::of_date(right.date() + left.days);
  if (left.kind == Kind::kDuration && right.kind == Kind::kDuration) {
    return Value::of_duration(op_ == ast::BinaryOp::kAdd ? left.days + right.days : left.days - right.days);
  }
  if (left.kind == Kind::kDuration && right.kind == Kind::kNumber) {
    double scaled = op_ == ast::BinaryOp::kMultiply ? left.days * right.number
                                                     : (right.number == 0 ? NAN : left.days / right.number);
    return std::isfinite(scaled) ? Value::of_duration(static_cast<int32_t>(std::lround(scaled))) : Value::undefined();
  }
  return Value::undefined();
}

void ArithmeticNode::describe(std::string& out) const { describe_call(out, op_text(op_), {left_.get(), right_.get()}); }

Value CompareNode::evaluate(Frame& frame) const {
  Value left = left_->evaluate(frame);
  if (!left.defined()) return left;
  Value right = right_->evaluate(frame);
  if (!right.defined() || right.kind != left.kind) return Value::undefined();
  int order = 0;
  switch (left.kind) {
    case Kind::kNumber: order = order_of(left.number, right.number); break;
    case Kind::kString: order = left.text.compare(right.text); break;
    case Kind::kDate: case Kind::kDuration: order = order_of(left.days, right.days); break;
    case Kind::kLevel: order = order_of(left.level, right.level); break;
    case Kind::kBool: order = order_of(left.boolean, right.boolean); break;
    default: return Value::of_bool(holds(op_, equal_values(left, right) ? 0 : 1));
  }
  return Value::of_bool(holds(op_, order));
}

void CompareNode::describe(std::string& out) const { describe_call(out, op_text(op_), {left_.get(), right_.get()}); }

Value VersionCompareNode::evaluate(Frame& frame) const {
  Value left = left_->evaluate(frame);
  if (left.kind != Kind::kVersion) return Value::undefined();
  const versions::Scheme scheme = left.version->scheme();
  if (right_literal_) {
    const auto& right = right_literal_->by_scheme[static_cast<size_t>(scheme)];
    if (!right) return Value::undefined();
    return Value::of_bool(holds(op_, versions::compare(*left.version, *right)));
  }
  Value right = right_->evaluate(frame);
  std::string_view text;
  if (right.kind == Kind::kVersion) {
    if (right.version->scheme() == scheme) return Value::of_bool(holds(op_, versions::compare(*left.version, *right.version)));
    text = right.version->text();
  } else if (right.kind == Kind::kString) {
    text = right.text;
  } else {
    return Value::undefined();
  }
  auto parsed = versions::Version::parse(scheme, text);
  if (!parsed.ok()) return Value::undefined();
  return Value::of_bool(holds(op_, versions::compare(*left.version, parsed.value())));
}

void VersionCompareNode::describe(std::string& out) const {
  describe_call(out, std::string("version") + std::string(op_text(op_)), {left_.get(), right_.get()});
}

Value VersionInRangeNode::evaluate(Frame& frame) const {
  Value version = version_->evaluate(frame);
  if (version.kind != Kind::kVersion) return Value::undefined();
  const versions::Scheme scheme = version.version->scheme();
  bool inside = false;
  if (literal_) {
    const auto& range = literal_->by_scheme[static_cast<size_t>(scheme)];
    if (!range) return Value::undefined();
    inside = range->contains(*version.version);
  } else {
    Value text = range_text_->evaluate(frame);
    if (text.kind != Kind::kString) return Value::undefined();
    auto range = versions::Range::parse(scheme, text.text);
    if (!range.ok()) return Value::undefined();
    inside = range->contains(*version.version);
  }
  return Value::of_bool(inside != negate_);
}

void VersionInRangeNode::describe(std::string& out) const {
  describe_call(out, negate_ ? "not-in-range" : "in-range", {version_.get(), range_text_.get()});
}

Value InListNode::evaluate(Frame& frame) const {
  Value item = item_->evaluate(frame);
  if (!item.defined()) return item;
  Value list = list_->evaluate(frame);
  if (list.kind != Kind::kList) return Value::undefined();
  bool found = std::any_of(list.list->begin(), list.list->end(), [&](const Value& v) { return equal_values(v, item); });
  return Value::of_bool(found != negate_);
}

void InListNode::describe(std::string& out) const {
  describe_call(out, negate_ ? "not-in" : "in", {item_.get(), list_.get()});
}

Value MatchNode::evaluate(Frame& frame) const {
  Value text = text_->evaluate(frame);
  if (text.kind != Kind::kString) return Value::undefined();
  re2::StringPiece piece(text.text.data(), text.text.size());
  bool matched = false;
  const bool by_content = text.text.size() <= Frame::kRegexKeyedByContent;
  if (set_ && set_->compiled && (by_content || text.owner == nullptr)) {
    // A long text is memoized only when it outlives the evaluation (facts, not computed
    // strings): its address is the key.
    Frame::RegexSetKeyView key{set_.get(), by_content ? nullptr : text.text.data(),
                               by_content ? text.text : std::string_view()};
    auto found = frame.regex_set_matches.find(key);
    if (found == frame.regex_set_matches.end()) {
      if (frame.regex_set_matches.size() >= 4096) frame.regex_set_matches.clear();
      std::vector<int> hits;
      set_->set->Match(piece, &hits);
      std::sort(hits.begin(), hits.end());
      found = frame.regex_set_matches.emplace(Frame::RegexSetKey{key.set, key.address, std::string(key.text)}, std::move(hits)).first;
    }
    matched = std::binary_search(found->second.begin(), found->second.end(), set_index_);
  } else {
    matched = re2::RE2::PartialMatch(piece, *regex_);
  }
  return Value::of_bool(matched != negate_);
}

void MatchNode::describe(std::string& out) const {
  out += negate_ ? "(!~ " : "(~ ";
  text_->describe(out);
  out += " /" + regex_->pattern() + "/)";
}

// Kleene logic: a known false decides `and`, a known true decides `or`; otherwise an
// undefined operand leaves the result undefined.
Value LogicNode::evaluate(Frame& frame) const {
  Value left = left_->evaluate(frame);
  if (left.kind == Kind::kBool && left.boolean != is_and_) return left;
  Value right = right_->evaluate(frame);
  if (right.kind == Kind::kBool && right.boolean != is_and_) return right;
  if (left.kind == Kind::kBool && right.kind == Kind::kBool) return Value::of_bool(is_and_);
  return Value::undefined();
}

void LogicNode::describe(std::string& out) const { describe_call(out, is_and_ ? "and" : "or", {left_.get(), right_.get()}); }

// `if` takes its else branch unless the condition is known to be true, so that policy
// such as "critical if internet-facing, else high" still ranks components whose
// exposure is not recorded.
Value ConditionalNode::evaluate(Frame& frame) const {
  return condition_->evaluate(frame).is_true() ? then_->evaluate(frame) : else_->evaluate(frame);
}

void ConditionalNode::describe(std::string& out) const {
  describe_call(out, "if", {condition_.get(), then_.get(), else_.get()});
}

Value ListNode::evaluate(Frame& frame) const {
  std::vector<Value> values;
  values.reserve(items_.size());
  for (const auto& item : items_) values.push_back(item->evaluate(frame));
  return Value::own_list(std::move(values));
}

void ListNode::describe(std::string& out) const {
  out += "[";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i > 0) out += " ";
    items_[i]->describe(out);
  }
  out += "]";
}

// max/min over numbers, dates, durations, levels or versions (versions compare within a scheme);
// sum over numbers. Items whose condition is not true or whose value is undefined are
// skipped; max/min of nothing is undefined, sum of nothing is 0.
Value QuantifierNode::aggregate(Frame& frame, const std::vector<Value>& items) const {
  Value best;
  double sum = 0;
  for (const Value& item : items) {
    frame.slots[static_cast<size_t>(slot_)] = item;
    if (condition_ && !condition_->evaluate(frame).is_true()) continue;
    Value value = value_->evaluate(frame);
    if (!value.defined()) continue;
    if (kind_ == ast::QuantifierKind::kSum) {
      if (value.kind == Kind::kNumber) sum += value.number;
      continue;
    }
    if (!best.defined()) {
      best = value;
      continue;
    }
    int order = 0;
    if (value.kind == Kind::kNumber) order = order_of(value.number, best.number);
    else if (value.kind == Kind::kString) order = value.text.compare(best.text);
    else if (value.kind == Kind::kLevel) order = order_of(value.level, best.level);
    else if (value.kind == Kind::kVersion) {
      if (value.version->scheme() != best.version->scheme()) continue;
      order = versions::compare(*value.version, *best.version);
    } else order = order_of(value.days, best.days);
    if ((kind_ == ast::QuantifierKind::kMax && order > 0) || (kind_ == ast::QuantifierKind::kMin && order < 0)) {
      best = value;
    }
  }
  return kind_ == ast::QuantifierKind::kSum ? Value::of_number(sum) : best;
}

namespace {

// Whether evaluating `node` records nothing and reads only text fields and attributes of
// components, constants, today and variables: a test whose value depends on what it reads
// alone (def calls inside it included).
bool pure_test(const Node& node) {
  if (const auto* field = dynamic_cast<const FieldNode*>(&node)) {
    return text_index_of(field->field()) && dynamic_cast<const SlotNode*>(&field->object()) != nullptr;
  }
  bool allowed = dynamic_cast<const ConstantNode*>(&node) != nullptr || dynamic_cast<const SlotNode*>(&node) != nullptr ||
                 dynamic_cast<const TodayNode*>(&node) != nullptr || dynamic_cast<const AttributeNode*>(&node) != nullptr ||
                 dynamic_cast<const NotNode*>(&node) != nullptr || dynamic_cast<const CompareNode*>(&node) != nullptr ||
                 dynamic_cast<const InListNode*>(&node) != nullptr || dynamic_cast<const LogicNode*>(&node) != nullptr ||
                 dynamic_cast<const ConditionalNode*>(&node) != nullptr || dynamic_cast<const ListNode*>(&node) != nullptr ||
                 dynamic_cast<const InterpolationNode*>(&node) != nullptr || dynamic_cast<const LetNode*>(&node) != nullptr;
  if (!allowed) return false;
  bool pure = true;
  node.visit_children([&](const Node& child) { pure = pure && pure_test(child); });
  return pure;
}

// Whether `node` reads `today` (def calls inside it included).
bool reads_today(const Node& node) {
  bool found = dynamic_cast<const TodayNode*>(&node) != nullptr;
  node.visit_children([&](const Node& child) { found = found || reads_today(child); });
  return found;
}

// Adds to `reads` the slots `node` reads that none of its def calls binds itself.
void outer_slots(const Node& node, std::vector<int>& reads, std::vector<int>& local) {
  if (const auto* call = dynamic_cast<const LetNode*>(&node)) local.insert(local.end(), call->slots().begin(), call->slots().end());
  if (const auto* slot = dynamic_cast<const SlotNode*>(&node)) reads.push_back(slot->slot());
  node.visit_children([&](const Node& child) { outer_slots(child, reads, local); });
}

// Appends `value` to a prefilter key; false for a value that makes none (a component
// would make one list per component: no better than the scan).
bool append_key(const Value& value, std::string& key) {
  switch (value.kind) {
    case Kind::kUndefined: key += "u;"; return true;
    case Kind::kBool: key += value.boolean ? "t;" : "f;"; return true;
    case Kind::kNumber: {
      char bytes[sizeof(double)];
      std::memcpy(bytes, &value.number, sizeof bytes);
      key += 'n';
      key.append(bytes, sizeof bytes);
      return true;
    }
    case Kind::kString:
      key += 's' + std::to_string(value.text.size()) + ':';
      key += value.text;
      return true;
    default: return false;
  }
}

}  // namespace

void QuantifierNode::plan_lookup() {
  if (kind_ == ast::QuantifierKind::kAll || !condition_) return;
  const auto* all = dynamic_cast<const ComponentsNode*>(collection_.get());
  if (all == nullptr || all->selector()) return;
  std::vector<const LetNode*> calls;
  std::vector<std::vector<bool>> binds;
  std::vector<int> items{slot_};  // the item's slot and the def parameters it is passed to
  const Node* node = condition_.get();
  for (;;) {
    if (const auto* logic = dynamic_cast<const LogicNode*>(node); logic != nullptr && logic->is_and()) {
      node = &logic->left();
      continue;
    }
    if (const auto* call = dynamic_cast<const LetNode*>(node)) {
      std::vector<bool> bind;
      for (size_t i = 0; i < call->arguments().size(); ++i) {
        const Node& argument = *call->arguments()[i];
        const auto* slot = dynamic_cast<const SlotNode*>(&argument);
        if (slot != nullptr && std::find(items.begin(), items.end(), slot->slot()) != items.end()) {
          items.push_back(call->slots()[i]);
          bind.push_back(false);
        } else if (reads_slot(argument, items)) {
          return;  // reads something of the item before the test: the scan's side effects
        } else {
          bind.push_back(true);
        }
      }
      calls.push_back(call);
      binds.push_back(std::move(bind));
      node = &call->body();
      continue;
    }
    break;
  }
  if (const auto* compare = dynamic_cast<const CompareNode*>(node); compare != nullptr && compare->op() == ast::BinaryOp::kEqual) {
    const FieldNode* field = item_text_field(compare->left(), items);
    const Node* key = &compare->right();
    if (field == nullptr) {
      field = item_text_field(compare->right(), items);
      key = &compare->left();
    }
    if (field != nullptr && plain_key(*key, items)) {
      lookup_ = Lookup{*text_index_of(field->field()), field->field(), key, calls, binds};
      return;
    }
  }
  if (!pure_test(*node) || !reads_slot(*node, items)) return;
  std::vector<int> reads, local;
  outer_slots(*node, reads, local);
  std::erase_if(reads, [&](int slot) {
    return std::find(items.begin(), items.end(), slot) != items.end() || std::find(local.begin(), local.end(), slot) != local.end();
  });
  std::sort(reads.begin(), reads.end());
  reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
  prefilter_ = Prefilter{node, std::move(calls), std::move(binds), std::move(items), std::move(reads), reads_today(*node)};
}

namespace {

// Binds the bound arguments of the def calls on the way to a planned test, outer first,
// as evaluating the condition would; returns what they replaced, for restore_slots.
std::vector<std::pair<size_t, Value>> bind_calls(Frame& frame, const std::vector<const LetNode*>& calls,
                                                 const std::vector<std::vector<bool>>& bind) {
  std::vector<std::pair<size_t, Value>> saved;
  for (size_t c = 0; c < calls.size(); ++c) {
    for (size_t i = 0; i < bind[c].size(); ++i) {
      if (!bind[c][i]) continue;
      auto slot = static_cast<size_t>(calls[c]->slots()[i]);
      saved.emplace_back(slot, frame.slots[slot]);
      frame.slots[slot] = calls[c]->arguments()[i]->evaluate(frame);
    }
  }
  return saved;
}

void restore_slots(Frame& frame, std::vector<std::pair<size_t, Value>>& saved) {
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) frame.slots[it->first] = std::move(it->second);
}

}  // namespace

std::optional<Value> QuantifierNode::prefiltered(Frame& frame) const {
  const Prefilter& plan = *prefilter_;
  const EvaluationContext& context = *frame.context;
  std::vector<std::pair<size_t, Value>> saved = bind_calls(frame, plan.calls, plan.bind);
  std::string key;
  bool keyed = true;
  for (int slot : plan.reads) keyed = keyed && append_key(frame.slots[static_cast<size_t>(slot)], key);
  if (plan.reads_today) {
    // The list holds on this day only; a context evaluated on several days keeps one per day.
    frame.read_day_through(context.today);
    key += 'd' + std::to_string(context.today.days_since_epoch());
  }
  std::optional<Value> list;
  if (keyed) {
    std::lock_guard<std::mutex> lock(context.prefilter_mutex);
    auto found = context.prefiltered.find({this, key});
    if (found != context.prefiltered.end()) {
      list = found->second;
    } else if (context.prefiltered_items < EvaluationContext::kPrefilteredItems) {
      // The test is pure: run on a copy of the frame, it leaves this one as it was.
      Frame scratch;
      scratch.context = &context;
      scratch.slots = frame.slots;
      std::vector<Value> passing;
      for (const inventory::Component& component : context.inventory->components) {
        Value item = Value::of_component(&component);
        for (int slot : plan.items) scratch.slots[static_cast<size_t>(slot)] = item;
        if (plan.test->evaluate(scratch).is_true()) passing.push_back(item);
      }
      context.prefiltered_items += passing.size() + 1;
      list = context.prefiltered.emplace(std::make_pair(this, std::move(key)), Value::own_list(std::move(passing))).first->second;
    }
  }
  restore_slots(frame, saved);
  return list;
}

// The components whose field reads the key (inventory order), from the context's index of
// that field, built on first use.
Value QuantifierNode::lookup(Frame& frame) const {
  const Lookup& plan = *lookup_;
  const EvaluationContext& context = *frame.context;
  std::call_once(context.text_index_built[plan.index], [&] {
    std::unordered_map<std::string_view, std::vector<Value>> lists;
    for (const inventory::Component& component : context.inventory->components) {
      Value text = *text_field(component, plan.field);
      if (text.kind == Kind::kString) lists[text.text].push_back(Value::of_component(&component));
    }
    auto& index = context.text_index[plan.index];
    for (auto& [text, list] : lists) index.emplace(text, Value::own_list(std::move(list)));
  });
  // The key as the condition reads it: the def calls on the way bind their arguments.
  std::vector<std::pair<size_t, Value>> saved = bind_calls(frame, plan.calls, plan.bind);
  Value key = plan.key->evaluate(frame);
  restore_slots(frame, saved);
  static const Value kNone = Value::own_list({});
  if (key.kind != Kind::kString) return kNone;  // `==` with it is never true
  const auto& index = context.text_index[plan.index];
  auto found = index.find(key.text);
  return found == index.end() ? kNone : found->second;
}

Value QuantifierNode::evaluate(Frame& frame) const {
  // Scanning an empty fleet reads nothing, not even the key.
  const bool scan = (!lookup_ && !prefilter_) || frame.context->inventory == nullptr ||
                    frame.context->inventory->components.empty();
  Value collection;
  if (scan) {
    collection = collection_->evaluate(frame);
  } else if (lookup_) {
    collection = lookup(frame);
  } else {
    std::optional<Value> passing = prefiltered(frame);
    collection = passing ? std::move(*passing) : collection_->evaluate(frame);
  }
  if (collection.kind != Kind::kList) return Value::undefined();
  Value saved = frame.slots[static_cast<size_t>(slot_)];
  if (value_) {
    Value result = aggregate(frame, *collection.list);
    frame.slots[static_cast<size_t>(slot_)] = saved;
    return result;
  }
  // `where` filters as everywhere else: an item counts only when its condition is true,
  // so a quantifier over a known list is never undefined.
  int count = 0;
  bool all = true;
  for (const Value& item : *collection.list) {
    frame.slots[static_cast<size_t>(slot_)] = item;
    bool holds = !condition_ || condition_->evaluate(frame).is_true();
    count += holds;
    all = all && holds;
    if ((kind_ == ast::QuantifierKind::kAny && holds) || (kind_ == ast::QuantifierKind::kAll && !holds)) break;
  }
  frame.slots[static_cast<size_t>(slot_)] = saved;
  if (kind_ == ast::QuantifierKind::kCount) return Value::of_number(count);
  return Value::of_bool(kind_ == ast::QuantifierKind::kAny ? count > 0 : all);
}

void QuantifierNode::describe(std::string& out) const {
  static const char* names[] = {"any", "all", "count", "max", "min", "sum"};
  out += std::string("(") + names[static_cast<int>(kind_)] + " #" + std::to_string(slot_) + " ";
  if (value_) {
    value_->describe(out);
    out += " ";
  }
  collection_->describe(out);
  out += " ";
  if (condition_) condition_->describe(out);
  else out += "true";
  out += ")";
}

Value InterpolationNode::evaluate(Frame& frame) const {
  std::string out = texts_[0];
  for (size_t i = 0; i < values_.size(); ++i) {
    out += format_value(values_[i]->evaluate(frame));
    out += texts_[i + 1];
  }
  return Value::own_string(std::move(out));
}

void InterpolationNode::describe(std::string& out) const {
  out += "(format";
  for (size_t i = 0; i < values_.size(); ++i) {
    out += " \"" + texts_[i] + "\" ";
    values_[i]->describe(out);
  }
  out += " \"" + texts_.back() + "\")";
}

Value LetNode::evaluate(Frame& frame) const {
  // Defs take a few arguments: those live on the stack, not in a vector per call.
  constexpr size_t kInlineArguments = 4;
  std::array<Value, kInlineArguments> inline_arguments;
  std::vector<Value> more_arguments;
  std::span<Value> arguments(inline_arguments.data(), arguments_.size());
  if (arguments_.size() > kInlineArguments) {
    more_arguments.resize(arguments_.size());
    arguments = more_arguments;
  }
  for (size_t i = 0; i < arguments_.size(); ++i) arguments[i] = arguments_[i]->evaluate(frame);
  // Rule packs call small defs over and over for one match (the SSVC pack asks for the
  // deciding advisory a dozen times, each a scan of the advisories): evaluate each once.
  // Keyed by the def, not this call site: every call inlines its own copy of the body, so
  // `decider(c)` in ten clauses, or `automatable(a)` under both the SSVC and the BOD key,
  // are ten and two sites of one computation. The facts the first call read are already
  // in this match's evidence, which the memo lives no longer than.
  if (const Value* found = frame.def_results.find(identity_, arguments)) return *found;
  std::array<Value, kInlineArguments> inline_saved;
  std::vector<Value> more_saved;
  std::span<Value> saved(inline_saved.data(), std::min(slots_.size(), kInlineArguments));
  if (slots_.size() > kInlineArguments) {
    more_saved.resize(slots_.size());
    saved = more_saved;
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    saved[i] = frame.slots[static_cast<size_t>(slots_[i])];
    frame.slots[static_cast<size_t>(slots_[i])] = arguments[i];
  }
  Value result = body_->evaluate(frame);
  for (size_t i = 0; i < slots_.size(); ++i) frame.slots[static_cast<size_t>(slots_[i])] = std::move(saved[i]);
  frame.def_results.add(identity_, arguments, result);
  return result;
}

void LetNode::describe(std::string& out) const {
  out += "(" + function_;
  for (size_t i = 0; i < arguments_.size(); ++i) {
    out += " #" + std::to_string(slots_[i]) + "=";
    arguments_[i]->describe(out);
  }
  out += " ";
  body_->describe(out);
  out += ")";
}

Value ReleasesBetweenNode::evaluate(Frame& frame) const {
  Value component = component_->evaluate(frame);
  if (component.kind != Kind::kComponent) return Value::undefined();
  // Bounds given as text are read in the component's scheme; a bound that was given but
  // is unknown or unreadable makes the whole list unknown.
  auto bound = [&](const NodePtr& node) -> std::optional<Value> {
    if (!node) return Value();
    Value value = node->evaluate(frame);
    if (value.kind == Kind::kString) {
      auto parsed = versions::Version::parse(component.component->scheme, value.text);
      if (!parsed.ok()) return std::nullopt;
      return Value::own_version(std::move(parsed.value()));
    }
    if (value.kind != Kind::kVersion) return std::nullopt;
    return value;
  };
  std::optional<Value> after = bound(after_), upto = bound(upto_);
  if (!after || !upto) return Value::undefined();
  size_t index = static_cast<size_t>(component.component - frame.context->inventory->components.data());
  std::vector<Value> items;
  if (index < frame.context->releases_of_component.size()) {
    for (const ReleaseMatch& match : frame.context->releases_of_component[index]) {
      if (!match.version) continue;
      if (after_ && versions::compare(*match.version, *after->version) <= 0) continue;
      if (upto_ && versions::compare(*match.version, *upto->version) > 0) continue;
      items.push_back(Value::of_release(&match));
    }
  }
  return Value::own_list(std::move(items));
}

void ReleasesBetweenNode::describe(std::string& out) const {
  describe_call(out, ".releases", {component_.get(), after_.get(), upto_.get()});
}

namespace {

// Returns the latest version of the oldest cycle, at or after the component's own, whose
// security support lasts beyond `until`: the smallest upgrade that stays supported.
// A component pinned to a line or range starts from the first release of its cycle.
Value supported_target(const Frame& frame, const inventory::Component& component, Date until) {
  auto product = frame.context->facts->products.find(component.product);
  if (product == frame.context->facts->products.end()) return Value::undefined();
  std::optional<versions::Version> floor = component.version;
  if (!floor) {
    const auto& components = frame.context->inventory->components;
    auto index = static_cast<size_t>(&component - components.data());
    const facts::EolCycle* cycle = index < components.size() ? frame.context->cycle_of_component[index] : nullptr;
    if (cycle == nullptr) return Value::undefined();
    auto first = versions::Version::parse(component.scheme, cycle->cycle);
    if (!first.ok()) return Value::undefined();
    floor = std::move(first.value());
  }
  // Only what was known on the day: a cycle released, or a latest release out, after it
  // does not exist yet (evaluator::known_by).
  const Date known_on = frame.context->facts_known_on.value_or(frame.context->today);
  const facts::EolCycle* best = nullptr;
  std::optional<versions::Version> best_version;
  for (const facts::EolCycle& cycle : product->second.cycles) {
    if (cycle.security_ended_flag || (cycle.released && *cycle.released > known_on)) continue;
    if (cycle.security_ends && *cycle.security_ends <= until) continue;
    auto known = frame.context->facts->latest_known_on(cycle, known_on);
    if (!known) continue;
    auto latest = versions::Version::parse(component.scheme, known->version);
    if (!latest.ok() || versions::compare(latest.value(), *floor) < 0) continue;
    if (!best_version || versions::compare(latest.value(), *best_version) < 0) {
      best = &cycle;
      best_version = std::move(latest.value());
    }
  }
  if (best == nullptr) return Value::undefined();
  return Value::own_version(std::move(*best_version));
}

}  // namespace

Value BuiltinNode::evaluate(Frame& frame) const {
  std::vector<Value> args;
  args.reserve(arguments_.size());
  for (const auto& argument : arguments_) args.push_back(argument->evaluate(frame));
  if (builtin_ == Builtin::kDefined) return Value::of_bool(args[0].defined());
  for (const Value& arg : args) {
    if (!arg.defined()) return Value::undefined();
  }
  switch (builtin_) {
    case Builtin::kDays:
      return Value::of_number(args[0].days);
    case Builtin::kClamp:
      return Value::of_number(std::clamp(args[0].number, args[1].number, std::max(args[1].number, args[2].number)));
    case Builtin::kMin: case Builtin::kMax: {
      bool is_min = builtin_ == Builtin::kMin;
      Value best = args[0];
      for (const Value& arg : args) {
        bool better = arg.kind == Kind::kNumber ? (is_min ? arg.number < best.number : arg.number > best.number)
                                                 : (is_min ? arg.days < best.days : arg.days > best.days);
        if (better) best = arg;
      }
      return best;
    }
    case Builtin::kLower: case Builtin::kUpper: {
      std::string text(args[0].text);
      for (char& ch : text) {
        if (builtin_ == Builtin::kLower && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        if (builtin_ == Builtin::kUpper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      }
      return Value::own_string(std::move(text));
    }
    case Builtin::kLen:
      return Value::of_number(args[0].kind == Kind::kList ? static_cast<double>(args[0].list->size())
                                                          : static_cast<double>(args[0].text.size()));
    case Builtin::kString:
      return Value::own_string(format_value(args[0]));
    case Builtin::kMatches:
      return Value::of_bool(re2::RE2::PartialMatch(re2::StringPiece(args[0].text.data(), args[0].text.size()), *regex_));
    case Builtin::kSupportedTarget:
      return supported_target(frame, *args[0].component, args[1].date());
    case Builtin::kInCycle:
      return Value::of_bool(versions::in_cycle(*args[0].version, args[1].text));
    case Builtin::kMajor: case Builtin::kMinor: case Builtin::kPatch: {
      std::optional<int64_t> part = builtin_ == Builtin::kMajor   ? args[0].version->major()
                                    : builtin_ == Builtin::kMinor ? args[0].version->minor()
                                                                  : args[0].version->patch();
      return part ? Value::of_number(static_cast<double>(*part)) : Value::undefined();
    }
    case Builtin::kRelated:
      return Value::of_bool(inventory::related(*args[0].component, *args[1].component));
    case Builtin::kInScheme: {
      auto scheme = versions::parse_scheme(args[1].text);
      if (!scheme) return Value::undefined();
      auto parsed = versions::Version::parse(*scheme, args[0].kind == Kind::kString ? std::string(args[0].text)
                                                                                     : args[0].version->text());
      return parsed.ok() ? Value::own_version(std::move(parsed.value())) : Value::undefined();
    }
    case Builtin::kDefined:
      break;
  }
  return Value::undefined();
}

void BuiltinNode::describe(std::string& out) const {
  out += "(" + name_;
  for (const auto& argument : arguments_) {
    out += " ";
    argument->describe(out);
  }
  out += ")";
}

}  // namespace internal
}  // namespace uprank::compiler
