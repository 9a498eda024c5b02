#include "engine/ruletest/ruletest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "engine/evaluator/evaluator.h"
#include "engine/inventory/version_pin.h"
#include "engine/report/report.h"

namespace uprank::ruletest {
namespace {

// Renders a literal the way a param override is written on the command line.
std::string override_text(const ast::Expr& expr) {
  if (const auto* name = std::get_if<ast::Name>(&expr.node)) return name->identifier;
  const auto* literal = std::get_if<ast::Literal>(&expr.node);
  if (literal == nullptr) return "";
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
        if constexpr (std::is_same_v<V, double>) {
          char buffer[64];
          std::snprintf(buffer, sizeof buffer, "%.17g", v);
          return buffer;
        }
        if constexpr (std::is_same_v<V, std::string>) return v;
        if constexpr (std::is_same_v<V, Date>) return v.to_string();
        if constexpr (std::is_same_v<V, ast::Duration>) return std::to_string(v.days) + "d";
        return "";
      },
      literal->value);
}

class FixtureBuilder {
 public:
  explicit FixtureBuilder(std::vector<Diagnostic>& diagnostics) : diagnostics_(diagnostics) {}

  bool build(const ast::TestCase& test, inventory::Inventory& inventory, facts::FactSet& facts) {
    size_t errors_before = diagnostics_.size();
    for (const auto& component : test.components) inventory.components.push_back(build_component(component));
    for (const auto& cycle : test.eol_cycles) add_cycle(cycle, facts);
    for (const auto& release : test.releases) add_release(release, facts);
    for (const auto& record : test.records) add_record(record, facts);
    for (const auto& syntax : test.advisories) {
      auto declared = compiler::lower_declared_advisory(syntax, diagnostics_);
      if (!declared) continue;
      facts::Advisory advisory = declared->advisory;
      advisory.evidence.source = "test";
      if (declared->exploited) {
        facts::KevEntry kev;
        kev.cve = advisory.id;
        kev.date_added = declared->exploited_since;
        kev.evidence = {"test", advisory.id, "", ""};
        facts.kev[advisory.id] = kev;
      }
      std::string key = facts::advisory_key(advisory);
      facts.advisories[key] = std::move(advisory);
    }
    return diagnostics_.size() == errors_before;
  }

 private:
  void error(const SourceRange& at, std::string message, std::string hint = "") {
    diagnostics_.push_back(Diagnostic{Severity::kError, "uprank.test_fixture", std::move(message), at, std::move(hint)});
  }

  // Returns the single text value of a setting, or reports that it needs one.
  const std::string* text(const ast::Setting& setting) {
    if (!setting.is_list && setting.values.size() == 1) {
      if (const auto* value = std::get_if<std::string>(&setting.values[0])) return value;
    }
    error(setting.range, "'" + setting.field + "' takes one string");
    return nullptr;
  }

  std::optional<Date> date(const ast::Setting& setting) {
    if (!setting.is_list && setting.values.size() == 1) {
      if (const auto* value = std::get_if<Date>(&setting.values[0])) return *value;
    }
    error(setting.range, "'" + setting.field + "' takes a date (YYYY-MM-DD)");
    return std::nullopt;
  }

  std::vector<std::string> texts(const ast::Setting& setting) {
    std::vector<std::string> out;
    for (const auto& value : setting.values) {
      if (const auto* item = std::get_if<std::string>(&value)) out.push_back(*item);
      else error(setting.range, "'" + setting.field + "' takes a list of strings");
    }
    return out;
  }

  inventory::Component build_component(const ast::TestComponent& syntax) {
    inventory::Component component;
    component.name = syntax.name;
    component.location = syntax.range.begin;
    static const std::vector<std::string> known = {"product", "version", "scheme", "purl", "environment", "criticality",
                                                   "exposure", "owner", "cluster", "tags", "depends_on", "repository",
                                                   "pin", "kind", "attributes"};
    std::string pin;
    for (const auto& setting : syntax.settings) {
      const std::string& field = setting.field;
      if (field == "tags") {
        component.tags = texts(setting);
      } else if (field == "depends_on") {
        component.depends_on = texts(setting);
      } else if (field == "attributes") {
        // ["key=value", ...]: what a reader records beside the fields (c.attribute("key")).
        for (const std::string& pair : texts(setting)) {
          size_t equals = pair.find('=');
          if (equals == std::string::npos || equals == 0) {
            error(setting.range, "attribute '" + pair + "' is not KEY=VALUE");
          } else {
            component.attributes[pair.substr(0, equals)] = pair.substr(equals + 1);
          }
        }
      } else if (std::find(known.begin(), known.end(), field) == known.end()) {
        std::string closest = closest_name(field, known);
        error(setting.range, "unknown component field '" + field + "'",
              closest.empty() ? "" : "did you mean '" + closest + "'?");
      } else if (const std::string* value = text(setting)) {
        if (field == "product") component.product = *value;
        else if (field == "version") component.version_text = *value;
        else if (field == "purl") component.purl = *value;
        else if (field == "environment") component.environment = *value;
        else if (field == "criticality") component.criticality = *value;
        else if (field == "exposure") component.exposure = *value;
        else if (field == "owner") component.owner = *value;
        else if (field == "cluster") component.cluster = *value;
        else if (field == "repository") component.attributes["repository"] = *value;
        else if (field == "pin") pin = *value;
        else if (field == "kind") component.kind = *value;
        else if (field == "scheme") {
          auto scheme = versions::parse_scheme(*value);
          if (scheme) component.scheme = *scheme;
          else error(setting.range, "unknown scheme '" + *value + "'");
        }
      }
    }
    // `pin` says how `version` pins it (docs/inventory.md, "Version pins"): "line" ("7"),
    // "range" ("~> 1.5.0"), "codename" ("bookworm", "lts/*"), "digest"; exact otherwise.
    using Kind = inventory::Component::VersionPin::Kind;
    if (pin == "line") {
      component.pin.kind = Kind::kCycle;
      component.pin.cycle = component.version_text;
    } else if (pin == "range") {
      component.pin = inventory::pin_of_constraint(component.version_text);
    } else if (pin == "codename") {
      component.pin.kind = Kind::kCycle;
      component.pin.codename = component.version_text;
    } else if (pin == "digest") {
      component.pin.kind = Kind::kDigest;
      component.pin.digest = component.version_text;
    } else if (!pin.empty() && pin != "exact") {
      error(syntax.range, "unknown pin '" + pin + "'", "one of exact, line, range, codename, digest");
    }
    if (component.version_text.empty()) {
      error(syntax.range, "component '" + syntax.name + "' needs a version");
    } else if (!component.pin.exact() || component.kind == "kubernetes-api") {
      // No running version: rules see c.version undefined. A Kubernetes API version
      // ("apps/v1") names an interface, not a release: no scheme orders it.
    } else {
      auto version = versions::Version::parse(component.scheme, component.version_text);
      if (version.ok()) component.version = std::move(version.value());
      else error(syntax.range, "component '" + syntax.name + "': " + version.error().message);
    }
    return component;
  }

  void add_cycle(const ast::TestFact& syntax, facts::FactSet& facts) {
    facts::EolCycle cycle;
    cycle.product = syntax.product;
    cycle.cycle = syntax.key;
    cycle.evidence = {"test", syntax.product + "/" + syntax.key, "", ""};
    for (const auto& setting : syntax.settings) {
      const std::string& field = setting.field;
      if (field == "ends" || field == "eol") {
        if (setting.values.size() == 1 && std::holds_alternative<bool>(setting.values[0])) {
          cycle.security_ended_flag = std::get<bool>(setting.values[0]);
        } else {
          cycle.security_ends = date(setting);
        }
      } else if (field == "released") {
        cycle.released = date(setting);
      } else if (field == "support_ends") {
        cycle.active_ends = date(setting);
      } else if (field == "extended_ends") {
        cycle.extended_ends = date(setting);
      } else if (field == "latest_date") {
        cycle.latest_date = date(setting);
      } else if (field == "latest") {
        if (const std::string* value = text(setting)) cycle.latest = *value;
      } else if (field == "codename") {
        if (const std::string* value = text(setting)) cycle.codename = *value;
      } else if (field == "lts") {
        cycle.lts = setting.values.size() == 1 && std::holds_alternative<bool>(setting.values[0]) &&
                    std::get<bool>(setting.values[0]);
      } else {
        static const std::vector<std::string> known = {"ends", "released", "support_ends", "extended_ends", "latest",
                                                       "latest_date", "lts", "codename"};
        std::string closest = closest_name(field, known);
        error(setting.range, "unknown eol field '" + field + "'", closest.empty() ? "" : "did you mean '" + closest + "'?");
      }
    }
    auto& product = facts.products[syntax.product];
    product.name = syntax.product;
    product.cycles.push_back(std::move(cycle));
  }

  void add_release(const ast::TestFact& syntax, facts::FactSet& facts) {
    facts::ReleaseNote release;
    release.repository = syntax.product;
    release.version = syntax.key;
    release.tag = syntax.key;
    release.evidence = {"test", syntax.product + "@" + syntax.key, "", ""};
    for (const auto& setting : syntax.settings) {
      if (setting.field == "notes") {
        if (const std::string* value = text(setting)) release.notes = *value;
      } else if (setting.field == "name") {
        if (const std::string* value = text(setting)) release.name = *value;
      } else if (setting.field == "date") {
        release.published = date(setting);
      } else if (setting.field == "prerelease") {
        release.prerelease = setting.values.size() == 1 && std::holds_alternative<bool>(setting.values[0]) &&
                             std::get<bool>(setting.values[0]);
      } else {
        error(setting.range, "unknown release field '" + setting.field + "'", "one of: notes, name, date, prerelease");
      }
    }
    facts.releases[syntax.product].push_back(std::move(release));
  }

  std::optional<double> number(const ast::Setting& setting) {
    if (!setting.is_list && setting.values.size() == 1) {
      if (const auto* value = std::get_if<double>(&setting.values[0])) return *value;
    }
    error(setting.range, "'" + setting.field + "' takes a number");
    return std::nullopt;
  }

  // `epss "CVE-…" { score 0.93 percentile 0.99 }` and `kev "CVE-…" { added 2024-02-09 due
  // 2024-02-16 ransomware true }`.
  void add_record(const ast::TestFact& syntax, facts::FactSet& facts) {
    const std::string& id = syntax.product;
    if (syntax.kind == "epss") {
      facts::EpssScore score;
      score.cve = id;
      score.evidence = {"test", id, "", ""};
      for (const auto& setting : syntax.settings) {
        if (setting.field == "score") score.score = number(setting).value_or(0);
        else if (setting.field == "percentile") score.percentile = number(setting).value_or(0);
        else error(setting.range, "unknown epss field '" + setting.field + "'", "one of: score, percentile");
      }
      facts.epss[id] = score;
    } else if (syntax.kind == "kev") {
      facts::KevEntry kev;
      kev.cve = id;
      kev.evidence = {"test", id, "", ""};
      for (const auto& setting : syntax.settings) {
        if (setting.field == "added") kev.date_added = date(setting);
        else if (setting.field == "due") kev.due_date = date(setting);
        else if (setting.field == "ransomware") {
          kev.known_ransomware_use = setting.values.size() == 1 && std::holds_alternative<bool>(setting.values[0]) &&
                                     std::get<bool>(setting.values[0]);
        } else {
          error(setting.range, "unknown kev field '" + setting.field + "'", "one of: added, due, ransomware");
        }
      }
      facts.kev[id] = kev;
    }
  }

  std::vector<Diagnostic>& diagnostics_;
};

std::string format_score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", score);
  return buffer;
}

// Checks one `expect` against the findings; returns failure lines (empty when met).
std::vector<std::string> check_expect(const ast::TestExpect& expect, const std::string& rule,
                                      const inventory::Inventory& inventory,
                                      const std::vector<evaluator::Finding>& findings) {
  std::vector<const evaluator::Finding*> on_components;
  for (const auto& finding : findings) {
    if (finding.rule() != rule || finding.components.size() < expect.components.size()) continue;
    bool same = true;
    for (size_t i = 0; i < expect.components.size(); ++i) {
      same = same && inventory.components[finding.components[i]].name == expect.components[i];
    }
    if (same) on_components.push_back(&finding);
  }
  std::string subject = rule + " on ";
  for (size_t i = 0; i < expect.components.size(); ++i) subject += (i > 0 ? ", " : "") + expect.components[i];
  std::vector<std::string> failures;
  if (expect.negated) {
    if (!on_components.empty()) failures.push_back("expected no " + subject + ", got: " + on_components[0]->message());
    return failures;
  }
  if (on_components.empty()) {
    std::string fired;
    for (const auto& finding : findings) {
      if (finding.rule() == rule) fired += (fired.empty() ? "" : ", ") + inventory.components[finding.components[0]].name;
    }
    failures.push_back("expected " + subject + ", but it did not fire" +
                       (fired.empty() ? "" : " (it fired on " + fired + ")"));
    return failures;
  }
  const evaluator::Finding& got = *on_components[0];
  for (const auto& expectation : expect.expectations) {
    std::string actual;
    bool ok = true;
    if (expectation.kind == "urgency") {
      actual = std::string(compiler::level_name(got.level));
      ok = actual == expectation.text;
    } else if (expectation.kind == "score") {
      actual = format_score(got.score);
      ok = std::fabs(got.score - expectation.number) < 1e-6;
    } else if (expectation.kind == "reason") {
      actual = got.reason();
      ok = actual == expectation.text;
    } else if (expectation.kind == "message") {
      actual = got.message();
      ok = actual == expectation.text;
    } else if (expectation.kind == "target") {
      actual = got.target().empty() ? "(none)" : got.target();
      ok = got.target() == expectation.text;
    } else if (expectation.kind == "due") {
      actual = got.due ? got.due->to_string() : "none";
      ok = actual == (expectation.date ? expectation.date->to_string() : "none");
    } else if (expectation.kind == "factor") {
      actual = "(factors belong to 'expect rank on ...')";
      ok = false;
    } else if (expectation.kind == "explain") {
      auto step = std::find_if(got.decision_path().begin(), got.decision_path().end(),
                               [&](const evaluator::DecisionStep& s) { return s.point == expectation.point; });
      actual = step == got.decision_path().end() ? "(not explained)"
                                               : "\"" + step->value + "\"" +
                                                     (expectation.because ? " because \"" + step->because + "\"" : "");
      ok = step != got.decision_path().end() && step->value == expectation.text &&
           (!expectation.because || step->because == *expectation.because);
    }
    if (!ok) {
      std::string want = expectation.kind == "score" ? format_score(expectation.number) : expectation.text;
      if (expectation.date) want = expectation.date->to_string();
      if (expectation.kind == "explain") {
        want = "\"" + expectation.point + "\" \"" + expectation.text + "\"" +
               (expectation.because ? " because \"" + *expectation.because + "\"" : "");
      }
      failures.push_back(expectation.range.begin.to_string() + ": " + subject + ": expected " + expectation.kind + " " +
                         want + ", got " + actual);
    }
  }
  return failures;
}

// Describes what an expectation on a rank (`due`, `factor`) asks for, for failure lines.
std::string wanted(const ast::Expectation& expectation) {
  if (expectation.kind == "score") return format_score(expectation.number);
  if (expectation.kind == "due") return expectation.date ? expectation.date->to_string() : "none";
  if (expectation.kind == "factor") {
    return "\"" + expectation.point + "\" " + format_score(expectation.number) +
           (expectation.because ? " because \"" + *expectation.because + "\"" : "");
  }
  return expectation.text;
}

// Checks `expect [no] rank on C ...` against the ranked report; returns failure lines.
std::vector<std::string> check_rank(const ast::TestExpect& expect, const report::Report& ranked) {
  std::vector<std::string> failures;
  const auto& components = ranked.inventory->components;
  const std::string& name = expect.components.front();
  auto found = std::find_if(ranked.ranked.begin(), ranked.ranked.end(),
                            [&](const report::RankedComponent& r) { return components[r.component].name == name; });
  std::string subject = "rank on " + name;
  if (expect.negated) {
    if (found != ranked.ranked.end()) {
      failures.push_back("expected no " + subject + ", but it ranks " + std::to_string(found - ranked.ranked.begin() + 1) +
                         " (" + std::string(compiler::level_name(found->level)) + ")");
    }
    return failures;
  }
  if (found == ranked.ranked.end()) {
    failures.push_back("expected " + subject + ", but it has no findings to rank");
    return failures;
  }
  const report::RankedComponent& got = *found;
  for (const auto& expectation : expect.expectations) {
    std::string actual;
    bool ok = true;
    if (expectation.kind == "urgency") {
      actual = std::string(compiler::level_name(got.level));
      ok = actual == expectation.text;
    } else if (expectation.kind == "score") {
      actual = format_score(got.score);
      ok = std::fabs(got.score - expectation.number) < 1e-6;
    } else if (expectation.kind == "due") {
      actual = got.due ? got.due->to_string() : "none";
      ok = actual == wanted(expectation);
    } else if (expectation.kind == "target") {
      actual = got.target.empty() ? "(none)" : got.target;
      ok = got.target == expectation.text;
    } else if (expectation.kind == "factor") {
      const auto& factors = got.breakdown.factors;
      auto factor = std::find_if(factors.begin(), factors.end(),
                                 [&](const evaluator::RankFactor& f) { return f.name == expectation.point; });
      if (factor == factors.end()) {
        actual = "(no such factor)";
        ok = false;
      } else {
        actual = "\"" + factor->name + "\" " + (factor->points ? format_score(*factor->points) : "unknown") +
                 (expectation.because ? " because \"" + factor->because + "\"" : "");
        ok = factor->points && std::fabs(*factor->points - expectation.number) < 1e-6 &&
             (!expectation.because || factor->because == *expectation.because);
      }
    } else {
      actual = "(not checked on a rank: use urgency, score, due, target or factor)";
      ok = false;
    }
    if (!ok) {
      failures.push_back(expectation.range.begin.to_string() + ": " + subject + ": expected " + expectation.kind + " " +
                         wanted(expectation) + ", got " + actual);
    }
  }
  return failures;
}

// Checks `expect rank order A, B, ...`: each ranks, and before the next.
std::vector<std::string> check_order(const ast::TestExpect& expect, const report::Report& ranked) {
  const auto& components = ranked.inventory->components;
  std::vector<std::string> order;
  for (const auto& entry : ranked.ranked) order.push_back(components[entry.component].name);
  std::string actual;
  for (const auto& name : order) actual += (actual.empty() ? "" : ", ") + name;
  size_t previous = 0;
  for (size_t i = 0; i < expect.components.size(); ++i) {
    auto at = std::find(order.begin(), order.end(), expect.components[i]);
    size_t position = static_cast<size_t>(at - order.begin());
    if (at == order.end() || (i > 0 && position <= previous)) {
      std::string want;
      for (const auto& name : expect.components) want += (want.empty() ? "" : ", ") + name;
      return {expect.range.begin.to_string() + ": expected rank order " + want + ", got " +
              (actual.empty() ? "(nothing ranked)" : actual)};
    }
    previous = position;
  }
  return {};
}

}  // namespace

size_t RunResult::passed() const {
  return static_cast<size_t>(std::count_if(tests.begin(), tests.end(), [](const TestResult& t) { return t.passed; }));
}
size_t RunResult::failed() const { return tests.size() - passed(); }

RunResult run_rule_tests(const std::vector<ast::File>& files, const compiler::CompileOptions& options) {
  RunResult result;
  compiler::CompileResult base = compiler::compile(files, options);
  if (!base.program) {
    result.diagnostics = std::move(base.diagnostics);
    return result;
  }
  for (const auto& rule : base.program->rules()) result.rules.push_back(rule.qualified_name);
  if (const auto* policy = base.program->rank_policy()) result.rules.push_back(policy->qualified_name);
  std::set<std::string> exercised;
  std::map<std::map<std::string, std::string>, std::shared_ptr<const compiler::Program>> programs;
  programs[options.param_overrides] = base.program;

  for (const auto& file : files) {
    for (const auto& test : file.tests) {
      TestResult outcome{test.name, test.range, false, {}};
      size_t errors_before = result.diagnostics.size();
      compiler::CompileOptions test_options = options;
      test_options.param_override_origin = test.range.begin.to_string();
      for (const auto& param : test.params) {
        if (param.value) test_options.param_overrides[param.name] = override_text(*param.value);
      }
      auto& program = programs[test_options.param_overrides];
      if (!program) {
        auto compiled = compiler::compile(files, test_options);
        for (auto& d : compiled.diagnostics) {
          if (d.severity == Severity::kError) result.diagnostics.push_back(std::move(d));
        }
        program = compiled.program;
      }
      inventory::Inventory inventory;
      facts::FactSet facts;
      bool fixtures_ok = FixtureBuilder(result.diagnostics).build(test, inventory, facts);
      if (!test.today) {
        result.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.test_fixture",
                                                "test '" + test.name + "' needs 'today YYYY-MM-DD'", test.range,
                                                "tests run on a fixed day so that they never rot"});
        fixtures_ok = false;
      }
      if (!program || !fixtures_ok || result.diagnostics.size() != errors_before) {
        outcome.failures.push_back("the test could not run: see the errors above");
        result.tests.push_back(std::move(outcome));
        continue;
      }
      evaluator::EvaluationOptions evaluation_options;
      evaluation_options.threads = 1;
      auto evaluation = evaluator::evaluate_rules(*program, inventory, facts, *test.today, evaluation_options);
      std::optional<report::Report> ranked;
      for (const auto& expect : test.expects) {
        if (expect.subject != ast::TestExpect::Subject::kRule) {
          if (!ranked) ranked = report::rank_components(inventory, evaluation, *test.today);
          bool known = true;
          for (size_t i = 0; i < expect.components.size(); ++i) {
            if (std::none_of(inventory.components.begin(), inventory.components.end(),
                             [&](const inventory::Component& c) { return c.name == expect.components[i]; })) {
              result.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.test_fixture",
                                                      "no component '" + expect.components[i] + "' in this test",
                                                      expect.component_ranges[i], ""});
              known = false;
            }
          }
          if (!known) continue;
          auto failures = expect.subject == ast::TestExpect::Subject::kRank ? check_rank(expect, *ranked)
                                                                             : check_order(expect, *ranked);
          if (failures.empty() && !expect.negated && program->rank_policy()) {
            exercised.insert(program->rank_policy()->qualified_name);
          }
          outcome.failures.insert(outcome.failures.end(), failures.begin(), failures.end());
          continue;
        }
        std::string rule = expect.rule;
        const auto& rules = program->rules();
        auto named = std::find_if(rules.begin(), rules.end(), [&](const compiler::CompiledRule& r) {
          return r.qualified_name == expect.rule || r.qualified_name == (file.package.empty() ? "" : file.package + ".") + expect.rule;
        });
        if (named == rules.end()) {
          result.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.unknown_rule",
                                                  "no rule named '" + expect.rule + "'", expect.rule_range, ""});
          outcome.failures.push_back("expectation names an unknown rule");
          continue;
        }
        for (size_t i = 0; i < expect.components.size(); ++i) {
          bool declared = std::any_of(inventory.components.begin(), inventory.components.end(),
                                      [&](const inventory::Component& c) { return c.name == expect.components[i]; });
          if (!declared) {
            result.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.test_fixture",
                                                    "no component '" + expect.components[i] + "' in this test",
                                                    expect.component_ranges[i], ""});
          }
        }
        auto failures = check_expect(expect, named->qualified_name, inventory, evaluation.findings);
        if (failures.empty() && !expect.negated) exercised.insert(named->qualified_name);
        outcome.failures.insert(outcome.failures.end(), failures.begin(), failures.end());
      }
      outcome.passed = outcome.failures.empty() && result.diagnostics.size() == errors_before;
      result.tests.push_back(std::move(outcome));
    }
  }
  for (const auto& rule : result.rules) {
    if (!exercised.count(rule)) result.unexercised.push_back(rule);
  }
  sort_diagnostics(result.diagnostics);
  return result;
}

}  // namespace uprank::ruletest
