// The rule language's syntax tree: what the parser recognised, with source ranges.
// Names and types are not resolved here; the compiler's passes do that.
#pragma once

#include <memory>
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
enum class QuantifierKind { kAny, kAll, kCount };
struct Quantifier {
  QuantifierKind kind;
  std::string variable;
  SourceRange variable_range;
  ExprPtr collection;
  ExprPtr condition;  // null: every item counts
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
  std::vector<Risk> risks;
  // Clause keywords seen twice, reported by the compiler rather than the parser.
  std::vector<std::pair<std::string, SourceRange>> repeated_clauses;
};

struct Param {
  std::string name;
  SourceRange range;
  ExprPtr default_value;
};

struct Function {
  std::string name;
  SourceRange range;
  std::vector<std::string> parameters;
  std::vector<SourceRange> parameter_ranges;
  ExprPtr body;
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
};

}  // namespace uprank::ast
