// A position-free text form of a syntax tree, for checking that two sources mean the
// same thing (the formatter must change layout only) and for readable test failures.
#pragma once

#include <string>

#include "engine/ast/ast.h"

namespace uprank::grammar {

// Returns every declaration, clause and expression of `file` as an indented
// S-expression, without source ranges or the path. Equal texts mean equal trees.
std::string syntax_text(const ast::File& file);

}  // namespace uprank::grammar
