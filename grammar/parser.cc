// Lowers ANTLR parse trees to the syntax tree. The only file that includes generated code.
#include "grammar/parser.h"

#include "grammar/large_stack.h"
#include "grammar/token_source.h"

#include "engine/files/files.h"

#include <algorithm>
#include <optional>
#include <atomic>
#include <filesystem>
#include <cctype>
#include <functional>
#include <typeinfo>
#include <set>
#include <thread>

#include "UprankParser.h"
#include "antlr4-runtime.h"

namespace uprank::grammar {
namespace {

using uprank_grammar::UprankParser;

class DiagnosticListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticListener(const std::string& path, std::vector<Diagnostic>& out, int max_errors)
      : path_(path), out_(out), max_errors_(max_errors) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t line, size_t column,
                   const std::string& message, std::exception_ptr) override {
    if (++count_ > max_errors_) return;
    Diagnostic diagnostic;
    diagnostic.code = "uprank.syntax";
    diagnostic.range.begin = {path_, static_cast<int>(line), static_cast<int>(column) + 1};
    diagnostic.range.end_line = static_cast<int>(line);
    diagnostic.range.end_column = static_cast<int>(column) + 1;
    std::string text = offending != nullptr ? offending->getText() : "";
    if (offending != nullptr && offending->getType() == antlr4::Token::EOF) {
      diagnostic.message = "unexpected end of file";
    } else if (!text.empty()) {
      diagnostic.message = "unexpected '" + text + "'";
      diagnostic.range.end_column += static_cast<int>(text.size()) - 1;
    } else {
      diagnostic.message = "syntax error";
    }
    diagnostic.hint = hint_from(message);
    out_.push_back(std::move(diagnostic));
  }

  int count() const { return count_; }

 private:
  // ANTLR says "mismatched input 'x' expecting {'a', 'b', ...}"; keep what is expected,
  // shortened, as the hint.
  static std::string hint_from(const std::string& message) {
    size_t at = message.find("expecting ");
    if (at == std::string::npos) return "";
    std::string expected = message.substr(at + 10);
    if (expected.find("NUMBER") != std::string::npos && expected.find("IDENT") != std::string::npos) {
      return "expected an expression";
    }
    if (expected.size() > 120) expected = expected.substr(0, 117) + "...";
    return "expected " + expected;
  }

  const std::string& path_;
  std::vector<Diagnostic>& out_;
  int max_errors_;
  int count_ = 0;
};

// Returns `context` as a T when it is exactly a T: parse-tree alternatives are leaf
// classes, so comparing type_info is enough and much cheaper than dynamic_cast.
template <typename T, typename Base>
T* exactly(Base* context) {
  return context != nullptr && typeid(*context) == typeid(T) ? static_cast<T*>(context) : nullptr;
}

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

SourceRange range_of(const std::string& path, antlr4::Token* start, antlr4::Token* stop) {
  SourceRange range;
  range.begin = {path, static_cast<int>(start->getLine()), static_cast<int>(start->getCharPositionInLine()) + 1};
  if (stop == nullptr || stop->getType() == antlr4::Token::EOF || stop->getTokenIndex() < start->getTokenIndex()) {
    stop = start;
  }
  std::string storage;
  size_t width = code_points(token_text(stop, storage));
  range.end_line = static_cast<int>(stop->getLine());
  range.end_column = static_cast<int>(stop->getCharPositionInLine()) + std::max<int>(1, static_cast<int>(width));
  return range;
}

SourceRange range_of(const std::string& path, const LexedToken& token, std::string_view source) {
  SourceRange range;
  range.begin = {path, static_cast<int>(token.line), static_cast<int>(token.column) + 1};
  size_t width = code_points(source.substr(token.begin, token.end - token.begin));
  range.end_line = static_cast<int>(token.line);
  range.end_column = static_cast<int>(token.column) + std::max<int>(1, static_cast<int>(width));
  return range;
}

// Converts a parse tree into the syntax tree; reports what the grammar accepts but the
// language does not (bad escapes, bad interpolations, numbers out of range).
class Lowering {
 public:
  Lowering(const std::string& path, std::vector<Diagnostic>& diagnostics, const ParseOptions& options)
      : path_(path), diagnostics_(diagnostics), options_(options) {}

  ast::File lower_file(UprankParser::FileContext* context) {
    ast::File file;
    file.path = path_;
    if (auto* package = context->package) {
      file.package = dotted(package->path);
      file.package_range = range(package->path);
    }
    for (auto* import : context->imports) {
      ast::Import item;
      item.package = dotted(import->path);
      item.alias = import->alias != nullptr ? word(import->alias) : "";
      item.range = range(import->path);
      file.imports.push_back(std::move(item));
    }
    for (auto* declaration : context->declarations) {
      if (auto* param = declaration->param) {
        file.params.push_back(ast::Param{word(param->id), range(param->id), lower(param->value), "", {}});
        if (param->versions != nullptr) {
          file.params.back().version_scheme = word(param->versions->id);
          file.params.back().version_scheme_range = range(param->versions->id);
        }
      } else if (auto* def = declaration->function) {
        ast::Function function;
        function.name = word(def->id);
        function.range = range(def->id);
        for (auto* parameter : def->parameters) {
          function.parameters.push_back(word(parameter));
          function.parameter_ranges.push_back(range(parameter));
        }
        function.body = lower(def->body);
        file.functions.push_back(std::move(function));
      } else if (auto* rule = declaration->policy) {
        file.rules.push_back(lower_rule(rule));
      } else if (auto* constraint = declaration->constraint) {
        file.constraints.push_back(lower_constraint(constraint));
      } else if (auto* advisory = declaration->advisory) {
        file.advisories.push_back(lower_advisory(advisory));
      } else if (auto* suppress = declaration->suppression) {
        file.suppressions.push_back(lower_suppression(suppress));
      } else if (auto* test = declaration->test) {
        file.tests.push_back(lower_test(test));
      } else if (auto* ranking = declaration->ranking) {
        file.rank_policies.push_back(lower_rank(ranking));
      }
    }
    return file;
  }

  ast::ExprPtr lower_standalone(UprankParser::StandaloneExprContext* context) { return lower(context->value); }

 private:
  // The text of a one-token rule (name, fieldName), without ANTLR's string-stream copy.
  static std::string word(antlr4::ParserRuleContext* context) { return word(context->getStart()); }

  static std::string word(antlr4::Token* token) {
    std::string storage;
    return std::string(token_text(token, storage));
  }

  static std::string dotted(UprankParser::QualifiedNameContext* context) {
    std::string text;
    for (auto* part : context->parts) {
      if (!text.empty()) text += '.';
      text += word(part);
    }
    return text;
  }

  SourceRange range(antlr4::ParserRuleContext* context) const {
    return range_of(path_, context->getStart(), context->getStop());
  }

  void error(const SourceRange& at, std::string code, std::string message, std::string hint = "") {
    diagnostics_.push_back(make_diagnostic(Severity::kError, std::move(code), std::move(message), at.begin, std::move(hint)));
    diagnostics_.back().range = at;
  }

  ast::Rule lower_rule(UprankParser::RuleDeclContext* context) {
    ast::Rule rule;
    rule.name = word(context->id);
    rule.range = range(context);
    rule.name_range = range(context->id);
    auto set_once = [&](ast::ExprPtr& slot, UprankParser::ExprContext* expr, const char* keyword,
                        antlr4::ParserRuleContext* clause) {
      if (slot) rule.repeated_clauses.emplace_back(keyword, range(clause));
      slot = lower(expr);
    };
    for (auto* clause : context->clauses) lower_clause(clause, rule, set_once);
    return rule;
  }

  template <typename SetOnce>
  void lower_clause(UprankParser::RuleClauseContext* clause, ast::Rule& rule, SetOnce& set_once) {
    if (auto* c = exactly<UprankParser::TitleClauseContext>(clause)) return set_once(rule.title, c->value, "title", c);
    if (auto* c = exactly<UprankParser::WhenClauseContext>(clause)) return set_once(rule.when, c->value, "when", c);
    if (auto* c = exactly<UprankParser::UrgencyClauseContext>(clause)) {
      return set_once(rule.urgency, c->value, "urgency", c);
    }
    if (auto* c = exactly<UprankParser::ScoreClauseContext>(clause)) return set_once(rule.score, c->value, "score", c);
    if (auto* c = exactly<UprankParser::MessageClauseContext>(clause)) {
      return set_once(rule.message, c->value, "message", c);
    }
    if (auto* c = exactly<UprankParser::TargetClauseContext>(clause)) {
      return set_once(rule.target, c->value, "target", c);
    }
    if (auto* c = exactly<UprankParser::DueClauseContext>(clause)) return set_once(rule.due, c->value, "due", c);
    if (auto* c = exactly<UprankParser::ForClauseContext>(clause)) {
      if (!rule.bindings.empty()) rule.repeated_clauses.emplace_back("for", range(c));
      rule.bindings.clear();
      for (auto* binding : c->bindings) {
        rule.bindings.push_back(ast::Binding{word(binding->variable), range(binding->variable), lower(binding->collection)});
      }
      rule.where = lower(c->filter);
      return;
    }
    if (auto* c = exactly<UprankParser::ReasonClauseContext>(clause)) {
      if (!rule.reason.empty()) rule.repeated_clauses.emplace_back("reason", range(c));
      rule.reason = word(c->category);
      rule.reason_range = range(c->category);
      return;
    }
    if (auto* c = exactly<UprankParser::EscalatesClauseContext>(clause)) {
      if (!rule.escalates.empty()) rule.repeated_clauses.emplace_back("escalates", range(c));
      rule.escalates = dotted(c->earlier);
      rule.escalates_range = range(c->earlier);
      return;
    }
    if (auto* c = exactly<UprankParser::RiskClauseContext>(clause)) {
      rule.risks.push_back(ast::Risk{word(c->kind), range(c->kind), lower(c->value)});
      return;
    }
    if (auto* c = exactly<UprankParser::ExplainClauseContext>(clause)) {
      rule.explanations.push_back(
          ast::Explanation{plain_string(c->point), token_range(c->point), lower(c->value), lower(c->why)});
    }
  }

  ast::RankPolicy lower_rank(UprankParser::RankDeclContext* context) {
    ast::RankPolicy policy;
    policy.name = word(context->id);
    policy.range = range(context);
    policy.name_range = range(context->id);
    auto set_once = [&](ast::ExprPtr& slot, UprankParser::ExprContext* expr, const char* keyword,
                        antlr4::ParserRuleContext* clause) {
      if (slot) policy.repeated_clauses.emplace_back(keyword, range(clause));
      slot = lower(expr);
    };
    for (auto* clause : context->clauses) lower_rank_clause(clause, policy, set_once);
    return policy;
  }

  template <typename SetOnce>
  void lower_rank_clause(UprankParser::RankClauseContext* clause, ast::RankPolicy& policy, SetOnce& set_once) {
    if (auto* c = exactly<UprankParser::RankTitleClauseContext>(clause)) return set_once(policy.title, c->value, "title", c);
    if (auto* c = exactly<UprankParser::RankForClauseContext>(clause)) {
      if (!policy.variable.empty()) policy.repeated_clauses.emplace_back("for", range(c));
      policy.variable = word(c->variable);
      policy.variable_range = range(c->variable);
      policy.collection = lower(c->collection);
      return;
    }
    if (auto* c = exactly<UprankParser::RankUrgencyClauseContext>(clause)) {
      return set_once(policy.urgency, c->value, "urgency", c);
    }
    if (auto* c = exactly<UprankParser::RankScoreClauseContext>(clause)) {
      set_once(policy.score, c->value, "score", c);
      policy.score_because = lower(c->why);
      return;
    }
    if (auto* c = exactly<UprankParser::RankDueClauseContext>(clause)) return set_once(policy.due, c->value, "due", c);
    if (auto* c = exactly<UprankParser::RankFactorClauseContext>(clause)) {
      policy.factors.push_back(
          ast::RankFactor{plain_string(c->point), token_range(c->point), lower(c->value), lower(c->why)});
    }
  }

  // A string where interpolation makes no sense (ids, versions, ranges): escapes are
  // decoded, braces are an error.
  std::string plain_string(antlr4::Token* token) {
    std::string storage;
    const std::string_view text = token_text(token, storage);
    std::string out;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      char ch = text[i];
      if (ch == '\\') {
        char next = text[++i];
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      } else if (ch == '{' || ch == '}') {
        SourceRange at = range_of(path_, token, token);
        at.begin.column += static_cast<int>(code_points(text.substr(0, i)));
        error(at, "uprank.bad_interpolation", "interpolation is not allowed in this string",
              std::string("write \\") + ch + " for a literal brace");
        return out;
      } else {
        out += ch;
      }
    }
    return out;
  }

  SourceRange token_range(antlr4::Token* token) const { return range_of(path_, token, token); }

  ast::ConstraintSide lower_side(UprankParser::ConstraintSideContext* context) {
    ast::ConstraintSide side;
    side.selector = plain_string(context->selector);
    side.selector_range = token_range(context->selector);
    if (auto* test = context->test) {
      ast::VersionTest version_test;
      version_test.op = word(test->op);
      version_test.text = plain_string(test->text);
      version_test.range = token_range(test->text);
      side.test = std::move(version_test);
    }
    if (auto* scheme = context->versions) {
      side.scheme = word(scheme->id);
      side.scheme_range = range(scheme->id);
    }
    return side;
  }

  ast::Constraint lower_constraint(UprankParser::ConstraintDeclContext* context) {
    ast::Constraint constraint;
    constraint.is_requires = context->kind->getType() == UprankParser::REQUIRES;
    constraint.subject = lower_side(context->subject);
    constraint.other = lower_side(context->other);
    if (auto* urgency = context->level) {
      constraint.urgency = word(urgency);
      constraint.urgency_range = range(urgency);
    }
    constraint.range = range(context);
    return constraint;
  }

  ast::AdvisoryDecl lower_advisory(UprankParser::AdvisoryDeclContext* context) {
    ast::AdvisoryDecl advisory;
    advisory.id = plain_string(context->id);
    advisory.range = token_range(context->id);
    for (auto* clause : context->clauses) {
      if (auto* c = exactly<UprankParser::AffectsClauseContext>(clause)) {
        ast::AdvisoryAffects affects;
        affects.package = plain_string(c->package);
        if (c->range != nullptr) affects.range = plain_string(c->range);
        if (c->versions != nullptr) affects.scheme = word(c->versions->id);
        affects.where = range(c);
        advisory.affects.push_back(std::move(affects));
      } else if (auto* f = exactly<UprankParser::FixedClauseContext>(clause)) {
        for (auto* text : f->texts) advisory.fixed.push_back(plain_string(text));
      } else if (auto* v = exactly<UprankParser::CvssClauseContext>(clause)) {
        advisory.cvss = plain_string(v->text);
        advisory.cvss_range = token_range(v->text);
      } else if (auto* e = exactly<UprankParser::ExploitedClauseContext>(clause)) {
        advisory.exploited = true;
        if (e->since != nullptr) advisory.exploited_since = lower_date(e->since);
      } else if (auto* p = exactly<UprankParser::PublishedClauseContext>(clause)) {
        advisory.published = lower_date(p->date);
      } else if (auto* m = exactly<UprankParser::SummaryClauseContext>(clause)) {
        advisory.summary = plain_string(m->text);
      } else if (auto* n = exactly<UprankParser::InformationalClauseContext>(clause)) {
        advisory.informational = plain_string(n->kind);
      } else if (auto* a = exactly<UprankParser::AliasesClauseContext>(clause)) {
        for (auto* text : a->texts) advisory.aliases.push_back(plain_string(text));
      } else if (auto* u = exactly<UprankParser::UrlClauseContext>(clause)) {
        advisory.url = plain_string(u->text);
      }
    }
    return advisory;
  }

  Date lower_date(antlr4::Token* token) {
    const std::string text = word(token);
    auto date = Date::parse(text);
    if (!date) error(token_range(token), "uprank.bad_date", "'" + text + "' is not a valid calendar date");
    return date.value_or(Date());
  }

  ast::Suppression lower_suppression(UprankParser::SuppressDeclContext* context) {
    ast::Suppression suppression;
    suppression.rule = dotted(context->target);
    suppression.rule_range = range(context->target);
    suppression.where = lower(context->filter);
    suppression.until = lower_date(context->until);
    suppression.until_range = token_range(context->until);
    suppression.because = plain_string(context->reason);
    suppression.range = range(context);
    return suppression;
  }

  std::vector<ast::Setting> lower_settings(const std::vector<UprankParser::SettingContext*>& contexts) {
    std::vector<ast::Setting> settings;
    for (auto* context : contexts) {
      ast::Setting setting;
      setting.field = word(context->field);
      setting.range = range(context);
      setting.is_list = context->list != nullptr;
      for (auto* literal : context->values) {
        ast::ExprPtr value = lower_literal(literal);
        if (!value) continue;
        if (auto* plain = std::get_if<ast::Literal>(&value->node)) {
          setting.values.push_back(plain->value);
        } else {
          error(range(literal), "uprank.bad_interpolation", "interpolation is not allowed in test fixtures");
        }
      }
      settings.push_back(std::move(setting));
    }
    return settings;
  }

  ast::TestCase lower_test(UprankParser::TestDeclContext* context) {
    ast::TestCase test;
    test.name = plain_string(context->title);
    test.range = range(context);
    for (auto* item : context->items) {
      if (auto* t = exactly<UprankParser::TestTodayContext>(item)) {
        test.today = lower_date(t->date);
      } else if (auto* c = exactly<UprankParser::TestComponentContext>(item)) {
        test.components.push_back(ast::TestComponent{component_ref(c->id), range(c->id), lower_settings(c->settings)});
      } else if (auto* e = exactly<UprankParser::TestEolContext>(item)) {
        test.eol_cycles.push_back(ast::TestFact{"eol", plain_string(e->product), plain_string(e->key), range(e),
                                                lower_settings(e->settings)});
      } else if (auto* r = exactly<UprankParser::TestReleaseContext>(item)) {
        test.releases.push_back(ast::TestFact{"release", plain_string(r->product), plain_string(r->key), range(r),
                                              lower_settings(r->settings)});
      } else if (auto* k = exactly<UprankParser::TestRecordContext>(item)) {
        std::string kind = word(k->kind);
        if (kind != "epss" && kind != "kev") {
          error(token_range(k->kind), "uprank.syntax", "unknown test fixture '" + kind + "'",
                "fixtures: component, eol, release, advisory, epss, kev, param, today, expect");
        }
        test.records.push_back(ast::TestFact{kind, plain_string(k->key), "", range(k), lower_settings(k->settings)});
      } else if (auto* a = exactly<UprankParser::TestAdvisoryContext>(item)) {
        test.advisories.push_back(lower_advisory(a->advisory));
      } else if (auto* p = exactly<UprankParser::TestParamContext>(item)) {
        test.params.push_back(ast::TestParam{word(p->id), range(p->id), lower(p->value)});
      } else if (auto* x = exactly<UprankParser::TestExpectContext>(item)) {
        test.expects.push_back(lower_expect(x));
      } else if (auto* ranked = exactly<UprankParser::TestExpectRankContext>(item)) {
        test.expects.push_back(lower_rank_expect(ranked));
      } else if (auto* o = exactly<UprankParser::TestExpectOrderContext>(item)) {
        test.expects.push_back(lower_order_expect(o));
      }
    }
    return test;
  }

  std::string component_ref(UprankParser::ComponentRefContext* context) {
    return context->text != nullptr ? plain_string(context->text) : word(context->id);
  }

  ast::TestExpect lower_expect(UprankParser::TestExpectContext* context) {
    ast::TestExpect expect;
    expect.negated = context->negated != nullptr;
    expect.rule = dotted(context->expected);
    expect.rule_range = range(context->expected);
    lower_components(context->components, expect);
    lower_expectations(context->expectations, expect);
    expect.range = range(context);
    return expect;
  }

  ast::TestExpect lower_rank_expect(UprankParser::TestExpectRankContext* context) {
    ast::TestExpect expect;
    expect.subject = ast::TestExpect::Subject::kRank;
    expect.negated = context->negated != nullptr;
    lower_components(context->components, expect);
    lower_expectations(context->expectations, expect);
    expect.range = range(context);
    return expect;
  }

  ast::TestExpect lower_order_expect(UprankParser::TestExpectOrderContext* context) {
    ast::TestExpect expect;
    expect.subject = ast::TestExpect::Subject::kOrder;
    if (word(context->order) != "order") {
      error(token_range(context->order), "uprank.syntax", "unexpected '" + word(context->order) + "'",
            "write 'expect rank on COMPONENT ...' or 'expect rank order A, B, ...'");
    }
    lower_components(context->components, expect);
    expect.range = range(context);
    return expect;
  }

  void lower_components(const std::vector<UprankParser::ComponentRefContext*>& references, ast::TestExpect& expect) {
    for (auto* reference : references) {
      expect.components.push_back(component_ref(reference));
      expect.component_ranges.push_back(range(reference));
    }
  }

  void lower_expectations(const std::vector<UprankParser::ExpectationContext*>& expectations, ast::TestExpect& expect) {
    for (auto* expectation : expectations) {
      ast::Expectation item;
      item.kind = word(expectation->kind);
      item.range = range(expectation);
      if (expectation->value != nullptr) item.text = word(expectation->value);
      if (expectation->text != nullptr) item.text = plain_string(expectation->text);
      if (expectation->point != nullptr) item.point = plain_string(expectation->point);
      if (expectation->why != nullptr) item.because = plain_string(expectation->why);
      if (expectation->date != nullptr) item.date = lower_date(expectation->date);
      if (item.kind == "due" && expectation->value != nullptr && item.text != "none") {
        error(range(expectation->value), "uprank.syntax", "unexpected '" + item.text + "'",
              "write 'due YYYY-MM-DD', or 'due none' for no due date");
      }
      if (expectation->number != nullptr) {
        item.number = std::strtod(word(expectation->number).c_str(), nullptr);
        if (expectation->negative != nullptr) item.number = -item.number;
      }
      expect.expectations.push_back(std::move(item));
    }
  }

  template <typename Node>
  ast::ExprPtr make(antlr4::ParserRuleContext* context, Node node) {
    auto expr = std::make_unique<ast::Expr>();
    expr->range = range(context);
    expr->node = std::move(node);
    return expr;
  }

  ast::ExprPtr lower(UprankParser::ExprContext* context) {
    if (context == nullptr) return nullptr;  // after a syntax error the tree may have holes
    if (++depth_ > options_.max_nesting * 4) {
      --depth_;
      if (!depth_reported_) {
        error(range(context), "uprank.too_deep", "expression nested too deeply");
        depth_reported_ = true;
      }
      return nullptr;
    }
    ast::ExprPtr result = lower_expr(context);
    --depth_;
    return result;
  }

  ast::ExprPtr lower_expr(UprankParser::ExprContext* context) {
    if (auto* c = exactly<UprankParser::PrimaryExprContext>(context)) return lower_primary(c->atom);
    if (auto* c = exactly<UprankParser::FieldExprContext>(context)) {
      return make(c, ast::Field{lower(c->object), word(c->field), range(c->field)});
    }
    if (auto* c = exactly<UprankParser::MethodExprContext>(context)) {
      return make(c, ast::Call{lower(c->object), word(c->method), range(c->method), lower_arguments(c->args)});
    }
    if (auto* c = exactly<UprankParser::IndexExprContext>(context)) {
      return make(c, ast::Index{lower(c->object), lower(c->index)});
    }
    if (auto* c = exactly<UprankParser::UnaryExprContext>(context)) {
      auto op = c->op->getType() == UprankParser::NOT ? ast::UnaryOp::kNot : ast::UnaryOp::kNegate;
      return make(c, ast::Unary{op, lower(c->operand)});
    }
    if (auto* c = exactly<UprankParser::BinaryExprContext>(context)) {
      return make(c, ast::Binary{binary_op(c->op->getType()), lower(c->left), lower(c->right)});
    }
    if (auto* c = exactly<UprankParser::MembershipExprContext>(context)) {
      auto op = c->negated != nullptr ? ast::BinaryOp::kNotIn : ast::BinaryOp::kIn;
      return make(c, ast::Binary{op, lower(c->left), lower(c->right)});
    }
    if (auto* c = exactly<UprankParser::ConditionalExprContext>(context)) {
      return make(c, ast::Conditional{lower(c->condition), lower(c->then_value), lower(c->else_value)});
    }
    return nullptr;
  }

  static ast::BinaryOp binary_op(size_t token) {
    switch (token) {
      case UprankParser::STAR: return ast::BinaryOp::kMultiply;
      case UprankParser::SLASH: return ast::BinaryOp::kDivide;
      case UprankParser::PERCENT: return ast::BinaryOp::kModulo;
      case UprankParser::PLUS: return ast::BinaryOp::kAdd;
      case UprankParser::MINUS: return ast::BinaryOp::kSubtract;
      case UprankParser::LT: return ast::BinaryOp::kLess;
      case UprankParser::LE: return ast::BinaryOp::kLessEqual;
      case UprankParser::GT: return ast::BinaryOp::kGreater;
      case UprankParser::GE: return ast::BinaryOp::kGreaterEqual;
      case UprankParser::EQ: return ast::BinaryOp::kEqual;
      case UprankParser::NE: return ast::BinaryOp::kNotEqual;
      case UprankParser::MATCH: return ast::BinaryOp::kMatch;
      case UprankParser::NOT_MATCH: return ast::BinaryOp::kNotMatch;
      case UprankParser::AND: return ast::BinaryOp::kAnd;
      default: return ast::BinaryOp::kOr;
    }
  }

  std::vector<ast::Argument> lower_arguments(UprankParser::ArgumentsContext* context) {
    std::vector<ast::Argument> arguments;
    if (context == nullptr) return arguments;
    for (auto* argument : context->items) {
      arguments.push_back(ast::Argument{argument->label != nullptr ? word(argument->label) : "", lower(argument->value)});
    }
    return arguments;
  }

  ast::ExprPtr lower_primary(UprankParser::PrimaryContext* context) {
    if (auto* c = exactly<UprankParser::LiteralPrimaryContext>(context)) return lower_literal(c->value);
    if (auto* c = exactly<UprankParser::NamePrimaryContext>(context)) return make(c, ast::Name{word(c->identifier)});
    if (auto* c = exactly<UprankParser::TodayPrimaryContext>(context)) return make(c, ast::Name{"today"});
    if (auto* c = exactly<UprankParser::AggregatePrimaryContext>(context)) {
      const std::string function = word(c->function);
      ast::QuantifierKind kind = function == "max"   ? ast::QuantifierKind::kMax
                                 : function == "min" ? ast::QuantifierKind::kMin
                                                     : ast::QuantifierKind::kSum;
      if (function != "max" && function != "min" && function != "sum") {
        error(range(c->function), "uprank.unknown_function",
              "'" + function + "(... for x in ...)' is not an aggregate", "aggregates are max, min and sum");
      }
      return make(c, ast::Quantifier{kind, word(c->variable), range(c->variable), lower(c->collection), lower(c->filter),
                                     lower(c->value)});
    }
    if (auto* c = exactly<UprankParser::CallPrimaryContext>(context)) {
      return make(c, ast::Call{nullptr, word(c->function), range(c->function), lower_arguments(c->args)});
    }
    if (auto* c = exactly<UprankParser::ParenPrimaryContext>(context)) {
      ast::ExprPtr inner = lower(c->inner);
      if (inner) inner->range = range(c);
      return inner;
    }
    if (auto* c = exactly<UprankParser::ListPrimaryContext>(context)) {
      ast::ListLiteral list;
      for (auto* item : c->items) list.items.push_back(lower(item));
      return make(c, std::move(list));
    }
    if (auto* c = exactly<UprankParser::QuantifierPrimaryContext>(context)) {
      ast::QuantifierKind kind = c->quantifier->getType() == UprankParser::ANY   ? ast::QuantifierKind::kAny
                                 : c->quantifier->getType() == UprankParser::ALL ? ast::QuantifierKind::kAll
                                                                                 : ast::QuantifierKind::kCount;
      return make(c, ast::Quantifier{kind, word(c->variable), range(c->variable), lower(c->collection),
                                     lower(c->filter), nullptr});
    }
    return nullptr;
  }

  ast::ExprPtr lower_literal(UprankParser::LiteralContext* context) {
    antlr4::Token* token = context->getStart();
    std::string storage;
    const std::string text(token->getType() == UprankParser::STRING ? "" : token_text(token, storage));
    switch (token->getType()) {
      case UprankParser::TRUE: return make(context, ast::Literal{true});
      case UprankParser::FALSE: return make(context, ast::Literal{false});
      case UprankParser::NUMBER: {
        double value = std::strtod(text.c_str(), nullptr);
        if (value > 1e15) error(range(context), "uprank.number_range", "number '" + text + "' is too large");
        return make(context, ast::Literal{value});
      }
      case UprankParser::DURATION: {
        char unit = text.back();
        long long amount = text.size() > 10 ? -1 : std::stoll(text.substr(0, text.size() - 1));
        if (amount < 0 || amount > 100000) {
          error(range(context), "uprank.number_range", "duration '" + text + "' is out of range (at most 100000d)");
          amount = 0;
        }
        return make(context, ast::Literal{ast::Duration{static_cast<int>(amount) * (unit == 'w' ? 7 : 1)}});
      }
      case UprankParser::DATE: {
        auto date = Date::parse(text);
        if (!date) error(range(context), "uprank.bad_date", "'" + text + "' is not a valid calendar date");
        return make(context, ast::Literal{date.value_or(Date())});
      }
      case UprankParser::REGEX: {
        size_t close = text.rfind('/');
        return make(context, ast::Literal{ast::Regex{text.substr(1, close - 1), text.substr(close + 1)}});
      }
      default:
        return lower_string(context, token);
    }
  }

  // Decodes escapes and splits "{expr}" interpolations, parsing each as an expression
  // whose positions are shifted to where it sits inside the string.
  ast::ExprPtr lower_string(UprankParser::LiteralContext* context, antlr4::Token* token) {
    std::string storage;
    const std::string_view text = token_text(token, storage);
    const int line = static_cast<int>(token->getLine());
    // The column of byte `i` of the literal (columns count code points).
    auto column_at = [&](size_t i) {
      return static_cast<int>(token->getCharPositionInLine()) + 1 + static_cast<int>(code_points(text.substr(0, i)));
    };
    ast::Interpolation parts;
    parts.texts.emplace_back();
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      char ch = text[i];
      if (ch == '\\') {
        char next = text[++i];
        switch (next) {
          case 'n': parts.texts.back() += '\n'; break;
          case 't': parts.texts.back() += '\t'; break;
          case '"': case '\\': case '{': case '}': parts.texts.back() += next; break;
          default: {
            SourceRange at{{path_, line, column_at(i - 1)}, line, column_at(i)};
            error(at, "uprank.bad_escape", std::string("unknown escape '\\") + next + "'",
                  "use \\n, \\t, \\\", \\\\, \\{ or \\}");
          }
        }
      } else if (ch == '{') {
        size_t close = text.find('}', i);
        if (close == std::string::npos || close + 1 >= text.size() + 1 || close >= text.size() - 1) {
          SourceRange at{{path_, line, column_at(i)}, line, column_at(i)};
          error(at, "uprank.bad_interpolation", "'{' opens an interpolation that is never closed",
                "write \\{ for a literal brace");
          break;
        }
        const std::string inner(text.substr(i + 1, close - i - 1));
        const int inner_column = column_at(i + 1);
        ast::ExprPtr value = lower_simple_path(inner, line, inner_column);
        if (!value) value = parse_embedded(inner, line, inner_column);
        if (!value) return nullptr;
        parts.values.push_back(std::move(value));
        parts.texts.emplace_back();
        i = close;
      } else if (ch == '}') {
        SourceRange at{{path_, line, column_at(i)}, line, column_at(i)};
        error(at, "uprank.bad_interpolation", "'}' without a matching '{'", "write \\} for a literal brace");
      } else {
        parts.texts.back() += ch;
      }
    }
    if (parts.values.empty()) return make(context, ast::Literal{std::move(parts.texts.front())});
    return make(context, std::move(parts));
  }

  ast::ExprPtr parse_embedded(const std::string& source, int line, int column);

  // Lowers the common interpolation `{name.field.field}` directly, without starting a
  // lexer and parser for it. Returns null for anything else (including a leading
  // keyword), which then takes the full path.
  ast::ExprPtr lower_simple_path(const std::string& source, int line, int column) {
    auto identifier_at = [&](size_t from) {
      size_t end = from;
      if (end < source.size() && (std::isalpha(static_cast<unsigned char>(source[end])) || source[end] == '_')) {
        ++end;
        while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_')) ++end;
      }
      return end;
    };
    static const std::set<std::string> keywords = {
        "package", "import", "as", "param", "def", "rule", "title", "for", "in", "where", "when", "urgency",
        "score", "reason", "message", "target", "risk", "explain", "and", "or", "not", "if", "then", "else",
        "any", "all", "count", "true", "false", "requires", "conflicts", "with", "advisory", "affects", "fixed",
        "cvss", "exploited", "since", "published", "summary", "informational", "aliases", "url", "suppress", "until", "because",
        "test", "component", "eol", "release", "expect", "no", "on"};
    size_t end = identifier_at(0);
    if (end == 0) return nullptr;
    std::string first = source.substr(0, end);
    if (first != "today" && keywords.count(first)) return nullptr;
    auto range_to = [&](size_t from, size_t to) {
      return SourceRange{{path_, line, column + static_cast<int>(from)}, line, column + static_cast<int>(to) - 1};
    };
    auto expr = std::make_unique<ast::Expr>();
    expr->range = range_to(0, end);
    expr->node = ast::Name{first};
    while (end < source.size()) {
      if (source[end] != '.') return nullptr;
      size_t field_end = identifier_at(end + 1);
      if (field_end == end + 1) return nullptr;
      auto field = std::make_unique<ast::Expr>();
      field->range = range_to(0, field_end);
      field->node = ast::Field{std::move(expr), source.substr(end + 1, field_end - end - 1), range_to(end + 1, field_end)};
      expr = std::move(field);
      end = field_end;
    }
    return expr;
  }

  const std::string& path_;
  std::vector<Diagnostic>& diagnostics_;
  const ParseOptions& options_;
  int depth_ = 0;
  bool depth_reported_ = false;
};

// Checks nesting on the token stream before parsing, so that no input can drive the
// recursive-descent parser deeper than the limit allows.
bool check_nesting(const std::vector<LexedToken>& tokens, std::string_view text, const std::string& path,
                   const ParseOptions& options, std::vector<Diagnostic>& diagnostics) {
  int depth = 0;
  int prefix_run = 0;
  int conditionals = 0;
  for (const LexedToken& token : tokens) {
    if (token.hidden) continue;
    switch (token.type) {
      case UprankParser::LPAREN: case UprankParser::LBRACK: case UprankParser::LBRACE: ++depth; break;
      case UprankParser::RPAREN: case UprankParser::RBRACK: case UprankParser::RBRACE: --depth; break;
      case UprankParser::IF: ++conditionals; break;
      default: break;
    }
    bool prefix = token.type == UprankParser::NOT || token.type == UprankParser::MINUS;
    prefix_run = prefix ? prefix_run + 1 : 0;
    bool declaration_start =
        token.type == UprankParser::RULE || token.type == UprankParser::PARAM || token.type == UprankParser::DEF;
    if (declaration_start && depth <= 0) conditionals = 0;
    if (depth > options.max_nesting || prefix_run > options.max_nesting || conditionals > options.max_nesting * 4) {
      diagnostics.push_back(Diagnostic{Severity::kError, "uprank.too_deep",
                                       "nesting deeper than " + std::to_string(options.max_nesting) + " levels",
                                       range_of(path, token, text), "split the expression with a def or a param"});
      return false;
    }
  }
  return true;
}

void report_lexical_errors(const std::vector<LexedToken>& tokens, std::string_view text, const std::string& path,
                           std::vector<Diagnostic>& diagnostics) {
  for (const LexedToken& token : tokens) {
    if (token.type != UprankParser::UNKNOWN_CHAR && token.type != UprankParser::UNTERMINATED_REGEX) continue;
    std::string_view character = text.substr(token.begin, token.end - token.begin);
    Diagnostic diagnostic{Severity::kError, "uprank.syntax", "", range_of(path, token, text), ""};
    if (token.type == UprankParser::UNTERMINATED_REGEX) {
      diagnostic.message = "unterminated regex";
      diagnostic.hint = "a regex ends with '/' on the line it starts; write \\/ for a slash inside";
    } else if (character == "\"") {
      diagnostic.message = "unterminated string";
      diagnostic.hint = "strings end on the line they start; escape quotes inside as \\\"";
    } else {
      diagnostic.message = "unexpected character '" + std::string(character) + "'";
    }
    diagnostics.push_back(std::move(diagnostic));
  }
}

// Parses `text` with the rule `entry`, trying fast SLL prediction first and falling back to
// full LL with error reporting only when SLL fails (the usual ANTLR two-stage strategy).
template <typename Context>
void parse_with(const std::string& text, const std::string& path, const ParseOptions& options,
                std::vector<Diagnostic>& diagnostics, Context* (UprankParser::*entry)(),
                const std::function<void(Context*)>& use) {
  LexedTokenSource source(text);
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  size_t errors_before = diagnostics.size();
  report_lexical_errors(source.tokens(), text, path, diagnostics);
  if (!check_nesting(source.tokens(), text, path, options, diagnostics)) return;

  UprankParser parser(&tokens);
  parser.setBuildParseTree(false);  // the lowering reads labels only
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  Context* tree = nullptr;
  try {
    tree = (parser.*entry)();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  if (tree == nullptr) {
    tokens.seek(0);
    parser.reset();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    std::vector<Diagnostic> parse_errors;
    DiagnosticListener listener(path, parse_errors, options.max_errors);
    parser.addErrorListener(&listener);
    tree = (parser.*entry)();
    // A lexical error already explains the parse error at the same spot.
    for (auto& diagnostic : parse_errors) {
      bool explained = std::any_of(diagnostics.begin() + static_cast<std::ptrdiff_t>(errors_before), diagnostics.end(),
                                   [&](const Diagnostic& d) { return d.range.begin == diagnostic.range.begin; });
      if (!explained) diagnostics.push_back(std::move(diagnostic));
    }
    if (listener.count() > options.max_errors) {
      diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.too_many_errors",
                                            "stopped after " + std::to_string(options.max_errors) + " syntax errors",
                                            SourceLocation{path, 0, 0}));
    }
    if (has_errors(diagnostics)) return;  // do not lower a tree with holes into the AST
  }
  if (has_errors(diagnostics)) return;
  use(tree);
}

ast::ExprPtr Lowering::parse_embedded(const std::string& source, int line, int column) {
  std::vector<Diagnostic> inner;
  ast::ExprPtr result;
  std::string inner_path = path_;
  parse_with<UprankParser::StandaloneExprContext>(
      source, inner_path, options_, inner, &UprankParser::standaloneExpr,
      [&](UprankParser::StandaloneExprContext* tree) {
        Lowering nested(inner_path, inner, options_);
        result = nested.lower_standalone(tree);
      });
  // Shift positions from the embedded text to the file (strings never span lines).
  auto shift = [&](SourceRange& range) {
    range.begin.column += column - 1;
    range.begin.line = line;
    range.end_column += column - 1;
    range.end_line = line;
  };
  std::function<void(ast::Expr&)> shift_tree = [&](ast::Expr& expr) {
    shift(expr.range);
    std::visit(
        [&](auto& node) {
          using Node = std::decay_t<decltype(node)>;
          auto visit = [&](ast::ExprPtr& child) {
            if (child) shift_tree(*child);
          };
          if constexpr (std::is_same_v<Node, ast::Field>) {
            visit(node.object);
            shift(node.field_range);
          } else if constexpr (std::is_same_v<Node, ast::Call>) {
            visit(node.receiver);
            shift(node.function_range);
            for (auto& argument : node.arguments) visit(argument.value);
          } else if constexpr (std::is_same_v<Node, ast::Index>) {
            visit(node.object);
            visit(node.index);
          } else if constexpr (std::is_same_v<Node, ast::Unary>) {
            visit(node.operand);
          } else if constexpr (std::is_same_v<Node, ast::Binary>) {
            visit(node.left);
            visit(node.right);
          } else if constexpr (std::is_same_v<Node, ast::Conditional>) {
            visit(node.condition);
            visit(node.then_value);
            visit(node.else_value);
          } else if constexpr (std::is_same_v<Node, ast::ListLiteral>) {
            for (auto& item : node.items) visit(item);
          } else if constexpr (std::is_same_v<Node, ast::Quantifier>) {
            shift(node.variable_range);
            visit(node.collection);
            visit(node.condition);
            visit(node.value);
          } else if constexpr (std::is_same_v<Node, ast::Interpolation>) {
            for (auto& value : node.values) visit(value);
          }
        },
        expr.node);
  };
  for (auto& diagnostic : inner) {
    shift(diagnostic.range);
    diagnostics_.push_back(std::move(diagnostic));
  }
  if (result) shift_tree(*result);
  return result;
}

}  // namespace

ParseResult parse_file(std::string_view text, const std::string& path, const ParseOptions& options) {
  ParseResult result;
  result.file.path = path;
  if (text.size() > options.max_file_bytes) {
    result.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.file_too_large",
                                            "rule file is larger than " + std::to_string(options.max_file_bytes) + " bytes", SourceLocation{path, 0, 0}));
    return result;
  }
  if (std::optional<Diagnostic> bad = check_utf8(text, path)) {
    result.diagnostics.push_back(std::move(*bad));
    return result;
  }
  internal::run_with_large_stack([&] {
    try {
      parse_with<UprankParser::FileContext>(std::string(text), path, options, result.diagnostics, &UprankParser::file,
                                            [&](UprankParser::FileContext* tree) {
                                              Lowering lowering(path, result.diagnostics, options);
                                              result.file = lowering.lower_file(tree);
                                            });
    } catch (const std::exception& e) {  // ANTLR must never throw past this library
      result.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.internal",
                                              std::string("parser failure: ") + e.what(), SourceLocation{path, 0, 0}));
    }
  });
  sort_diagnostics(result.diagnostics);
  return result;
}

std::vector<ParseResult> parse_files(const std::vector<SourceFile>& sources, const ParseOptions& options) {
  std::vector<ParseResult> results(sources.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < sources.size(); i = next++) results[i] = parse_file(sources[i].text, sources[i].path, options);
  };
  unsigned threads = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()),
                                        static_cast<unsigned>(std::max<size_t>(sources.size(), 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  return results;
}

std::vector<std::string> find_rule_files(const std::vector<std::string>& paths, std::vector<Diagnostic>& diagnostics) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error) && it->path().extension() == ".upr") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (path == "-" || fs::exists(path, error)) {
      files.push_back(path);
    } else {
      diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.rules_not_found", "no such rule file or directory",
                                            SourceLocation{path, 0, 0}));
    }
  }
  return files;
}

LoadResult load_rule_files(const std::vector<std::string>& paths, const ParseOptions& options) {
  std::vector<RuleRoot> roots;
  for (const std::string& path : paths) roots.push_back(RuleRoot{path, ""});
  return load_rule_roots(roots, options);
}

namespace {

// Returns the name outputs give `file`, found below (or at) `root`.
std::string shown_name(const RuleRoot& root, const std::string& file) {
  namespace fs = std::filesystem;
  if (root.shown_as.empty()) return file;
  if (file == root.path) return root.shown_as;
  fs::path below = fs::path(file).lexically_relative(root.path);
  return (fs::path(root.shown_as) / below).lexically_normal().generic_string();
}

}  // namespace

LoadResult load_rule_roots(const std::vector<RuleRoot>& roots, const ParseOptions& options) {
  LoadResult result;
  for (const RuleRoot& root : roots) {
    for (const std::string& path : find_rule_files({root.path}, result.diagnostics)) {
      std::string shown = shown_name(root, path);
      // Bounded while read: a rule file larger than the limit is refused before it is parsed.
      auto text = files::read_regular_file(path, options.max_file_bytes);
      if (!text.ok()) {
        const bool too_large = text.error().code == "uprank.file.too_large";
        result.diagnostics.push_back(make_diagnostic(Severity::kError, too_large ? "uprank.file_too_large" : "uprank.rules_unreadable",
                                                     "rule file " + text.error().message, SourceLocation{shown, 0, 0}));
        continue;
      }
      result.sources.push_back(SourceFile{shown, std::move(*text)});
    }
  }
  for (ParseResult& parsed : parse_files(result.sources, options)) {
    result.files.push_back(std::move(parsed.file));
    for (auto& diagnostic : parsed.diagnostics) result.diagnostics.push_back(std::move(diagnostic));
  }
  return result;
}

}  // namespace uprank::grammar
