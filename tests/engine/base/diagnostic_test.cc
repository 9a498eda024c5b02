#include <gtest/gtest.h>

#include "engine/base/diagnostic.h"

namespace uprank {
namespace {

TEST(Diagnostic, RendersLocationSourceLineAndCaret) {
  Diagnostic diagnostic{Severity::kError, "uprank.unknown_field", "unknown field 'eoll' on component",
                        {{"rules/eol.upr", 2, 10}, 2, 13}, "did you mean 'eol'?"};
  std::string source = "rule x {\n  when c.eoll.ends <= today\n}\n";
  EXPECT_EQ(render_diagnostic(diagnostic, source),
            "error: rules/eol.upr:2:10: unknown field 'eoll' on component [uprank.unknown_field]\n"
            "    when c.eoll.ends <= today\n"
            "           ^^^^\n"
            "  hint: did you mean 'eol'?\n");
}

TEST(Diagnostic, SortsByPosition) {
  std::vector<Diagnostic> list = {{Severity::kError, "b", "", {{"f", 3, 1}, 0, 0}, ""},
                                  {Severity::kWarning, "a", "", {{"f", 1, 5}, 0, 0}, ""}};
  sort_diagnostics(list);
  EXPECT_EQ(list[0].code, "a");
}

TEST(ClosestName, SuggestsOnlyPlausibleTypos) {
  EXPECT_EQ(closest_name("eoll", {"eol", "name", "version"}), "eol");
  EXPECT_EQ(closest_name("zzzzzz", {"eol", "name"}), "");
}

}  // namespace
}  // namespace uprank
