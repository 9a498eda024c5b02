// Prints syntax trees without positions (see syntax_text.h).
#include "grammar/syntax_text.h"

#include <cstdio>
#include <initializer_list>
#include <type_traits>
#include <variant>

namespace uprank::grammar {
namespace {

// Quotes text so that every byte is visible and distinct texts print distinctly.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char ch : text) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20 || ch >= 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", ch);
      out += escaped;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string literal(const ast::LiteralValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          return number(v);
        } else if constexpr (std::is_same_v<V, std::string>) {
          return quoted(v);
        } else if constexpr (std::is_same_v<V, Date>) {
          return "date:" + v.to_string();
        } else if constexpr (std::is_same_v<V, ast::Duration>) {
          return "duration:" + std::to_string(v.days) + "d";
        } else {
          return "regex:" + quoted(v.pattern) + "/" + v.flags;
        }
      },
      value);
}

// Enumerators print by number past the names known here, so the language can grow
// operators and quantifiers without breaking this printer.
std::string enum_name(int value, std::initializer_list<const char*> names) {
  if (value >= 0 && static_cast<size_t>(value) < names.size()) return names.begin()[value];
  std::string unknown = "#";
  unknown += std::to_string(value);
  return unknown;
}

std::string binary_name(ast::BinaryOp op) {
  return enum_name(static_cast<int>(op),
                   {"*", "/", "%", "+", "-", "<", "<=", ">", ">=", "==", "!=", "in", "not in", "~", "!~", "and", "or"});
}

void expr(const ast::Expr* node, std::string& out) {
  if (node == nullptr) {
    out += "null";
    return;
  }
  std::visit(
      [&](const auto& n) {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, ast::Literal>) {
          out += literal(n.value);
        } else if constexpr (std::is_same_v<N, ast::Name>) {
          out += n.identifier;
        } else if constexpr (std::is_same_v<N, ast::Field>) {
          out += "(. ";
          expr(n.object.get(), out);
          out += " " + n.field + ")";
        } else if constexpr (std::is_same_v<N, ast::Call>) {
          out += "(call " + n.function;
          if (n.receiver) {
            out += " receiver=";
            expr(n.receiver.get(), out);
          }
          for (const auto& argument : n.arguments) {
            out += " ";
            if (!argument.label.empty()) out += argument.label + ":";
            expr(argument.value.get(), out);
          }
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Index>) {
          out += "(index ";
          expr(n.object.get(), out);
          out += " ";
          expr(n.index.get(), out);
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Unary>) {
          out += n.op == ast::UnaryOp::kNot ? "(not " : "(neg ";
          expr(n.operand.get(), out);
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Binary>) {
          out += "(" + binary_name(n.op) + " ";
          expr(n.left.get(), out);
          out += " ";
          expr(n.right.get(), out);
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Conditional>) {
          out += "(if ";
          expr(n.condition.get(), out);
          out += " ";
          expr(n.then_value.get(), out);
          out += " ";
          expr(n.else_value.get(), out);
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::ListLiteral>) {
          out += "(list";
          for (const auto& item : n.items) {
            out += " ";
            expr(item.get(), out);
          }
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Quantifier>) {
          out += "(" + enum_name(static_cast<int>(n.kind), {"any", "all", "count", "max", "min", "sum"}) + " " +
                 n.variable + " ";
          expr(n.collection.get(), out);
          out += " ";
          expr(n.condition.get(), out);
          if (n.value) {
            out += " value=";
            expr(n.value.get(), out);
          }
          out += ")";
        } else if constexpr (std::is_same_v<N, ast::Interpolation>) {
          out += "(interpolate";
          for (size_t i = 0; i < n.texts.size(); ++i) {
            out += " " + quoted(n.texts[i]);
            if (i < n.values.size()) {
              out += " ";
              expr(n.values[i].get(), out);
            }
          }
          out += ")";
        }
      },
      node->node);
}

std::string expr_text(const ast::ExprPtr& node) {
  std::string out;
  expr(node.get(), out);
  return out;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ' ';
    out += quoted(items[i]);
  }
  return out + "]";
}

void settings(const std::vector<ast::Setting>& items, const std::string& indent, std::string& out) {
  for (const auto& setting : items) {
    out += indent + "setting " + setting.field + (setting.is_list ? " list" : "");
    for (const auto& value : setting.values) {
      out += ' ';
      out += literal(value);
    }
    out += "\n";
  }
}

void advisory(const ast::AdvisoryDecl& item, const std::string& indent, std::string& out) {
  out += indent + "advisory " + quoted(item.id) + "\n";
  for (const auto& affects : item.affects) {
    out += indent + "  affects " + quoted(affects.package) + " " + quoted(affects.range) + " " + quoted(affects.scheme) + "\n";
  }
  out += indent + "  fixed " + list_text(item.fixed) + "\n";
  out += indent + "  cvss " + quoted(item.cvss) + "\n";
  out += indent + "  exploited " + (item.exploited ? "true" : "false");
  if (item.exploited_since) out += " since " + item.exploited_since->to_string();
  out += "\n";
  out += indent + "  summary " + quoted(item.summary) + "\n";
  out += indent + "  aliases " + list_text(item.aliases) + "\n";
  out += indent + "  url " + quoted(item.url) + "\n";
}

void rule(const ast::Rule& item, std::string& out) {
  out += "rule " + item.name + "\n";
  out += "  title " + expr_text(item.title) + "\n";
  for (const auto& binding : item.bindings) out += "  for " + binding.variable + " " + expr_text(binding.source) + "\n";
  out += "  where " + expr_text(item.where) + "\n";
  out += "  when " + expr_text(item.when) + "\n";
  out += "  urgency " + expr_text(item.urgency) + "\n";
  out += "  score " + expr_text(item.score) + "\n";
  out += "  reason " + item.reason + "\n";
  out += "  message " + expr_text(item.message) + "\n";
  out += "  target " + expr_text(item.target) + "\n";
  out += "  due " + expr_text(item.due) + "\n";
  if (!item.escalates.empty()) out += "  escalates " + item.escalates + "\n";
  for (const auto& risk : item.risks) out += "  risk " + risk.kind + " " + expr_text(risk.message) + "\n";
  for (const auto& [keyword, range] : item.repeated_clauses) out += "  repeated " + keyword + "\n";
}

void rank_policy(const ast::RankPolicy& item, std::string& out) {
  out += "rank " + item.name + "\n";
  out += "  title " + expr_text(item.title) + "\n";
  out += "  for " + item.variable + " " + expr_text(item.collection) + "\n";
  out += "  urgency " + expr_text(item.urgency) + "\n";
  out += "  score " + expr_text(item.score) + " because " + expr_text(item.score_because) + "\n";
  out += "  due " + expr_text(item.due) + "\n";
  for (const auto& factor : item.factors) {
    out += "  factor " + quoted(factor.name) + " " + expr_text(factor.points) + " because " + expr_text(factor.because) + "\n";
  }
  for (const auto& [keyword, range] : item.repeated_clauses) out += "  repeated " + keyword + "\n";
}

std::string side(const ast::ConstraintSide& item) {
  std::string out = quoted(item.selector);
  if (item.test) out += " " + item.test->op + " " + quoted(item.test->text);
  if (!item.scheme.empty()) out += " (" + item.scheme + ")";
  return out;
}

void test(const ast::TestCase& item, std::string& out) {
  out += "test " + quoted(item.name) + "\n";
  if (item.today) out += "  today " + item.today->to_string() + "\n";
  for (const auto& component : item.components) {
    out += "  component " + component.name + "\n";
    settings(component.settings, "    ", out);
  }
  for (const auto& cycle : item.eol_cycles) {
    out += "  eol " + quoted(cycle.product) + " " + quoted(cycle.key) + "\n";
    settings(cycle.settings, "    ", out);
  }
  for (const auto& release : item.releases) {
    out += "  release " + quoted(release.product) + " " + quoted(release.key) + "\n";
    settings(release.settings, "    ", out);
  }
  for (const auto& declared : item.advisories) advisory(declared, "  ", out);
  for (const auto& param : item.params) out += "  param " + param.name + " " + expr_text(param.value) + "\n";
  for (const auto& expect : item.expects) {
    static const char* subjects[] = {"", "rank ", "rank order "};
    out += std::string("  expect") + (expect.negated ? " no " : " ") + subjects[static_cast<int>(expect.subject)] +
           expect.rule + " on";
    for (const auto& component : expect.components) out += " " + component;
    out += "\n";
    for (const auto& expectation : expect.expectations) {
      out += "    " + expectation.kind + " " + quoted(expectation.point) + " " + quoted(expectation.text) + " " +
             number(expectation.number);
      if (expectation.date) {
        out += ' ';
        out += expectation.date->to_string();
      }
      out += '\n';
    }
  }
}

}  // namespace

std::string syntax_text(const ast::File& file) {
  std::string out = "package " + file.package + "\n";
  for (const auto& import : file.imports) out += "import " + import.package + " as " + import.alias + "\n";
  for (const auto& param : file.params) out += "param " + param.name + " " + expr_text(param.default_value) + "\n";
  for (const auto& function : file.functions) {
    out += "def " + function.name + " (";
    for (size_t i = 0; i < function.parameters.size(); ++i) out += (i > 0 ? " " : "") + function.parameters[i];
    out += ") " + expr_text(function.body) + "\n";
  }
  for (const auto& item : file.rules) rule(item, out);
  for (const auto& item : file.rank_policies) rank_policy(item, out);
  for (const auto& constraint : file.constraints) {
    out += std::string(constraint.is_requires ? "requires " : "conflicts ") + side(constraint.subject) + " / " +
           side(constraint.other) + " urgency " + constraint.urgency + "\n";
  }
  for (const auto& item : file.advisories) advisory(item, "", out);
  for (const auto& suppression : file.suppressions) {
    out += "suppress " + suppression.rule + " " + expr_text(suppression.where) + " until " +
           suppression.until.to_string() + " because " + quoted(suppression.because) + "\n";
  }
  for (const auto& item : file.tests) test(item, out);
  return out;
}

}  // namespace uprank::grammar
