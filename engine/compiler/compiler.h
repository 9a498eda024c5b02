// Compiles parsed rule files into a Program through named passes, each reporting
// diagnostics with a stable code and a position: resolve -> check -> lint -> plan.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/ast/ast.h"
#include "engine/base/diagnostic.h"
#include "engine/compiler/program.h"

namespace uprank::compiler {

struct CompileOptions {
  // Parameter overrides from uprank.yaml or --param, by plain or qualified name, as text
  // parsed in the parameter's type ("90d", "12", "2025-01-01", "true", "text").
  std::map<std::string, std::string> param_overrides;
  std::string param_override_origin = "--param";  // named in diagnostics about overrides
  // Stop after this pass and describe the program as it stands ("" runs every pass).
  std::string dump_after;
};

struct CompileResult {
  std::shared_ptr<const Program> program;  // null when there are errors
  std::vector<Diagnostic> diagnostics;     // sorted; warnings may accompany a program
  std::string dump;                        // filled when CompileOptions::dump_after is set
};

CompileResult compile(const std::vector<ast::File>& files, const CompileOptions& options = {});

// The names of the passes, in order, for --dump-after.
const std::vector<std::string>& pass_names();

// Lowers one `advisory` declaration (as written in a rule file or a test) to the facts it
// stands for. Mistakes are appended to `diagnostics`; nullopt when there were any.
std::optional<DeclaredAdvisory> lower_declared_advisory(const ast::AdvisoryDecl& syntax,
                                                        std::vector<Diagnostic>& diagnostics);

// The reason categories a rule may name.
const std::vector<std::string>& reason_categories();

}  // namespace uprank::compiler
