// The rule language's syntax tree: what the parser recognised, with source ranges.
// Names and types are not resolved here; the compiler's passes do that.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/source_location.h"

namespace uprank::ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Duration {
  int days = 0;
};
struct Regex {
  std::string pattern;
  std::string flags;  // subset of "ims"
};
using LiteralValue = std::variant<bool, double, std::string, Date, Duration, Regex>;

struct Literal {
  LiteralValue value;
};
struct Name {
  std::string identifier;
};
struct Field {
  ExprPtr object;
  std::string field;
  SourceRange field_range;
};
struct Argument {
  std::string label;  // "" for positional arguments
  ExprPtr value;
};
// A call of a function (`days(x)`) or a method (`c.releases(after: v)`): `receiver` is
// null for plain functions.
struct Call {
  ExprPtr receiver;
  std::string function;
  SourceRange function_range;
  std::vector<Argument> arguments;
};
struct Index {
  ExprPtr object;
  ExprPtr index;
};
enum class UnaryOp { kNegate, kNot };
struct Unary {
  UnaryOp op;
  ExprPtr operand;
};
enum class BinaryOp {
  kMultiply, kDivide, kModulo, kAdd, kSubtract,
  kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual,
  kIn, kNotIn, kMatch, kNotMatch, kAnd, kOr
};
struct Binary {
  BinaryOp op;
  ExprPtr left;
  ExprPtr right;
};
struct Conditional {
  ExprPtr condition;
  ExprPtr then_value;
  ExprPtr else_value;
};
struct ListLiteral {
  std::vector<ExprPtr> items;
};
// any/all/count(x in list where cond), and aggregates max/min/sum(value for x in list
// where cond), which carry `value`.
enum class QuantifierKind { kAny, kAll, kCount, kMax, kMin, kSum };
struct Quantifier {
  QuantifierKind kind;
  std::string variable;
  SourceRange variable_range;
  ExprPtr collection;
  ExprPtr condition;  // null: every item counts
  ExprPtr value;      // aggregates only
};
// "text {expr} more": literal parts and embedded expressions, in order.
struct Interpolation {
  std::vector<std::string> texts;  // texts.size() == values.size() + 1
  std::vector<ExprPtr> values;
};

struct Expr {
  SourceRange range;
  std::variant<Literal, Name, Field, Call, Index, Unary, Binary, Conditional, ListLiteral, Quantifier,
               Interpolation>
      node;
};

struct Binding {
  std::string variable;
  SourceRange range;
  ExprPtr source;  // `components`, `components("kubelet")`, ...
};

struct Risk {
  std::string kind;  // "rollback", ...
  SourceRange range;
  ExprPtr message;
};

// `explain "Exploitation" value because why`: one step of a finding's decision path.
struct Explanation {
  std::string point;  // "Exploitation", "Technical Impact", ...
  SourceRange range;  // the point's name
  ExprPtr value;
  ExprPtr because;    // may be null
};

// One clause-bearing declaration: `rule NAME { ... }`. Absent clauses are null.
struct Rule {
  std::string name;
  SourceRange range;
  SourceRange name_range;
  ExprPtr title;
  std::vector<Binding> bindings;
  ExprPtr where;
  ExprPtr when;
  ExprPtr urgency;
  ExprPtr score;
  std::string reason;
  SourceRange reason_range;
  ExprPtr message;
  ExprPtr target;
  ExprPtr due;  // a date: when the finding must be fixed by
  // `escalates RULE`: this rule's finding is the same finding as RULE's, grown more urgent
  // (support ends soon -> past end of life); "" when none.
  std::string escalates;
  SourceRange escalates_range;
  std::vector<Risk> risks;
  std::vector<Explanation> explanations;  // in clause order
  // Clause keywords seen twice, reported by the compiler rather than the parser.
  std::vector<std::pair<std::string, SourceRange>> repeated_clauses;
};

// `factor "Criticality" points because why`: one named term the rank policy adds to a
// component's score.
struct RankFactor {
  std::string name;   // "Criticality"
  SourceRange range;  // the name
  ExprPtr points;
  ExprPtr because;    // may be null
};

// `rank NAME { for c in components  urgency E  score E [because E]  due E  factor ... }`:
// how a component's findings and context combine into its urgency. Absent clauses are null.
struct RankPolicy {
  std::string name;
  SourceRange range;
  SourceRange name_range;
  ExprPtr title;
  std::string variable;  // "" when there is no `for` clause
  SourceRange variable_range;
  ExprPtr collection;    // must be `components`
  ExprPtr urgency;
  ExprPtr score;
  ExprPtr score_because;
  ExprPtr due;
  std::vector<RankFactor> factors;  // in clause order
  std::vector<std::pair<std::string, SourceRange>> repeated_clauses;
};

struct Param {
  std::string name;
  SourceRange range;
  ExprPtr default_value;
  // `param NAME = "" (generic)`: the version scheme its value must be a version of ("" for
  // none); the value stays a string, so that "" can mean "not given".
  std::string version_scheme;
  SourceRange version_scheme_range;
};

struct Function {
  std::string name;
  SourceRange range;
  std::vector<std::string> parameters;
  std::vector<SourceRange> parameter_ranges;
  ExprPtr body;
};

// One side of a constraint: a product or component name, optionally a version test.
struct VersionTest {
  std::string op;  // "<", "<=", ">", ">=", "==", "!=" or "in" (a range)
  std::string text;
  SourceRange range;
};
struct ConstraintSide {
  std::string selector;  // product or component name
  SourceRange selector_range;
  std::optional<VersionTest> test;
  std::string scheme;    // "" = the component's own scheme
  SourceRange scheme_range;
};
// `requires A => B`: whenever A holds, the related B must hold.
// `conflicts A with B`: A and a related B must not hold together.
struct Constraint {
  bool is_requires = true;
  ConstraintSide subject;
  ConstraintSide other;
  std::string urgency;  // "" = high
  SourceRange urgency_range;
  SourceRange range;
};

struct AdvisoryAffects {
  std::string package;  // product or component name
  std::string range;    // "" = every version
  std::string scheme;   // "" = the component's own scheme
  SourceRange where;
};
struct AdvisoryDecl {
  std::string id;
  SourceRange range;
  std::vector<AdvisoryAffects> affects;
  std::vector<std::string> fixed;
  std::string cvss;
  SourceRange cvss_range;
  bool exploited = false;
  std::optional<Date> exploited_since;
  std::optional<Date> published;
  std::string summary;
  std::string informational;  // `informational "unmaintained"`: a notice, not a vulnerability
  std::vector<std::string> aliases;
  std::string url;
};

struct Suppression {
  std::string rule;  // plain or qualified rule name
  SourceRange rule_range;
  ExprPtr where;     // null: every finding of the rule
  Date until;
  SourceRange until_range;
  std::string because;
  SourceRange range;
};

// `field value` or `field [v1, v2]` inside test fixtures.
struct Setting {
  std::string field;
  SourceRange range;
  std::vector<LiteralValue> values;
  bool is_list = false;
};
struct TestComponent {
  std::string name;
  SourceRange range;
  std::vector<Setting> settings;
};
// `eol PRODUCT CYCLE { ... }`, `release PRODUCT VERSION { ... }`, or a record keyed by one
// id such as `epss "CVE-…" { ... }` / `kev "CVE-…" { ... }` (then `key` is empty).
struct TestFact {
  std::string kind;  // "eol", "release", "epss", "kev"
  std::string product;
  std::string key;
  SourceRange range;
  std::vector<Setting> settings;
};
struct Expectation {
  std::string kind;  // "urgency", "score", "reason", "message", "target", "explain", "due", "factor"
  std::string text;                    // due: "none" when no date is expected
  std::optional<Date> date;            // due: the expected date
  std::string point;                   // explain: the decision point; factor: its name
  std::optional<std::string> because;  // explain: the expected reason, when given
  double number = 0;
  SourceRange range;
};
// `expect RULE on C ...` checks a finding; `expect rank on C ...` the rank policy's result
// for C; `expect rank order A, B, C` that A ranks before B before C.
struct TestExpect {
  enum class Subject { kRule, kRank, kOrder };
  Subject subject = Subject::kRule;
  bool negated = false;
  std::string rule;  // kRule only
  SourceRange rule_range;
  std::vector<std::string> components;
  std::vector<SourceRange> component_ranges;
  std::vector<Expectation> expectations;
  SourceRange range;
};
struct TestParam {
  std::string name;
  SourceRange range;
  ExprPtr value;
};
struct TestCase {
  std::string name;
  SourceRange range;
  std::optional<Date> today;
  std::vector<TestComponent> components;
  std::vector<TestFact> eol_cycles;
  std::vector<TestFact> releases;
  std::vector<AdvisoryDecl> advisories;
  std::vector<TestFact> records;  // epss, kev
  std::vector<TestParam> params;
  std::vector<TestExpect> expects;
};

struct Import {
  std::string package;
  std::string alias;
  SourceRange range;
};

struct File {
  std::string path;
  std::string package;  // "" when the file declares none
  SourceRange package_range;
  std::vector<Import> imports;
  std::vector<Param> params;
  std::vector<Function> functions;
  std::vector<Rule> rules;
  std::vector<RankPolicy> rank_policies;
  std::vector<Constraint> constraints;
  std::vector<AdvisoryDecl> advisories;
  std::vector<Suppression> suppressions;
  std::vector<TestCase> tests;
};

}  // namespace uprank::ast
