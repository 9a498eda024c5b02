// The compiler: named passes over the syntax tree that report diagnostics and build
// the Program. resolve (declarations and names) -> check (types, nodes) -> lint
// (warnings) -> plan (candidate indexes).
#include "engine/compiler/compiler.h"

#include <algorithm>
#include <functional>
#include <cctype>
#include <deque>
#include <optional>
#include <unordered_map>
#include <set>

#include "engine/compiler/nodes.h"
#include "engine/facts/cvss.h"

namespace uprank::compiler {

const std::vector<std::string>& pass_names() {
  static const std::vector<std::string> names = {"resolve", "check", "lint", "plan"};
  return names;
}

const std::vector<std::string>& reason_categories() {
  static const std::vector<std::string> reasons = {
      "security",       "exploited",   "end_of_support", "compatibility", "version_lag", "rollback_risk",
      "breaking_change", "deprecation", "data_gap",       "supported",     "policy"};
  return reasons;
}

using namespace internal;

namespace {

struct Symbol {
  enum class Kind { kSlot, kParam, kLevel, kToday, kComponents } kind;
  Type type;
  int slot = 0;
  const ParamValue* param = nullptr;
  Level level = Level::kInfo;
};

struct DeclaredParam {
  const ast::Param* syntax;
  std::string package;
  ParamValue value;
  bool used = false;
  std::optional<versions::Scheme> version_scheme;  // `(scheme)` after the default: overrides must be versions
};

struct DeclaredFunction {
  const ast::Function* syntax;
  std::string package;
  bool used = false;
};

bool is_literal_false(const Node* node) {
  auto* constant = dynamic_cast<const ConstantNode*>(node);
  if (constant == nullptr) return false;
  Frame frame;
  Value value = constant->evaluate(frame);
  return !value.is_true();
}

}  // namespace

class ProgramBuilder {
 public:
  ProgramBuilder(const std::vector<ast::File>& files, const CompileOptions& options)
      : files_(files), options_(options), program_(std::make_shared<Program>()) {}

  CompileResult run() {
    CompileResult result;
    using Pass = void (ProgramBuilder::*)();
    const std::pair<const char*, Pass> passes[] = {{"resolve", &ProgramBuilder::resolve},
                                                   {"check", &ProgramBuilder::check},
                                                   {"lint", &ProgramBuilder::lint},
                                                   {"plan", &ProgramBuilder::plan}};
    for (const auto& [name, pass] : passes) {
      (this->*pass)();
      if (options_.dump_after == name) {
        result.dump = describe(name);
        break;
      }
      if (has_errors(diagnostics_)) break;
    }
    sort_diagnostics(diagnostics_);
    result.diagnostics = std::move(diagnostics_);
    if (!has_errors(result.diagnostics) && options_.dump_after.empty()) result.program = std::move(program_);
    return result;
  }

 private:
  friend std::optional<DeclaredAdvisory> lower_declared_advisory(const ast::AdvisoryDecl&, std::vector<Diagnostic>&);

  // ---- diagnostics -------------------------------------------------------------------
  void error(const SourceRange& at, std::string code, std::string message, std::string hint = "") {
    diagnostics_.push_back(Diagnostic{Severity::kError, std::move(code), std::move(message), at, std::move(hint)});
  }
  void warning(const SourceRange& at, std::string code, std::string message, std::string hint = "") {
    diagnostics_.push_back(Diagnostic{Severity::kWarning, std::move(code), std::move(message), at, std::move(hint)});
  }
  static std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
    std::string closest = closest_name(name, candidates);
    return closest.empty() ? "" : "did you mean '" + closest + "'?";
  }

  // ---- pass: resolve -------------------------------------------------------------------
  // Collects declarations, rejects duplicates and unknown imports, evaluates parameters
  // and applies overrides.
  void resolve() {
    std::set<std::string> packages;
    for (const auto& file : files_) packages.insert(file.package);
    std::map<std::string, SourceRange> names_seen;
    std::map<std::string, SourceRange> advisory_ids;
    for (const auto& file : files_) {
      for (const auto& import : file.imports) {
        if (!packages.count(import.package)) {
          std::vector<std::string> known(packages.begin(), packages.end());
          error(import.range, "uprank.unknown_package", "no loaded rule file declares package '" + import.package + "'",
                did_you_mean(import.package, known));
          continue;
        }
        // `import uprank.eol` lets the package's files say `eol.name`; `as x` renames it.
        std::string alias = import.alias.empty() ? import.package.substr(import.package.rfind('.') + 1) : import.alias;
        import_aliases_[file.package][alias] = import.package;
      }
      for (const auto& param : file.params) {
        std::string qualified = qualify(file.package, param.name);
        if (!declare(names_seen, qualified, param.range)) continue;
        params_.push_back(DeclaredParam{&param, file.package, ParamValue{qualified, {}, {}, param.range}});
      }
      for (const auto& function : file.functions) {
        std::string qualified = qualify(file.package, function.name);
        if (!declare(names_seen, qualified, function.range)) continue;
        if (builtin_arity(function.name) >= 0) {
          error(function.range, "uprank.redefined_builtin", "'" + function.name + "' is a built-in function");
          continue;
        }
        functions_[qualified] = DeclaredFunction{&function, file.package};
      }
      for (const auto& rule : file.rules) {
        std::string qualified = qualify(file.package, rule.name);
        if (!declare(names_seen, qualified, rule.name_range)) continue;
        rule_order_.push_back({&rule, file.package});
      }
      for (const auto& policy : file.rank_policies) {
        if (!declare(names_seen, qualify(file.package, policy.name), policy.name_range)) continue;
        rank_order_.push_back({&policy, file.package});
      }
      for (const auto& constraint : file.constraints) {
        const ast::Rule& rule = desugar_constraint(constraint);
        if (!declare(names_seen, qualify(file.package, rule.name), rule.name_range)) continue;
        rule_order_.push_back({&rule, file.package});
        program_->constraints_.push_back(lower_constraint(constraint, qualify(file.package, rule.name)));
      }
      for (const auto& advisory : file.advisories) declare_advisory(advisory, advisory_ids);
    }
    for (auto& param : params_) evaluate_param(param);
    apply_overrides();
  }

  static std::string qualify(const std::string& package, const std::string& name) {
    return package.empty() ? name : package + "." + name;
  }

  bool declare(std::map<std::string, SourceRange>& seen, const std::string& qualified, const SourceRange& at) {
    auto [it, inserted] = seen.emplace(qualified, at);
    if (!inserted) {
      error(at, "uprank.duplicate_name", "'" + qualified + "' is already declared at " + it->second.begin.to_string());
    }
    return inserted;
  }

  void evaluate_param(DeclaredParam& param) {
    const ast::Expr* expr = param.syntax->default_value.get();
    if (expr == nullptr) return;
    bool negate = false;
    if (auto* unary = std::get_if<ast::Unary>(&expr->node); unary != nullptr && unary->op == ast::UnaryOp::kNegate) {
      negate = true;
      expr = unary->operand.get();
    }
    const auto* literal = expr != nullptr ? std::get_if<ast::Literal>(&expr->node) : nullptr;
    const auto* name = expr != nullptr ? std::get_if<ast::Name>(&expr->node) : nullptr;
    Level level;
    if (name != nullptr && parse_level(name->identifier, level)) {
      param.value.value = Value::of_level(level);
      param.value.type = Type::of(TypeKind::kLevel);
      return;
    }
    if (literal == nullptr || std::holds_alternative<ast::Regex>(literal->value)) {
      error(param.syntax->default_value->range, "uprank.param_not_literal",
            "the default of param '" + param.syntax->name + "' must be a literal",
            "write a number, string, date, duration, bool or urgency level");
      return;
    }
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, bool>) {
            param.value = {param.value.qualified_name, Value::of_bool(v), Type::of(TypeKind::kBool), param.value.range};
          } else if constexpr (std::is_same_v<V, double>) {
            param.value = {param.value.qualified_name, Value::of_number(negate ? -v : v), Type::of(TypeKind::kNumber),
                           param.value.range};
          } else if constexpr (std::is_same_v<V, std::string>) {
            param.value = {param.value.qualified_name, keep_string(v), Type::of(TypeKind::kString), param.value.range};
          } else if constexpr (std::is_same_v<V, Date>) {
            param.value = {param.value.qualified_name, Value::of_date(v), Type::of(TypeKind::kDate), param.value.range};
          } else if constexpr (std::is_same_v<V, ast::Duration>) {
            param.value = {param.value.qualified_name, Value::of_duration(negate ? -v.days : v.days),
                           Type::of(TypeKind::kDuration), param.value.range};
          }
        },
        literal->value);
    if (negate && !param.value.type.is(TypeKind::kNumber) && !param.value.type.is(TypeKind::kDuration)) {
      error(param.syntax->default_value->range, "uprank.type_mismatch", "only numbers and durations can be negated");
    }
    if (!param.syntax->version_scheme.empty()) {
      auto scheme = versions::parse_scheme(param.syntax->version_scheme);
      if (!scheme) {
        error(param.syntax->version_scheme_range, "uprank.unknown_scheme",
              "unknown version scheme '" + param.syntax->version_scheme + "'",
              did_you_mean(param.syntax->version_scheme, {"semver", "npm", "pep440", "deb", "rpm", "maven", "golang", "generic"}));
      } else if (!param.value.type.is(TypeKind::kString)) {
        error(param.syntax->default_value->range, "uprank.type_mismatch",
              "a param with a version scheme holds a version as a string (\"\" for none), not a " + type_name(param.value.type));
      } else {
        param.version_scheme = scheme;
        const std::string text(param.value.value.text);
        if (!text.empty()) {
          if (auto bad = version_problem(*scheme, text)) {
            error(param.syntax->default_value->range, "uprank.bad_version", *bad);
          }
        }
      }
    }
  }

  // Returns why `text` is not a version of `scheme`; nullopt when it is one.
  static std::optional<std::string> version_problem(versions::Scheme scheme, const std::string& text) {
    auto parsed = versions::Version::parse(scheme, text);
    if (parsed.ok()) return std::nullopt;
    return "'" + text + "' is not a " + std::string(versions::scheme_name(scheme)) + " version (" + parsed.error().message + ")";
  }

  void apply_overrides() {
    for (const auto& [name, text] : options_.param_overrides) {
      std::vector<DeclaredParam*> matches;
      for (auto& param : params_) {
        if (param.value.qualified_name == name || param.syntax->name == name) matches.push_back(&param);
      }
      SourceRange origin{{options_.param_override_origin, 0, 0}, 0, 0};
      if (matches.empty()) {
        std::vector<std::string> known;
        for (const auto& param : params_) known.push_back(param.value.qualified_name);
        error(origin, "uprank.unknown_param", "no rule pack declares param '" + name + "'", did_you_mean(name, known));
        continue;
      }
      if (matches.size() > 1) {
        error(origin, "uprank.ambiguous_param", "param '" + name + "' is declared by several packages",
              "qualify it, e.g. '" + matches[0]->value.qualified_name + "'");
        continue;
      }
      ParamValue& value = matches[0]->value;
      if (matches[0]->version_scheme) {
        // A version param: "" would silently mean "not given", a typo would match nothing.
        std::string expected = "a " + std::string(versions::scheme_name(*matches[0]->version_scheme)) +
                               " version such as 1.29 (declared at " + matches[0]->syntax->range.begin.to_string() + ")";
        if (text.empty()) {
          error(origin, "uprank.bad_param_value", "param '" + name + "' takes " + expected + ", not an empty value",
                "leave the param out to use what the inventory says");
          continue;
        }
        if (auto bad = version_problem(*matches[0]->version_scheme, text)) {
          error(origin, "uprank.bad_param_value", "param '" + name + "' takes " + expected + ", not '" + text + "'");
          continue;
        }
      }
      std::optional<Value> parsed = parse_override(value.type, text);
      if (!parsed) {
        error(origin, "uprank.bad_param_value",
              "param '" + name + "' takes a " + type_name(value.type) + ", not '" + text + "'");
        continue;
      }
      value.value = *parsed;
    }
  }

  std::optional<Value> parse_override(Type type, const std::string& text) {
    switch (type.kind) {
      case TypeKind::kBool:
        if (text == "true" || text == "false") return Value::of_bool(text == "true");
        return std::nullopt;
      case TypeKind::kNumber: {
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
        return Value::of_number(value);
      }
      case TypeKind::kDuration: {
        if (text.size() < 2 || (text.back() != 'd' && text.back() != 'w')) return std::nullopt;
        std::string digits = text.substr(0, text.size() - 1);
        if (digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          return std::nullopt;
        }
        return Value::of_duration(std::stoi(digits) * (text.back() == 'w' ? 7 : 1));
      }
      case TypeKind::kDate:
        if (auto date = Date::parse(text)) return Value::of_date(*date);
        return std::nullopt;
      case TypeKind::kString:
        return keep_string(text);
      case TypeKind::kLevel: {
        Level level;
        if (parse_level(text, level)) return Value::of_level(level);
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  Value keep_string(const std::string& text) {
    auto stored = std::make_shared<const std::string>(text);
    Value value = Value::borrow_string(*stored);
    program_->storage_.push_back(stored);
    return value;
  }

  // ---- pass: check ---------------------------------------------------------------------
  void check() {
    for (const auto& [rule, package] : rule_order_) {
      current_package_ = package;
      next_slot_ = 0;
      program_->rules_.push_back(check_rule(*rule, package));
      program_->rules_.back().escalates = rule->escalates;  // resolved below, once every rule is known
    }
    resolve_escalations();
    for (const auto& file : files_) {
      current_package_ = file.package;
      for (const auto& suppression : file.suppressions) check_suppression(suppression);
    }
    std::vector<CompiledRankPolicy> policies;
    for (const auto& [policy, package] : rank_order_) {
      current_package_ = package;
      next_slot_ = 0;
      policies.push_back(check_rank_policy(*policy, package));
    }
    choose_rank_policy(std::move(policies));
    for (const auto& param : params_) program_->params_.push_back(param.value);
  }

  // Checks a `rank` declaration. Only inside one may expressions read `c.findings`.
  CompiledRankPolicy check_rank_policy(const ast::RankPolicy& policy, const std::string& package) {
    CompiledRankPolicy compiled;
    compiled.name = policy.name;
    compiled.qualified_name = qualify(package, policy.name);
    compiled.range = policy.name_range;
    for (const auto& [keyword, at] : policy.repeated_clauses) {
      error(at, "uprank.repeated_clause", "clause '" + keyword + "' appears twice in rank policy '" + policy.name + "'");
    }
    in_rank_policy_ = true;
    scopes_.emplace_back();
    if (policy.variable.empty()) {
      error(policy.name_range, "uprank.missing_clause", "rank policy '" + policy.name + "' has no 'for' clause",
            "add 'for c in components': the policy runs once per component with findings");
    } else {
      NodePtr source = check_expr(policy.collection.get());
      auto* components = dynamic_cast<const ComponentsNode*>(source.get());
      if (!source->type().is_error() && (components == nullptr || components->selector())) {
        error(policy.collection->range, "uprank.type_mismatch",
              "a rank policy ranks every component with findings: 'for' takes 'components' only",
              "write 'for " + policy.variable + " in components'");
      }
      compiled.slot = bind(policy.variable, policy.variable_range, Type::of(TypeKind::kComponent));
    }
    if (policy.title) compiled.title = check_typed(policy.title.get(), TypeKind::kString, "title");
    if (policy.urgency) {
      compiled.urgency = check_typed(policy.urgency.get(), TypeKind::kLevel, "urgency");
    } else {
      error(policy.name_range, "uprank.missing_clause", "rank policy '" + policy.name + "' has no 'urgency' clause",
            "add e.g. 'urgency max(f.urgency for f in c.findings)'");
    }
    if (policy.score) compiled.score = check_typed(policy.score.get(), TypeKind::kNumber, "score");
    if (policy.score_because) compiled.score_because = check_printable(policy.score_because.get(), "because");
    if (policy.due) compiled.due = check_typed(policy.due.get(), TypeKind::kDate, "due");
    for (const auto& factor : policy.factors) {
      for (const auto& earlier : compiled.factors) {
        if (earlier.name == factor.name) {
          error(factor.range, "uprank.repeated_clause",
                "'factor \"" + factor.name + "\"' appears twice in rank policy '" + policy.name + "'",
                "each factor is named once; add the two into one");
        }
      }
      RankFactor compiled_factor{factor.name, check_typed(factor.points.get(), TypeKind::kNumber, "factor"), nullptr};
      if (factor.because) compiled_factor.because = check_printable(factor.because.get(), "because");
      compiled.factors.push_back(std::move(compiled_factor));
    }
    scopes_.pop_back();
    in_rank_policy_ = false;
    program_->slot_count_ = std::max(program_->slot_count_, next_slot_);
    return compiled;
  }

  // Keeps at most one rank policy: one declared outside the shipped `uprank.*` packages
  // overrides the shipped ones; two of the same standing are an error.
  void choose_rank_policy(std::vector<CompiledRankPolicy> policies) {
    auto shipped = [](const std::string& qualified) { return qualified.rfind("uprank.", 0) == 0; };
    std::vector<size_t> winners;
    for (size_t i = 0; i < policies.size(); ++i) {
      if (!shipped(policies[i].qualified_name)) winners.push_back(i);
    }
    if (winners.empty()) {
      for (size_t i = 0; i < policies.size(); ++i) winners.push_back(i);
    }
    if (winners.empty()) return;
    for (size_t k = 1; k < winners.size(); ++k) {
      const CompiledRankPolicy& first = policies[winners[0]];
      error(policies[winners[k]].range, "uprank.duplicate_rank",
            "rank policy '" + policies[winners[k]].qualified_name + "' competes with '" + first.qualified_name +
                "' declared at " + first.range.begin.to_string() + "; only one can rank components",
            "remove one; a policy outside the uprank.* packages overrides the shipped one");
    }
    for (size_t i = 0; i < policies.size(); ++i) {
      if (i != winners[0]) program_->overridden_rank_policies_.push_back(policies[i].qualified_name);
    }
    program_->rank_policy_ = std::move(policies[winners[0]]);
  }

  // Checks a value printed into a report (`because`): not a list, record or regex.
  NodePtr check_printable(const ast::Expr* expr, const char* clause) {
    NodePtr node = check_expr(expr);
    Type type = node->type();
    bool scalar = type.is(TypeKind::kString) || type.is(TypeKind::kNumber) || type.is(TypeKind::kBool) ||
                  type.is(TypeKind::kDate) || type.is(TypeKind::kDuration) || type.is(TypeKind::kVersion) ||
                  type.is(TypeKind::kLevel);
    if (!type.is_error() && !scalar) {
      error(expr->range, "uprank.type_mismatch", std::string("'") + clause + "' needs a value to print, not a " + type_name(type),
            "name one field, e.g. 'a.id', or interpolate into a string");
    }
    return node;
  }

  // A suppression's `where` sees the bound variables of the rule it names, in their slots.
  // Returns the files a suppression's condition confines it to: from the first conjunct (of
  // the `and`s at its top) that reads `V.file == "F"`, `"F" == V.file` or `V.file in ["F", …]`;
  // empty when none does.
  static std::vector<std::string> confining_files(const ast::Expr& where) {
    const auto* binary = std::get_if<ast::Binary>(&where.node);
    if (binary == nullptr) return {};
    if (binary->op == ast::BinaryOp::kAnd) {
      std::vector<std::string> files = confining_files(*binary->left);
      return files.empty() ? confining_files(*binary->right) : files;
    }
    auto is_file = [](const ast::Expr& expr) {
      const auto* field = std::get_if<ast::Field>(&expr.node);
      return field != nullptr && field->field == "file" && std::holds_alternative<ast::Name>(field->object->node);
    };
    auto string_of = [](const ast::Expr& expr) -> std::optional<std::string> {
      const auto* literal = std::get_if<ast::Literal>(&expr.node);
      if (literal == nullptr || !std::holds_alternative<std::string>(literal->value)) return std::nullopt;
      return std::get<std::string>(literal->value);
    };
    if (binary->op == ast::BinaryOp::kEqual) {
      if (is_file(*binary->left)) {
        if (auto file = string_of(*binary->right)) return {*file};
      }
      if (is_file(*binary->right)) {
        if (auto file = string_of(*binary->left)) return {*file};
      }
      return {};
    }
    if (binary->op == ast::BinaryOp::kIn && is_file(*binary->left)) {
      const auto* list = std::get_if<ast::ListLiteral>(&binary->right->node);
      if (list == nullptr) return {};
      std::vector<std::string> files;
      for (const auto& item : list->items) {
        auto file = string_of(*item);
        if (!file) return {};
        files.push_back(*file);
      }
      return files;
    }
    return {};
  }

  // Resolves each rule's `escalates RULE` to a qualified rule name (the same package first)
  // and sets every rule's `family`: the first rule of its chain. A rule that names itself,
  // an unknown rule or a chain that loops is an error.
  void resolve_escalations() {
    std::vector<CompiledRule>& rules = program_->rules_;
    std::unordered_map<std::string, size_t> by_name;
    for (size_t r = 0; r < rules.size(); ++r) by_name.emplace(rules[r].qualified_name, r);
    std::vector<std::optional<size_t>> escalated_from(rules.size());
    size_t r = 0;
    for (const auto& [rule, package] : rule_order_) {
      CompiledRule& compiled = rules[r];
      const size_t index = r++;
      if (rule->escalates.empty()) continue;
      auto found = by_name.find(qualify(package, rule->escalates));
      if (found == by_name.end()) found = by_name.find(rule->escalates);
      if (found == by_name.end()) {
        std::vector<std::string> names;
        for (const auto& other : rules) names.push_back(other.name);
        error(rule->escalates_range, "uprank.unknown_rule", "no rule named '" + rule->escalates + "' for rule '" + rule->name + "' to escalate",
              did_you_mean(rule->escalates, names));
        compiled.escalates.clear();
        continue;
      }
      if (found->second == index) {
        error(rule->escalates_range, "uprank.bad_escalation", "rule '" + rule->name + "' cannot escalate itself",
              "name the less urgent rule whose finding this one replaces");
        compiled.escalates.clear();
        continue;
      }
      compiled.escalates = rules[found->second].qualified_name;
      escalated_from[index] = found->second;
    }
    r = 0;
    for (const auto& [rule, package] : rule_order_) {
      const size_t index = r++;
      size_t first = index;
      bool loops = false;
      for (size_t steps = 0; escalated_from[first]; ++steps) {
        if (steps > rules.size()) {
          loops = true;
          break;
        }
        first = *escalated_from[first];
      }
      if (loops) {
        error(rule->escalates_range, "uprank.bad_escalation", "the 'escalates' chain from rule '" + rule->name + "' loops",
              "an escalation chain goes from the least urgent rule to the most urgent; remove one 'escalates'");
        first = index;
      }
      rules[index].family = rules[first].qualified_name;
    }
  }

  void check_suppression(const ast::Suppression& suppression) {
    const std::vector<CompiledRule>& rules = program_->rules_;
    auto found = std::find_if(rules.begin(), rules.end(), [&](const CompiledRule& rule) {
      return rule.qualified_name == suppression.rule || rule.qualified_name == qualify(current_package_, suppression.rule);
    });
    if (found == rules.end()) {
      std::vector<std::string> names;
      for (const auto& rule : rules) names.push_back(rule.qualified_name);
      error(suppression.rule_range, "uprank.unknown_rule", "no rule named '" + suppression.rule + "' to suppress",
            did_you_mean(suppression.rule, names));
      return;
    }
    if (suppression.because.empty()) {
      error(suppression.range, "uprank.missing_reason", "a suppression needs a reason after 'because'");
    } else if (std::all_of(suppression.because.begin(), suppression.because.end(),
                           [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; })) {
      // `because " "` hides findings as surely as a real reason, and says nothing.
      error(suppression.range, "uprank.missing_reason", "a suppression's reason after 'because' is only spaces",
            "say who accepted the finding and why, e.g. because \"web-team: replacement ships in Q3 (OPS-412)\"");
    }
    CompiledSuppression compiled;
    if (suppression.where) compiled.files = confining_files(*suppression.where);
    compiled.rule = found->qualified_name;
    compiled.rule_index = static_cast<size_t>(found - rules.begin());
    compiled.until = suppression.until;
    compiled.because = suppression.because;
    compiled.range = suppression.range;
    if (suppression.where) {
      scopes_.emplace_back();
      for (const auto& binding : found->bindings) {
        scopes_.back()[binding.variable] = Symbol{Symbol::Kind::kSlot, Type::of(TypeKind::kComponent), binding.slot};
      }
      next_slot_ = program_->slot_count_;
      compiled.where = check_typed(suppression.where.get(), TypeKind::kBool, "where");
      program_->slot_count_ = std::max(program_->slot_count_, next_slot_);
      scopes_.pop_back();
    }
    program_->suppressions_.push_back(std::move(compiled));
  }

  std::optional<DeclaredAdvisory> lower_standalone_advisory(const ast::AdvisoryDecl& syntax,
                                                           std::vector<Diagnostic>& diagnostics) {
    auto declared = lower_advisory(syntax);
    diagnostics.insert(diagnostics.end(), diagnostics_.begin(), diagnostics_.end());
    return declared;
  }

  // ---- declared advisories -------------------------------------------------------------
  void declare_advisory(const ast::AdvisoryDecl& syntax, std::map<std::string, SourceRange>& seen) {
    auto [it, inserted] = seen.emplace(syntax.id, syntax.range);
    if (!inserted) {
      error(syntax.range, "uprank.duplicate_name",
            "advisory '" + syntax.id + "' is already declared at " + it->second.begin.to_string());
      return;
    }
    auto declared = lower_advisory(syntax);
    if (declared) program_->declared_advisories_.push_back(std::move(*declared));
  }

  std::optional<DeclaredAdvisory> lower_advisory(const ast::AdvisoryDecl& syntax) {
    DeclaredAdvisory declared;
    facts::Advisory& advisory = declared.advisory;
    advisory.id = syntax.id;
    advisory.aliases = syntax.aliases;
    advisory.summary = syntax.summary;
    advisory.informational = syntax.informational;
    advisory.published = syntax.published;
    if (!syntax.url.empty()) advisory.references.push_back({"ADVISORY", syntax.url});
    advisory.evidence = facts::Evidence{"rules", syntax.id, syntax.url, ""};
    declared.exploited = syntax.exploited;
    declared.exploited_since = syntax.exploited_since;
    if (syntax.affects.empty()) {
      error(syntax.range, "uprank.missing_clause", "advisory '" + syntax.id + "' has no 'affects' clause",
            "add e.g. 'affects \"fortios\" in \">=7.2.0, <=7.2.6\" (generic)'");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& affects : syntax.affects) {
      facts::AffectedPackage package;
      package.name = affects.package;
      package.ecosystem = "rules";
      versions::Scheme scheme = versions::Scheme::kGeneric;
      if (!affects.scheme.empty()) {
        auto named = versions::parse_scheme(affects.scheme);
        if (!named) {
          error(affects.where, "uprank.unknown_scheme", "unknown version scheme '" + affects.scheme + "'",
                did_you_mean(affects.scheme, {"semver", "npm", "pep440", "deb", "rpm", "maven", "golang", "generic"}));
          ok = false;
          continue;
        }
        scheme = *named;
      }
      package.scheme = scheme;
      // Without `in`, the lowest fixed version bounds the affected versions from above.
      std::vector<versions::Version> fixes;
      for (const auto& text : syntax.fixed) {
        auto fix = versions::Version::parse(scheme, text);
        if (!fix.ok()) {
          error(syntax.range, "uprank.bad_version",
                "fixed version '" + text + "' is not a " + std::string(versions::scheme_name(scheme)) + " version",
                fix.error().message);
          ok = false;
          continue;
        }
        fixes.push_back(std::move(fix.value()));
      }
      facts::AffectedRange range;
      range.type = "RULES";
      for (const auto& text : syntax.fixed) range.events.push_back(versions::Range::OsvEvent{"fixed", text});
      if (!affects.range.empty()) {
        auto parsed = versions::Range::parse_vers_or_native(scheme, affects.range);
        if (!parsed.ok()) {
          error(affects.where, "uprank.bad_range",
                "'" + affects.range + "' is not a " + std::string(versions::scheme_name(scheme)) + " range",
                parsed.error().message);
          ok = false;
          continue;
        }
        range.range = std::move(parsed.value());
      } else if (!fixes.empty()) {
        auto lowest = std::min_element(fixes.begin(), fixes.end(),
                                       [](const auto& a, const auto& b) { return versions::compare(a, b) < 0; });
        auto bounded = versions::Range::from_osv_events(scheme, {{"introduced", "0"}, {"fixed", lowest->text()}});
        if (bounded.ok()) range.range = std::move(bounded.value());
      }
      if (range.range) package.ranges.push_back(std::move(range));
      advisory.affected.push_back(std::move(package));
    }
    if (!syntax.cvss.empty()) {
      auto cvss = facts::cvss_base_score(syntax.cvss);
      if (!cvss.ok()) {
        error(syntax.cvss_range, "uprank.bad_cvss", cvss.error().message,
              "e.g. \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\" or a CVSS:4.0/ or v2 vector");
        ok = false;
      } else {
        const char* type = cvss->version == facts::CvssVersion::kV2     ? "CVSS_V2"
                           : cvss->version == facts::CvssVersion::kV4_0 ? "CVSS_V4"
                                                                        : "CVSS_V3";
        advisory.severity.emplace_back(type, syntax.cvss);
        advisory.cvss_score = cvss->base;
        advisory.cvss_vector = syntax.cvss;
      }
    }
    if (!ok) return std::nullopt;
    return declared;
  }

  // ---- constraints -----------------------------------------------------------------------
  static std::string describe_side(const ast::ConstraintSide& side) {
    std::string out = side.selector;
    if (side.test) out += (side.test->op == "in" ? " in " : " " + side.test->op + " ") + side.test->text;
    if (!side.scheme.empty()) out += " (" + side.scheme + ")";
    return out;
  }

  static CompiledConstraint lower_constraint(const ast::Constraint& syntax, std::string rule) {
    auto side = [](const ast::ConstraintSide& from) {
      ConstraintSide out;
      out.selector = from.selector;
      if (from.test) {
        out.op = from.test->op;
        out.text = from.test->text;
      }
      if (!from.scheme.empty()) out.scheme = versions::parse_scheme(from.scheme);  // checked by the rule
      return out;
    };
    CompiledConstraint constraint;
    constraint.is_requires = syntax.is_requires;
    constraint.subject = side(syntax.subject);
    constraint.other = side(syntax.other);
    constraint.rule = std::move(rule);
    constraint.text = syntax.is_requires ? "requires " + describe_side(syntax.subject) + " => " + describe_side(syntax.other)
                                         : "conflicts " + describe_side(syntax.subject) + " with " + describe_side(syntax.other);
    constraint.range = syntax.range;
    return constraint;
  }

  // `requires A => B` becomes a rule over related pairs (subject, other) that fires when
  // the subject matches A and the other fails B; `conflicts A with B` fires when both match.
  const ast::Rule& desugar_constraint(const ast::Constraint& constraint) {
    auto& rule = synthesized_rules_.emplace_back();
    auto slug = [](const std::string& text) {
      std::string out;
      for (char ch : text) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return out;
    };
    rule.name = std::string(constraint.is_requires ? "requires_" : "conflicts_") + slug(constraint.subject.selector) +
                "_" + slug(constraint.other.selector);
    rule.range = constraint.range;
    rule.name_range = constraint.subject.selector_range;
    const SourceRange& at = constraint.range;
    auto expr = [&](auto node) {
      auto made = std::make_unique<ast::Expr>();
      made->range = at;
      made->node = std::move(node);
      return made;
    };
    auto name = [&](const char* identifier) { return expr(ast::Name{identifier}); };
    auto text = [&](const std::string& value) { return expr(ast::Literal{value}); };
    auto components = [&](const std::string& selector) {
      ast::Call call{nullptr, "components", at, {}};
      call.arguments.push_back(ast::Argument{"", text(selector)});
      return expr(std::move(call));
    };
    auto version_test = [&](const char* variable, const ast::ConstraintSide& side) -> ast::ExprPtr {
      if (!side.test) return expr(ast::Literal{true});
      ast::ExprPtr version = expr(ast::Field{name(variable), "version", at});
      if (!side.scheme.empty()) {
        ast::Call call{nullptr, "in_scheme", side.scheme_range, {}};
        call.arguments.push_back(ast::Argument{"", std::move(version)});
        call.arguments.push_back(ast::Argument{"", text(side.scheme)});
        version = expr(std::move(call));
      }
      static const std::map<std::string, ast::BinaryOp> ops = {
          {"<", ast::BinaryOp::kLess},   {"<=", ast::BinaryOp::kLessEqual}, {">", ast::BinaryOp::kGreater},
          {">=", ast::BinaryOp::kGreaterEqual}, {"==", ast::BinaryOp::kEqual}, {"!=", ast::BinaryOp::kNotEqual},
          {"in", ast::BinaryOp::kIn}};
      auto made = expr(ast::Binary{ops.at(side.test->op), std::move(version), text(side.test->text)});
      std::get<ast::Binary>(made->node).right->range = side.test->range;
      return made;
    };
    rule.bindings.push_back(ast::Binding{"subject", at, components(constraint.subject.selector)});
    rule.bindings.push_back(ast::Binding{"other", at, components(constraint.other.selector)});
    {
      ast::Call related{nullptr, "related", at, {}};
      related.arguments.push_back(ast::Argument{"", name("subject")});
      related.arguments.push_back(ast::Argument{"", name("other")});
      rule.where = expr(ast::Binary{ast::BinaryOp::kAnd, expr(std::move(related)), version_test("subject", constraint.subject)});
    }
    ast::ExprPtr other_holds = version_test("other", constraint.other);
    rule.when = constraint.is_requires ? expr(ast::Unary{ast::UnaryOp::kNot, std::move(other_holds)}) : std::move(other_holds);
    rule.urgency = name(constraint.urgency.empty() ? "high" : constraint.urgency.c_str());
    if (!constraint.urgency.empty()) rule.urgency->range = constraint.urgency_range;
    rule.reason = "compatibility";
    ast::Interpolation message;
    message.texts = {"", " ", constraint.is_requires ? " requires " + describe_side(constraint.other) + ", but " : " conflicts with ", " runs ", ""};
    if (!constraint.is_requires) {
      message.texts = {"", " ", " conflicts with ", " ", " (" + describe_side(constraint.subject) + " with " + describe_side(constraint.other) + ")"};
    }
    message.values.push_back(expr(ast::Field{name("subject"), "name", at}));
    message.values.push_back(expr(ast::Field{name("subject"), "version", at}));
    message.values.push_back(expr(ast::Field{name("other"), "name", at}));
    message.values.push_back(expr(ast::Field{name("other"), "version", at}));
    rule.message = expr(std::move(message));
    rule.title = text(constraint.is_requires ? "Compatibility requirement not met" : "Incompatible combination");
    return rule;
  }

  CompiledRule check_rule(const ast::Rule& rule, const std::string& package) {
    CompiledRule compiled;
    compiled.name = rule.name;
    compiled.qualified_name = qualify(package, rule.name);
    compiled.range = rule.range;
    for (const auto& [keyword, at] : rule.repeated_clauses) {
      error(at, "uprank.repeated_clause", "clause '" + keyword + "' appears twice in rule '" + rule.name + "'");
    }
    scopes_.emplace_back();
    if (rule.bindings.empty()) {
      error(rule.name_range, "uprank.missing_clause", "rule '" + rule.name + "' has no 'for' clause",
            "add e.g. 'for c in components'");
    }
    for (const auto& binding : rule.bindings) {
      NodePtr source = check_expr(binding.source.get());
      if (!source->type().is_error() && source->type() != Type::list_of(TypeKind::kComponent)) {
        error(binding.source->range, "uprank.type_mismatch",
              "'for' iterates over components, not a " + type_name(source->type()),
              "write 'components' or 'components(\"product\")'");
      }
      RuleBinding compiled_binding{binding.variable, bind(binding.variable, binding.range, Type::of(TypeKind::kComponent)), {}};
      if (auto* components = dynamic_cast<const ComponentsNode*>(source.get()); components && components->selector()) {
        compiled_binding.filter = {CandidateFilter::Kind::kProductOrName, {*components->selector()}};
      }
      compiled.bindings.push_back(std::move(compiled_binding));
    }
    if (rule.title) compiled.title = check_typed(rule.title.get(), TypeKind::kString, "title");
    if (rule.where) compiled.where = check_typed(rule.where.get(), TypeKind::kBool, "where");
    if (rule.when) compiled.when = check_typed(rule.when.get(), TypeKind::kBool, "when");
    if (rule.urgency) {
      compiled.urgency = check_typed(rule.urgency.get(), TypeKind::kLevel, "urgency");
    } else {
      error(rule.name_range, "uprank.missing_clause", "rule '" + rule.name + "' has no 'urgency' clause",
            "add e.g. 'urgency high' (critical, high, medium, low or info)");
    }
    if (rule.score) compiled.score = check_typed(rule.score.get(), TypeKind::kNumber, "score");
    if (rule.message) {
      compiled.message = check_typed(rule.message.get(), TypeKind::kString, "message");
    } else {
      error(rule.name_range, "uprank.missing_clause", "rule '" + rule.name + "' has no 'message' clause",
            "add e.g. 'message \"{c.name} {c.version} ...\"'");
    }
    compiled.reason = rule.reason.empty() ? "policy" : rule.reason;
    const auto& reasons = reason_categories();
    if (std::find(reasons.begin(), reasons.end(), compiled.reason) == reasons.end()) {
      error(rule.reason_range, "uprank.unknown_reason", "unknown reason category '" + compiled.reason + "'",
            did_you_mean(compiled.reason, reasons).empty() ? "one of: security, exploited, end_of_support, compatibility, "
                                                             "version_lag, rollback_risk, breaking_change, deprecation, "
                                                             "data_gap, supported, policy"
                                                           : did_you_mean(compiled.reason, reasons));
    }
    if (rule.target) {
      compiled.target = check_expr(rule.target.get());
      Type type = compiled.target->type();
      if (!type.is_error() && !type.is(TypeKind::kVersion) && !type.is(TypeKind::kString)) {
        error(rule.target->range, "uprank.type_mismatch", "'target' must be a version or a string, not a " + type_name(type));
      }
    }
    if (rule.due) compiled.due = check_typed(rule.due.get(), TypeKind::kDate, "due");
    for (const auto& risk : rule.risks) {
      compiled.risks.push_back(Risk{risk.kind, check_typed(risk.message.get(), TypeKind::kString, "risk")});
    }
    for (const auto& explanation : rule.explanations) {
      compiled.explanations.push_back(check_explanation(explanation, compiled.explanations, rule.name));
    }
    scopes_.pop_back();
    program_->slot_count_ = std::max(program_->slot_count_, next_slot_);
    return compiled;
  }

  // Checks one `explain` clause: a decision point named once per rule, whose value and
  // reason are printable values (not lists, records or regexes).
  Explanation check_explanation(const ast::Explanation& explanation, const std::vector<Explanation>& earlier,
                                const std::string& rule_name) {
    for (const auto& other : earlier) {
      if (other.point == explanation.point) {
        error(explanation.range, "uprank.repeated_clause",
              "'explain \"" + explanation.point + "\"' appears twice in rule '" + rule_name + "'",
              "each decision point is explained once; combine the two into one value");
      }
    }
    Explanation compiled{explanation.point, check_printable(explanation.value.get(), "explain"), nullptr};
    if (explanation.because) compiled.because = check_printable(explanation.because.get(), "explain");
    return compiled;
  }

  int bind(const std::string& name, const SourceRange& at, Type type) {
    if (lookup(name) != nullptr || find_param(name) != nullptr) {
      warning(at, "uprank.shadowed_name", "'" + name + "' hides another name of the same spelling");
    }
    int slot = next_slot_++;
    scopes_.back()[name] = Symbol{Symbol::Kind::kSlot, type, slot};
    return slot;
  }

  NodePtr check_typed(const ast::Expr* expr, TypeKind expected, const char* clause) {
    NodePtr node = check_expr(expr);
    if (!node->type().is_error() && !node->type().is(expected)) {
      error(expr->range, "uprank.type_mismatch",
            std::string("'") + clause + "' needs a " + type_name(Type::of(expected)) + ", not a " + type_name(node->type()));
    }
    return node;
  }

  NodePtr error_node(const SourceRange& at) {
    return std::make_unique<ConstantNode>(Type::of(TypeKind::kError), at, Value::undefined());
  }

  const Symbol* lookup(const std::string& name) {
    for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
      auto it = scope->find(name);
      if (it != scope->end()) return &it->second;
    }
    return nullptr;
  }

  DeclaredParam* find_param(const std::string& name) {
    for (auto& param : params_) {
      if (param.package == current_package_ && param.syntax->name == name) return &param;
    }
    for (auto& param : params_) {
      if (param.value.qualified_name == name) return &param;
    }
    return nullptr;
  }

  DeclaredFunction* find_function(const std::string& name) {
    auto it = functions_.find(qualify(current_package_, name));
    if (it == functions_.end()) it = functions_.find(name);
    return it == functions_.end() ? nullptr : &it->second;
  }

  std::vector<std::string> visible_names() {
    std::vector<std::string> names = {"today", "components", "critical", "high", "medium", "low", "info"};
    for (const auto& scope : scopes_) {
      for (const auto& [name, symbol] : scope) names.push_back(name);
    }
    for (const auto& param : params_) {
      if (param.package == current_package_) names.push_back(param.syntax->name);
    }
    return names;
  }

  NodePtr check_expr(const ast::Expr* expr) {
    if (expr == nullptr) return error_node({});
    return std::visit([&](const auto& node) { return check_node(*expr, node); }, expr->node);
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Literal& literal) {
    return std::visit(
        [&](const auto& v) -> NodePtr {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, bool>) {
            return std::make_unique<ConstantNode>(Type::of(TypeKind::kBool), expr.range, Value::of_bool(v));
          } else if constexpr (std::is_same_v<V, double>) {
            return std::make_unique<ConstantNode>(Type::of(TypeKind::kNumber), expr.range, Value::of_number(v));
          } else if constexpr (std::is_same_v<V, std::string>) {
            return std::make_unique<ConstantNode>(Type::of(TypeKind::kString), expr.range, keep_string(v));
          } else if constexpr (std::is_same_v<V, Date>) {
            return std::make_unique<ConstantNode>(Type::of(TypeKind::kDate), expr.range, Value::of_date(v));
          } else if constexpr (std::is_same_v<V, ast::Duration>) {
            return std::make_unique<ConstantNode>(Type::of(TypeKind::kDuration), expr.range, Value::of_duration(v.days));
          } else {
            error(expr.range, "uprank.misplaced_regex", "a regex can only be matched against text",
                  "write 'text ~ /pattern/' or 'matches(text, /pattern/)'");
            return error_node(expr.range);
          }
        },
        literal.value);
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Name& name) {
    if (const Symbol* symbol = lookup(name.identifier)) {
      return std::make_unique<SlotNode>(symbol->type, expr.range, symbol->slot, name.identifier);
    }
    if (DeclaredParam* param = find_param(name.identifier)) {
      param->used = true;
      if (param->value.type.is_error()) return error_node(expr.range);
      return std::make_unique<ConstantNode>(param->value.type, expr.range, param->value.value);
    }
    if (name.identifier == "today") return std::make_unique<TodayNode>(expr.range);
    if (name.identifier == "components") return std::make_unique<ComponentsNode>(expr.range, std::nullopt);
    Level level;
    if (parse_level(name.identifier, level)) {
      return std::make_unique<ConstantNode>(Type::of(TypeKind::kLevel), expr.range, Value::of_level(level));
    }
    error(expr.range, "uprank.unknown_name", "unknown name '" + name.identifier + "'",
          did_you_mean(name.identifier, visible_names()));
    return error_node(expr.range);
  }

  // Returns "a.b.c" for a chain of plain names and fields, or "" for anything else.
  static std::string dotted_path(const ast::Expr& expr) {
    if (const auto* name = std::get_if<ast::Name>(&expr.node)) return name->identifier;
    if (const auto* field = std::get_if<ast::Field>(&expr.node)) {
      std::string head = field->object ? dotted_path(*field->object) : "";
      return head.empty() ? "" : head + "." + field->field;
    }
    return "";
  }

  // Reads a dotted path as a qualified name of another package's param or def: the full
  // package name, or an import alias for it. Returns "" when the first segment is a
  // variable or param of its own, or when no such declaration exists.
  std::string qualified_reference(const std::string& path) {
    std::string first = path.substr(0, path.find('.'));
    if (path.find('.') == std::string::npos || lookup(first) != nullptr || find_param(first) != nullptr) return "";
    std::string expanded = path;
    auto aliases = import_aliases_.find(current_package_);
    if (aliases != import_aliases_.end()) {
      if (auto it = aliases->second.find(first); it != aliases->second.end()) expanded = it->second + path.substr(first.size());
    }
    return expanded;
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Field& field) {
    if (std::string qualified = qualified_reference(dotted_path(expr)); !qualified.empty()) {
      for (auto& param : params_) {
        if (param.value.qualified_name != qualified) continue;
        param.used = true;
        if (param.value.type.is_error()) return error_node(expr.range);
        return std::make_unique<ConstantNode>(param.value.type, expr.range, param.value.value);
      }
    }
    NodePtr object = check_expr(field.object.get());
    Type type = object->type();
    if (type.is_error()) return error_node(expr.range);
    std::vector<FieldInfo> fields = fields_of(type.kind);
    if (fields.empty()) {
      error(field.field_range, "uprank.no_fields", "a " + type_name(type) + " has no field '" + field.field + "'");
      return error_node(expr.range);
    }
    for (const FieldInfo& info : fields) {
      if (info.name == field.field) {
        if (info.id == FieldId::kFindings && !in_rank_policy_) {
          error(field.field_range, "uprank.misplaced_findings",
                "'findings' is known only in a rank policy, which runs after every rule",
                "a rule cannot read findings; combine them in a 'rank' declaration");
          return error_node(expr.range);
        }
        if (info.id == FieldId::kAdvisories || info.id == FieldId::kNotices) program_->reads_advisories_ = true;
        if (info.id == FieldId::kReleases) program_->reads_releases_ = true;
        return std::make_unique<FieldNode>(info.type, expr.range, std::move(object), info.id, field.field);
      }
    }
    std::vector<std::string> names;
    for (const FieldInfo& info : fields) names.push_back(info.name);
    error(field.field_range, "uprank.unknown_field", "unknown field '" + field.field + "' on " + type_name(type),
          did_you_mean(field.field, names));
    return error_node(expr.range);
  }

  static int builtin_arity(const std::string& name) {
    static const std::map<std::string, int> arity = {
        {"days", 1}, {"clamp", 3}, {"min", -2}, {"max", -2}, {"lower", 1}, {"upper", 1}, {"defined", 1},
        {"len", 1},  {"string", 1}, {"matches", 2}, {"supported_target", 2}, {"in_cycle", 2},
        {"major", 1}, {"minor", 1}, {"patch", 1}, {"components", -1}, {"related", 2}, {"in_scheme", 2}};
    auto it = arity.find(name);
    return it == arity.end() ? -1 : (it->second < 0 ? 99 : it->second);
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Call& call) {
    if (call.receiver) return check_method(expr, call);
    for (const auto& argument : call.arguments) {
      if (!argument.label.empty()) {
        error(argument.value->range, "uprank.named_argument", "'" + call.function + "' takes no named arguments");
        return error_node(expr.range);
      }
    }
    if (call.function == "components") {
      const ast::Literal* literal = call.arguments.size() == 1 ? std::get_if<ast::Literal>(&call.arguments[0].value->node)
                                                                 : nullptr;
      const std::string* selector = literal != nullptr ? std::get_if<std::string>(&literal->value) : nullptr;
      if (selector == nullptr) {
        error(expr.range, "uprank.bad_arguments", "components(...) takes one string: a product or component name");
        return error_node(expr.range);
      }
      return std::make_unique<ComponentsNode>(expr.range, *selector);
    }
    if (DeclaredFunction* function = find_function(call.function)) return check_def_call(expr, call, *function);
    std::vector<NodePtr> args;
    for (const auto& argument : call.arguments) {
      // A regex argument is compiled here rather than checked as a value.
      if (call.function == "matches" && &argument == &call.arguments.back() &&
          std::holds_alternative<ast::Literal>(argument.value->node) &&
          std::holds_alternative<ast::Regex>(std::get<ast::Literal>(argument.value->node).value)) {
        continue;
      }
      args.push_back(check_expr(argument.value.get()));
    }
    for (const auto& arg : args) {
      if (arg->type().is_error()) return error_node(expr.range);
    }
    return check_builtin(expr, call, std::move(args));
  }

  NodePtr check_method(const ast::Expr& expr, const ast::Call& call) {
    // `pkg.fn(x)` calls another package's def.
    if (std::string qualified = qualified_reference(dotted_path(*call.receiver) + "." + call.function); !qualified.empty()) {
      if (auto it = functions_.find(qualified); it != functions_.end()) {
        return check_def_call(expr, call, it->second);
      }
    }
    NodePtr receiver = check_expr(call.receiver.get());
    if (receiver->type().is_error()) return error_node(expr.range);
    if (receiver->type().is(TypeKind::kComponent) && call.function == "attribute") {
      if (call.arguments.size() != 1) {
        error(expr.range, "uprank.bad_arguments", "attribute(...) takes one string: the attribute's key");
        return error_node(expr.range);
      }
      NodePtr key = check_expr(call.arguments[0].value.get());
      if (!key->type().is(TypeKind::kString)) {
        if (!key->type().is_error()) error(call.arguments[0].value->range, "uprank.type_mismatch", "attribute keys are strings");
        return error_node(expr.range);
      }
      return std::make_unique<AttributeNode>(expr.range, std::move(receiver), std::move(key));
    }
    if (receiver->type().is(TypeKind::kComponent) && call.function == "releases") {
      NodePtr after, upto;
      for (const auto& argument : call.arguments) {
        if (argument.label != "after" && argument.label != "upto") {
          error(argument.value->range, "uprank.bad_arguments", "releases(...) takes 'after:' and 'upto:' versions",
                "e.g. c.releases(after: c.version, upto: c.eol.latest)");
          return error_node(expr.range);
        }
        NodePtr bound = check_expr(argument.value.get());
        if (bound->type().is_error()) return error_node(expr.range);
        if (!bound->type().is(TypeKind::kVersion) && !bound->type().is(TypeKind::kString)) {
          error(argument.value->range, "uprank.type_mismatch",
                "'" + argument.label + ":' needs a version, not a " + type_name(bound->type()));
          return error_node(expr.range);
        }
        (argument.label == "after" ? after : upto) = std::move(bound);
      }
      program_->reads_releases_ = true;
      return std::make_unique<ReleasesBetweenNode>(expr.range, std::move(receiver), std::move(after), std::move(upto));
    }
    if (receiver->type().is(TypeKind::kFinding) && call.function == "explained") {
      if (call.arguments.size() != 1 || !call.arguments[0].label.empty()) {
        error(expr.range, "uprank.bad_arguments", "explained(...) takes one string: a decision point");
        return error_node(expr.range);
      }
      NodePtr point = check_expr(call.arguments[0].value.get());
      if (!point->type().is(TypeKind::kString)) {
        if (!point->type().is_error()) {
          error(call.arguments[0].value->range, "uprank.type_mismatch", "decision points are strings, e.g. \"Decision\"");
        }
        return error_node(expr.range);
      }
      return std::make_unique<ExplainedNode>(expr.range, std::move(receiver), std::move(point));
    }
    const bool component = receiver->type().is(TypeKind::kComponent);
    const bool finding = receiver->type().is(TypeKind::kFinding);
    error(call.function_range, "uprank.unknown_method",
          "a " + type_name(receiver->type()) + " has no method '" + call.function + "'",
          component ? did_you_mean(call.function, {"attribute", "releases"})
                    : finding ? did_you_mean(call.function, {"explained"}) : "");
    return error_node(expr.range);
  }

  NodePtr check_builtin(const ast::Expr& expr, const ast::Call& call, std::vector<NodePtr> args) {
    const std::string& name = call.function;
    int arity = builtin_arity(name);
    if (arity < 0) {
      std::vector<std::string> known = {"days", "clamp", "min", "max", "lower", "upper", "defined", "len", "string",
                                        "matches", "supported_target", "in_cycle", "major", "minor", "patch", "components",
                                        "related", "in_scheme"};
      for (const auto& [qualified, function] : functions_) known.push_back(function.syntax->name);
      error(call.function_range, "uprank.unknown_function", "unknown function '" + name + "'", did_you_mean(name, known));
      return error_node(expr.range);
    }
    size_t given = call.arguments.size();
    if ((arity != 99 && given != static_cast<size_t>(arity)) || (arity == 99 && given < 2)) {
      error(expr.range, "uprank.bad_arguments",
            name + "(...) takes " + (arity == 99 ? std::string("two or more") : std::to_string(arity)) + " argument" +
                (arity == 1 ? "" : "s") + ", not " + std::to_string(given));
      return error_node(expr.range);
    }
    auto expect = [&](size_t index, TypeKind kind) {
      if (args[index]->type().is(kind)) return true;
      error(call.arguments[index].value->range, "uprank.type_mismatch",
            name + "(...) needs a " + type_name(Type::of(kind)) + " here, not a " + type_name(args[index]->type()));
      return false;
    };
    auto make = [&](Type type, Builtin builtin, std::shared_ptr<const re2::RE2> regex = nullptr) -> NodePtr {
      return std::make_unique<BuiltinNode>(type, expr.range, builtin, name, std::move(args), std::move(regex));
    };
    const Type number = Type::of(TypeKind::kNumber), string = Type::of(TypeKind::kString), boolean = Type::of(TypeKind::kBool);
    if (name == "days") return expect(0, TypeKind::kDuration) ? make(number, Builtin::kDays) : error_node(expr.range);
    if (name == "clamp") {
      bool ok = expect(0, TypeKind::kNumber) && expect(1, TypeKind::kNumber) && expect(2, TypeKind::kNumber);
      return ok ? make(number, Builtin::kClamp) : error_node(expr.range);
    }
    if (name == "min" || name == "max") {
      Type first = args[0]->type();
      if (!first.is(TypeKind::kNumber) && !first.is(TypeKind::kDate) && !first.is(TypeKind::kDuration)) {
        error(call.arguments[0].value->range, "uprank.type_mismatch", name + "(...) compares numbers, dates or durations");
        return error_node(expr.range);
      }
      for (size_t i = 1; i < args.size(); ++i) {
        if (!expect(i, first.kind)) return error_node(expr.range);
      }
      return make(first, name == "min" ? Builtin::kMin : Builtin::kMax);
    }
    if (name == "lower" || name == "upper") {
      return expect(0, TypeKind::kString) ? make(string, name == "lower" ? Builtin::kLower : Builtin::kUpper)
                                          : error_node(expr.range);
    }
    if (name == "defined") return make(boolean, Builtin::kDefined);
    if (name == "string") return make(string, Builtin::kString);
    if (name == "len") {
      if (!args[0]->type().is(TypeKind::kList) && !args[0]->type().is(TypeKind::kString)) {
        error(call.arguments[0].value->range, "uprank.type_mismatch", "len(...) needs a list or a string");
        return error_node(expr.range);
      }
      return make(number, Builtin::kLen);
    }
    if (name == "matches") {
      const auto* literal = std::get_if<ast::Literal>(&call.arguments[1].value->node);
      const auto* regex = literal != nullptr ? std::get_if<ast::Regex>(&literal->value) : nullptr;
      if (regex == nullptr) {
        error(call.arguments[1].value->range, "uprank.type_mismatch", "matches(...) needs a /regex/ literal second");
        return error_node(expr.range);
      }
      auto compiled = compile_regex(*regex, call.arguments[1].value->range);
      if (!compiled || !expect(0, TypeKind::kString)) return error_node(expr.range);
      return make(boolean, Builtin::kMatches, std::move(compiled));
    }
    if (name == "supported_target") {
      bool ok = expect(0, TypeKind::kComponent) && expect(1, TypeKind::kDate);
      return ok ? make(Type::of(TypeKind::kVersion), Builtin::kSupportedTarget) : error_node(expr.range);
    }
    if (name == "in_cycle") {
      bool ok = expect(0, TypeKind::kVersion) && expect(1, TypeKind::kString);
      return ok ? make(boolean, Builtin::kInCycle) : error_node(expr.range);
    }
    if (name == "related") {
      bool ok = expect(0, TypeKind::kComponent) && expect(1, TypeKind::kComponent);
      return ok ? make(boolean, Builtin::kRelated) : error_node(expr.range);
    }
    if (name == "in_scheme") {
      const std::string* scheme = string_literal(call.arguments[1].value.get());
      if (scheme == nullptr || !versions::parse_scheme(*scheme)) {
        error(call.arguments[1].value->range, "uprank.unknown_scheme",
              "in_scheme(...) needs a scheme name literal second",
              "one of: semver, npm, pep440, deb, rpm, maven, golang, generic");
        return error_node(expr.range);
      }
      // A string is read as a version in that scheme: in_scheme(kubernetes_version, "generic")
      // turns a param into a version that compares as one.
      if (args[0]->type().is(TypeKind::kString)) return make(Type::of(TypeKind::kVersion), Builtin::kInScheme);
      return expect(0, TypeKind::kVersion) ? make(Type::of(TypeKind::kVersion), Builtin::kInScheme) : error_node(expr.range);
    }
    // major / minor / patch
    if (!expect(0, TypeKind::kVersion)) return error_node(expr.range);
    return make(number, name == "major" ? Builtin::kMajor : name == "minor" ? Builtin::kMinor : Builtin::kPatch);
  }

  NodePtr check_def_call(const ast::Expr& expr, const ast::Call& call, DeclaredFunction& function) {
    const ast::Function& syntax = *function.syntax;
    function.used = true;
    if (call.arguments.size() != syntax.parameters.size()) {
      error(expr.range, "uprank.bad_arguments",
            syntax.name + "(...) takes " + std::to_string(syntax.parameters.size()) + " argument(s), not " +
                std::to_string(call.arguments.size()));
      return error_node(expr.range);
    }
    if (expanding_.count(&syntax)) {
      error(expr.range, "uprank.recursive_def", "'" + syntax.name + "' calls itself; defs cannot recurse");
      return error_node(expr.range);
    }
    // Every call inlines the def's body, so defs that each call the previous one twice
    // grow as 2^n: a few hundred bytes of rules would take gigabytes. Bounded, once said.
    if (++inlined_calls_ > kMaxInlinedCalls) {
      if (inlined_calls_ == kMaxInlinedCalls + 1) {
        error(expr.range, "uprank.expansion_limit",
              "inlining '" + syntax.name + "' exceeds the budget of " + std::to_string(kMaxInlinedCalls) +
                  " inlined def calls per compilation; defs calling defs several times grow exponentially");
      }
      return error_node(expr.range);
    }
    std::vector<NodePtr> arguments;
    std::vector<int> slots;
    std::vector<Type> argument_types;
    std::map<std::string, Symbol> parameters;
    for (size_t i = 0; i < call.arguments.size(); ++i) {
      NodePtr argument = check_expr(call.arguments[i].value.get());
      if (argument->type().is_error()) return error_node(expr.range);
      argument_types.push_back(argument->type());
      int slot = next_slot_++;
      parameters[syntax.parameters[i]] = Symbol{Symbol::Kind::kSlot, argument->type(), slot};
      slots.push_back(slot);
      arguments.push_back(std::move(argument));
    }
    // The body sees only its parameters, params and globals: no variables of the caller.
    std::vector<std::map<std::string, Symbol>> saved_scopes;
    saved_scopes.swap(scopes_);
    scopes_.push_back(std::move(parameters));
    std::string saved_package = current_package_;
    current_package_ = function.package;
    expanding_.insert(&syntax);
    NodePtr body = check_expr(syntax.body.get());
    expanding_.erase(&syntax);
    current_package_ = saved_package;
    scopes_.swap(saved_scopes);
    if (body->type().is_error()) return error_node(expr.range);
    Type type = body->type();
    return std::make_unique<LetNode>(type, expr.range, syntax.name, def_identity(syntax, argument_types), std::move(slots),
                                     std::move(arguments), std::move(body));
  }

  // Returns the identity of the calls of `syntax` with arguments of `types` (LetNode): one
  // per def and argument types, so that the body's value on equal arguments is the same
  // whichever call site inlined it. Lives as long as the program.
  const void* def_identity(const ast::Function& syntax, const std::vector<Type>& types) {
    std::string key;
    for (const Type& type : types) {
      key += static_cast<char>(type.kind);
      key += static_cast<char>(type.element);
    }
    auto [found, added] = def_identities_.try_emplace(std::make_pair(&syntax, key));
    if (added) {
      auto identity = std::make_shared<const char>(0);
      program_->storage_.push_back(identity);
      found->second = identity.get();
    }
    return found->second;
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Index& index) {
    error(expr.range, "uprank.unsupported", "indexing with [...] is not part of the language",
          index.object ? "use c.attribute(\"key\") for inventory attributes" : "");
    return error_node(expr.range);
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Unary& unary) {
    NodePtr operand = check_expr(unary.operand.get());
    Type type = operand->type();
    if (type.is_error()) return error_node(expr.range);
    if (unary.op == ast::UnaryOp::kNot) {
      if (!type.is(TypeKind::kBool)) {
        error(expr.range, "uprank.type_mismatch", "'not' needs a bool, not a " + type_name(type));
        return error_node(expr.range);
      }
      return std::make_unique<NotNode>(expr.range, std::move(operand));
    }
    if (!type.is(TypeKind::kNumber) && !type.is(TypeKind::kDuration)) {
      error(expr.range, "uprank.type_mismatch", "'-' negates numbers and durations, not a " + type_name(type));
      return error_node(expr.range);
    }
    return std::make_unique<NegateNode>(type, expr.range, std::move(operand));
  }

  std::shared_ptr<const re2::RE2> compile_regex(const ast::Regex& regex, const SourceRange& at) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    std::string prefix;
    for (char flag : regex.flags) prefix += flag;
    std::string pattern = prefix.empty() ? regex.pattern : "(?" + prefix + ")" + regex.pattern;
    auto compiled = std::make_shared<const re2::RE2>(pattern, options);
    if (!compiled->ok()) {
      error(at, "uprank.bad_regex", "invalid regex: " + compiled->error(),
            "regexes use RE2 syntax: no backreferences or lookaround");
      return nullptr;
    }
    return compiled;
  }

  static bool is_comparison(ast::BinaryOp op) {
    return op == ast::BinaryOp::kLess || op == ast::BinaryOp::kLessEqual || op == ast::BinaryOp::kGreater ||
           op == ast::BinaryOp::kGreaterEqual || op == ast::BinaryOp::kEqual || op == ast::BinaryOp::kNotEqual;
  }

  static ast::BinaryOp mirror(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::kLess: return ast::BinaryOp::kGreater;
      case ast::BinaryOp::kLessEqual: return ast::BinaryOp::kGreaterEqual;
      case ast::BinaryOp::kGreater: return ast::BinaryOp::kLess;
      case ast::BinaryOp::kGreaterEqual: return ast::BinaryOp::kLessEqual;
      default: return op;
    }
  }

  // Returns the text of a string known at compile time (a literal or a param), so that
  // ranges and versions in params are checked and pre-parsed like literals.
  static std::optional<std::string> constant_text(const Node& node) {
    auto* constant = dynamic_cast<const ConstantNode*>(&node);
    if (constant == nullptr || !constant->type().is(TypeKind::kString)) return std::nullopt;
    Frame frame;
    Value value = constant->evaluate(frame);
    return std::string(value.text);
  }

  static const std::string* string_literal(const ast::Expr* expr) {
    const auto* literal = expr != nullptr ? std::get_if<ast::Literal>(&expr->node) : nullptr;
    return literal != nullptr ? std::get_if<std::string>(&literal->value) : nullptr;
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Binary& binary) {
    const ast::BinaryOp op = binary.op;
    if (op == ast::BinaryOp::kMatch || op == ast::BinaryOp::kNotMatch) return check_match(expr, binary);
    NodePtr left = check_expr(binary.left.get());
    NodePtr right = check_expr(binary.right.get());
    Type a = left->type(), b = right->type();
    if (a.is_error() || b.is_error()) return error_node(expr.range);
    auto mismatch = [&](const std::string& what) {
      error(expr.range, "uprank.type_mismatch", what + ": " + type_name(a) + " and " + type_name(b));
      return error_node(expr.range);
    };
    if (op == ast::BinaryOp::kAnd || op == ast::BinaryOp::kOr) {
      if (!a.is(TypeKind::kBool) || !b.is(TypeKind::kBool)) return mismatch("'and' and 'or' combine bools");
      return std::make_unique<LogicNode>(expr.range, op == ast::BinaryOp::kAnd, std::move(left), std::move(right));
    }
    if (op == ast::BinaryOp::kIn || op == ast::BinaryOp::kNotIn) {
      bool negate = op == ast::BinaryOp::kNotIn;
      if (a.is(TypeKind::kVersion) && b.is(TypeKind::kString)) {
        std::optional<VersionInRangeNode::RangeLiteral> literal;
        if (std::optional<std::string> text = constant_text(*right)) {
          literal = parse_range_literal(*text, binary.right->range);
          if (!literal) return error_node(expr.range);
        }
        return std::make_unique<VersionInRangeNode>(expr.range, negate, std::move(left), std::move(right), std::move(literal));
      }
      if (b.is(TypeKind::kList) && (b.element == a.kind || b.element == TypeKind::kError)) {
        return std::make_unique<InListNode>(expr.range, negate, std::move(left), std::move(right));
      }
      return mismatch("'in' tests a version against a range string or an item against a list");
    }
    if (is_comparison(op)) {
      if (a.is(TypeKind::kString) && b.is(TypeKind::kVersion)) {
        return make_version_compare(expr, mirror(op), std::move(right), std::move(left), binary.left.get());
      }
      if (a.is(TypeKind::kVersion) && (b.is(TypeKind::kVersion) || b.is(TypeKind::kString))) {
        return make_version_compare(expr, op, std::move(left), std::move(right), binary.right.get());
      }
      if (a != b) return mismatch("cannot compare different types");
      bool ordered = a.is(TypeKind::kNumber) || a.is(TypeKind::kString) || a.is(TypeKind::kDate) ||
                     a.is(TypeKind::kDuration) || a.is(TypeKind::kLevel);
      bool equality = op == ast::BinaryOp::kEqual || op == ast::BinaryOp::kNotEqual;
      if (!ordered && !(equality && (a.is(TypeKind::kBool) || a.is(TypeKind::kComponent) || a.is(TypeKind::kEolCycle)))) {
        return mismatch("these values cannot be compared with this operator");
      }
      return std::make_unique<CompareNode>(expr.range, op, std::move(left), std::move(right));
    }
    // Arithmetic.
    Type result = Type::of(TypeKind::kError);
    const bool additive = op == ast::BinaryOp::kAdd || op == ast::BinaryOp::kSubtract;
    if (a.is(TypeKind::kNumber) && b.is(TypeKind::kNumber)) result = a;
    else if (op == ast::BinaryOp::kAdd && a.is(TypeKind::kString) && b.is(TypeKind::kString)) result = a;
    else if (op == ast::BinaryOp::kSubtract && a.is(TypeKind::kDate) && b.is(TypeKind::kDate)) result = Type::of(TypeKind::kDuration);
    else if (additive && a.is(TypeKind::kDate) && b.is(TypeKind::kDuration)) result = a;
    else if (op == ast::BinaryOp::kAdd && a.is(TypeKind::kDuration) && b.is(TypeKind::kDate)) result = b;
    else if (additive && a.is(TypeKind::kDuration) && b.is(TypeKind::kDuration)) result = a;
    else if ((op == ast::BinaryOp::kMultiply || op == ast::BinaryOp::kDivide) && a.is(TypeKind::kDuration) &&
             b.is(TypeKind::kNumber)) {
      result = a;
    }
    if (result.is_error()) {
      std::string hint = a.is(TypeKind::kDuration) || b.is(TypeKind::kDuration)
                             ? "days(duration) turns a duration into a number"
                             : "";
      error(expr.range, "uprank.type_mismatch", "cannot apply this operator to " + type_name(a) + " and " + type_name(b), hint);
      return error_node(expr.range);
    }
    return std::make_unique<ArithmeticNode>(result, expr.range, op, std::move(left), std::move(right));
  }

  NodePtr make_version_compare(const ast::Expr& expr, ast::BinaryOp op, NodePtr version, NodePtr other,
                               const ast::Expr* other_syntax) {
    std::optional<VersionLiteral> literal;
    if (const std::string* text = string_literal(other_syntax)) {
      literal = VersionLiteral{*text, {}};
      bool any = false;
      for (versions::Scheme scheme : versions::all_schemes()) {
        auto parsed = versions::Version::parse(scheme, *text);
        if (parsed.ok()) {
          literal->by_scheme[static_cast<size_t>(scheme)] = std::move(parsed.value());
          any = true;
        }
      }
      if (!any) {
        error(other_syntax->range, "uprank.bad_version", "'" + *text + "' is not a version in any scheme");
        return error_node(expr.range);
      }
    }
    return std::make_unique<VersionCompareNode>(expr.range, op, std::move(version), std::move(other), std::move(literal));
  }

  std::optional<VersionInRangeNode::RangeLiteral> parse_range_literal(const std::string& text, const SourceRange& at) {
    VersionInRangeNode::RangeLiteral literal{text, {}};
    bool any = false;
    std::string first_error;
    for (versions::Scheme scheme : versions::all_schemes()) {
      auto parsed = text.rfind("vers:", 0) == 0 ? versions::Range::parse_vers(text) : versions::Range::parse(scheme, text);
      if (parsed.ok()) {
        if (text.rfind("vers:", 0) == 0 && parsed->scheme() != scheme) continue;
        literal.by_scheme[static_cast<size_t>(scheme)] = std::move(parsed.value());
        any = true;
      } else if (first_error.empty()) {
        first_error = parsed.error().message;
      }
    }
    if (!any) {
      error(at, "uprank.bad_range", "'" + text + "' is not a version range in any scheme", first_error);
      return std::nullopt;
    }
    return literal;
  }

  NodePtr check_match(const ast::Expr& expr, const ast::Binary& binary) {
    NodePtr text = check_expr(binary.left.get());
    const auto* literal = std::get_if<ast::Literal>(&binary.right->node);
    const auto* regex = literal != nullptr ? std::get_if<ast::Regex>(&literal->value) : nullptr;
    if (regex == nullptr) {
      error(binary.right->range, "uprank.type_mismatch", "'~' needs a /regex/ literal on its right");
      return error_node(expr.range);
    }
    auto compiled = compile_regex(*regex, binary.right->range);
    if (text->type().is_error() || !compiled) return error_node(expr.range);
    if (!text->type().is(TypeKind::kString)) {
      error(binary.left->range, "uprank.type_mismatch", "'~' matches text, not a " + type_name(text->type()));
      return error_node(expr.range);
    }
    // Patterns over the same field of a record share one RE2::Set (compiled in `plan`).
    std::shared_ptr<RegexSet> group;
    int index = -1;
    if (auto* field = dynamic_cast<const FieldNode*>(text.get())) {
      auto& slot = regex_sets_[field->field()];
      if (!slot) {
        slot = std::make_shared<RegexSet>();
        re2::RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(64 << 20);
        slot->set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
      }
      index = slot->set->Add(compiled->pattern(), nullptr);
      if (index >= 0) {
        ++slot->patterns;
        group = slot;
      }
    }
    return std::make_unique<MatchNode>(expr.range, binary.op == ast::BinaryOp::kNotMatch, std::move(text),
                                       std::move(compiled), std::move(group), index);
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Conditional& conditional) {
    NodePtr condition = check_typed(conditional.condition.get(), TypeKind::kBool, "if");
    NodePtr then_value = check_expr(conditional.then_value.get());
    NodePtr else_value = check_expr(conditional.else_value.get());
    if (condition->type().is_error() || then_value->type().is_error() || else_value->type().is_error()) {
      return error_node(expr.range);
    }
    if (then_value->type() != else_value->type()) {
      error(expr.range, "uprank.type_mismatch",
            "'then' gives a " + type_name(then_value->type()) + " but 'else' gives a " + type_name(else_value->type()));
      return error_node(expr.range);
    }
    Type type = then_value->type();
    return std::make_unique<ConditionalNode>(type, expr.range, std::move(condition), std::move(then_value),
                                             std::move(else_value));
  }

  NodePtr check_node(const ast::Expr& expr, const ast::ListLiteral& list) {
    std::vector<NodePtr> items;
    TypeKind element = TypeKind::kError;
    for (const auto& item : list.items) {
      NodePtr node = check_expr(item.get());
      if (node->type().is_error()) return error_node(expr.range);
      if (element == TypeKind::kError) {
        element = node->type().kind;
      } else if (node->type().kind != element) {
        error(item->range, "uprank.type_mismatch", "list items must share one type: " +
                                                        type_name(Type::of(element)) + " and " + type_name(node->type()));
        return error_node(expr.range);
      }
      items.push_back(std::move(node));
    }
    return std::make_unique<ListNode>(Type::list_of(element), expr.range, std::move(items));
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Quantifier& quantifier) {
    NodePtr collection = check_expr(quantifier.collection.get());
    if (collection->type().is_error()) return error_node(expr.range);
    if (!collection->type().is(TypeKind::kList)) {
      error(quantifier.collection->range, "uprank.type_mismatch",
            "quantifiers range over lists, not a " + type_name(collection->type()));
      return error_node(expr.range);
    }
    scopes_.emplace_back();
    int slot = bind(quantifier.variable, quantifier.variable_range, Type::of(collection->type().element));
    NodePtr condition = quantifier.condition ? check_typed(quantifier.condition.get(), TypeKind::kBool, "where") : nullptr;
    NodePtr value = quantifier.value ? check_expr(quantifier.value.get()) : nullptr;
    scopes_.pop_back();
    if ((condition && condition->type().is_error()) || (value && value->type().is_error())) return error_node(expr.range);
    Type type = Type::of(quantifier.kind == ast::QuantifierKind::kCount ? TypeKind::kNumber : TypeKind::kBool);
    if (value) {
      Type value_type = value->type();
      bool ordered = value_type.is(TypeKind::kNumber) || value_type.is(TypeKind::kDate) ||
                     value_type.is(TypeKind::kDuration) || value_type.is(TypeKind::kVersion) ||
                     value_type.is(TypeKind::kString) || value_type.is(TypeKind::kLevel);
      bool summable = value_type.is(TypeKind::kNumber);
      if (quantifier.kind == ast::QuantifierKind::kSum ? !summable : !ordered) {
        error(quantifier.value->range, "uprank.type_mismatch",
              std::string(quantifier.kind == ast::QuantifierKind::kSum ? "sum adds numbers" :
                           "max and min compare numbers, strings, dates, durations, levels or versions") + ", not a " + type_name(value_type));
        return error_node(expr.range);
      }
      type = value_type;
    }
    return std::make_unique<QuantifierNode>(type, expr.range, quantifier.kind, slot, std::move(collection),
                                            std::move(condition), std::move(value));
  }

  NodePtr check_node(const ast::Expr& expr, const ast::Interpolation& interpolation) {
    std::vector<NodePtr> values;
    for (const auto& value : interpolation.values) {
      NodePtr node = check_expr(value.get());
      if (node->type().is_error()) return error_node(expr.range);
      values.push_back(std::move(node));
    }
    return std::make_unique<InterpolationNode>(expr.range, interpolation.texts, std::move(values));
  }

  // ---- pass: lint ----------------------------------------------------------------------
  void lint() {
    for (const auto& param : params_) {
      if (!param.used) {
        warning(param.syntax->range, "uprank.unused_param", "param '" + param.value.qualified_name + "' is never used");
      }
    }
    for (const auto& [name, function] : functions_) {
      if (!function.used) warning(function.syntax->range, "uprank.unused_def", "def '" + name + "' is never called");
    }
    for (const auto& rule : program_->rules_) {
      for (const NodePtr* condition : {&rule.where, &rule.when}) {
        if (*condition && is_literal_false(condition->get())) {
          warning(rule.range, "uprank.never_fires", "rule '" + rule.name + "' can never fire: its condition is never true");
        }
      }
    }
  }

  // ---- pass: plan ----------------------------------------------------------------------
  // Chooses, per binding, how candidates are found: a product or name index when a
  // conjunct of `where` pins it, or the components with EOL data when a conjunct cannot
  // be true without them.
  void plan() {
    // A set pays off from two patterns on; a lone pattern keeps its own RE2.
    for (auto& [field, group] : regex_sets_) {
      if (group->patterns >= 2) group->compiled = group->set->Compile();
      program_->storage_.push_back(group);
    }
    for (auto& rule : program_->rules_) {
      plan_early_conjuncts(rule);
      for (auto& binding : rule.bindings) {
        if (binding.filter.kind != CandidateFilter::Kind::kAll) continue;
        std::vector<const Node*> conjuncts;
        if (rule.where) collect_conjuncts(*rule.where, conjuncts);
        if (rule.when) collect_conjuncts(*rule.when, conjuncts);
        for (const Node* conjunct : conjuncts) {
          CandidateFilter filter = filter_from(*conjunct, binding.slot);
          if (filter.kind != CandidateFilter::Kind::kAll) {
            binding.filter = std::move(filter);
            if (binding.filter.kind != CandidateFilter::Kind::kHasEolCycle) break;
          }
        }
      }
    }
  }

  // Gives each binding but the last the `where` conjuncts that read no later binding: a
  // join of components then prunes a partial match at once (a conjunct that is not true
  // makes the conjunction not true, in Kleene logic too).
  static void plan_early_conjuncts(CompiledRule& rule) {
    if (rule.bindings.size() < 2 || !rule.where) return;
    std::vector<const Node*> conjuncts;
    collect_conjuncts(*rule.where, conjuncts);
    for (const Node* conjunct : conjuncts) {
      size_t last = 0;
      std::function<void(const Node&)> walk = [&](const Node& current) {
        if (auto* variable = dynamic_cast<const SlotNode*>(&current)) {
          for (size_t i = 0; i < rule.bindings.size(); ++i) {
            if (rule.bindings[i].slot == variable->slot()) last = std::max(last, i);
          }
        }
        current.visit_children(walk);
      };
      walk(*conjunct);
      if (last + 1 < rule.bindings.size()) rule.bindings[last].early.push_back(conjunct);
    }
  }

  static void collect_conjuncts(const Node& node, std::vector<const Node*>& out) {
    if (auto* logic = dynamic_cast<const LogicNode*>(&node); logic && logic->is_and()) {
      collect_conjuncts(logic->left(), out);
      collect_conjuncts(logic->right(), out);
      return;
    }
    out.push_back(&node);
  }

  static bool is_field_of_slot(const Node& node, FieldId field, int slot) {
    auto* access = dynamic_cast<const FieldNode*>(&node);
    if (access == nullptr || access->field() != field) return false;
    auto* variable = dynamic_cast<const SlotNode*>(&access->object());
    return variable != nullptr && variable->slot() == slot;
  }

  static CandidateFilter filter_from(const Node& conjunct, int slot) {
    if (auto* compare = dynamic_cast<const CompareNode*>(&conjunct); compare && compare->op() == ast::BinaryOp::kEqual) {
      for (auto [field, kind] : {std::pair{FieldId::kProduct, CandidateFilter::Kind::kProduct},
                                 std::pair{FieldId::kName, CandidateFilter::Kind::kName}}) {
        const Node* constant = nullptr;
        if (is_field_of_slot(compare->left(), field, slot)) constant = &compare->right();
        if (is_field_of_slot(compare->right(), field, slot)) constant = &compare->left();
        if (auto* literal = dynamic_cast<const ConstantNode*>(constant)) {
          Frame frame;
          Value value = literal->evaluate(frame);
          if (value.kind == Kind::kString) return CandidateFilter{kind, {std::string(value.text)}};
        }
      }
    }
    if (requires_eol(conjunct, slot)) return CandidateFilter{CandidateFilter::Kind::kHasEolCycle, {}};
    return CandidateFilter{};
  }

  // Returns whether `node` is undefined (so not true) whenever the bound component has no
  // EOL cycle: it reads `x.eol` and contains nothing that can absorb an undefined value
  // (defined(), or, if, quantifiers).
  static bool requires_eol(const Node& node, int slot) {
    bool reads_eol = false;
    bool absorbs = false;
    std::function<void(const Node&)> walk = [&](const Node& current) {
      if (is_field_of_slot(current, FieldId::kEol, slot)) reads_eol = true;
      auto* builtin = dynamic_cast<const BuiltinNode*>(&current);
      auto* logic = dynamic_cast<const LogicNode*>(&current);
      if ((builtin && builtin->builtin() == Builtin::kDefined) || (logic && !logic->is_and()) ||
          dynamic_cast<const ConditionalNode*>(&current) || dynamic_cast<const QuantifierNode*>(&current)) {
        absorbs = true;
      }
      current.visit_children(walk);
    };
    walk(node);
    return reads_eol && !absorbs;
  }

  // ---- dumps -----------------------------------------------------------------------------
  std::string describe(const std::string& pass) const {
    std::string out = "# after pass '" + pass + "'\n";
    for (const auto& param : params_) {
      out += "param " + param.value.qualified_name + " : " + type_name(param.value.type) + " = " +
             format_value(param.value.value) + "\n";
    }
    if (pass == "resolve") {
      for (const auto& [rule, package] : rule_order_) out += "rule " + qualify(package, rule->name) + "\n";
      for (const auto& [policy, package] : rank_order_) out += "rank " + qualify(package, policy->name) + "\n";
      return out;
    }
    for (const auto& rule : program_->rules_) {
      out += "rule " + rule.qualified_name + "\n";
      for (const auto& binding : rule.bindings) {
        out += "  for " + binding.variable + "#" + std::to_string(binding.slot);
        if (pass == "plan") {
          static const char* kinds[] = {"scan all", "index product", "index name", "index product or name",
                                        "components with EOL data"};
          out += "  [" + std::string(kinds[static_cast<int>(binding.filter.kind)]);
          for (const auto& value : binding.filter.values) out += " \"" + value + "\"";
          out += "]";
        }
        out += "\n";
      }
      auto line = [&](const char* label, const NodePtr& node) {
        if (!node) return;
        out += std::string("  ") + label + " ";
        node->describe(out);
        out += "\n";
      };
      line("where", rule.where);
      line("when", rule.when);
      line("urgency", rule.urgency);
      line("score", rule.score);
      out += "  reason " + rule.reason + "\n";
      line("message", rule.message);
      line("target", rule.target);
      line("due", rule.due);
    }
    if (const CompiledRankPolicy* policy = program_->rank_policy()) {
      out += "rank " + policy->qualified_name + "\n";
      auto line = [&](const std::string& label, const NodePtr& node) {
        if (!node) return;
        out += "  " + label + " ";
        node->describe(out);
        out += "\n";
      };
      line("urgency", policy->urgency);
      line("score", policy->score);
      line("due", policy->due);
      for (const auto& factor : policy->factors) line("factor \"" + factor.name + "\"", factor.points);
    }
    for (const auto& overridden : program_->overridden_rank_policies()) out += "rank " + overridden + " (overridden)\n";
    return out;
  }

  const std::vector<ast::File>& files_;
  const CompileOptions& options_;
  std::shared_ptr<Program> program_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<DeclaredParam> params_;
  std::map<std::string, DeclaredFunction> functions_;
  std::vector<std::pair<const ast::Rule*, std::string>> rule_order_;
  std::vector<std::pair<const ast::RankPolicy*, std::string>> rank_order_;
  bool in_rank_policy_ = false;  // `c.findings` is readable only while checking a rank policy
  std::vector<std::map<std::string, Symbol>> scopes_;
  std::set<const ast::Function*> expanding_;
  static constexpr size_t kMaxInlinedCalls = 20000;  // far above what real packs inline
  size_t inlined_calls_ = 0;
  std::map<std::pair<const ast::Function*, std::string>, const void*> def_identities_;  // def_identity()
  std::deque<ast::Rule> synthesized_rules_;
  std::map<FieldId, std::shared_ptr<RegexSet>> regex_sets_;  // per matched field
  std::map<std::string, std::map<std::string, std::string>> import_aliases_;  // package -> alias -> package  // rules desugared from constraints; stable addresses
  std::string current_package_;
  int next_slot_ = 0;
};

CompileResult compile(const std::vector<ast::File>& files, const CompileOptions& options) {
  return ProgramBuilder(files, options).run();
}

std::optional<DeclaredAdvisory> lower_declared_advisory(const ast::AdvisoryDecl& syntax,
                                                        std::vector<Diagnostic>& diagnostics) {
  static const std::vector<ast::File> no_files;
  static const CompileOptions no_options;
  ProgramBuilder builder(no_files, no_options);
  return builder.lower_standalone_advisory(syntax, diagnostics);
}

}  // namespace uprank::compiler
