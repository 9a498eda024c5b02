// Static types of the rule language, checked before anything runs.
#pragma once

#include <cstdint>
#include <string>

namespace uprank::compiler {

enum class TypeKind : uint8_t {
  kError,  // already reported; suppresses follow-on errors
  kBool, kNumber, kString, kVersion, kDate, kDuration, kRegex, kLevel, kComponent, kEolCycle, kAdvisory, kRelease,
  kFinding,  // a finding of the component being ranked (rank policies only)
  kList
};

struct Type {
  TypeKind kind = TypeKind::kError;
  TypeKind element = TypeKind::kError;  // for lists

  static Type of(TypeKind kind) { return Type{kind, TypeKind::kError}; }
  static Type list_of(TypeKind element) { return Type{TypeKind::kList, element}; }
  bool is(TypeKind k) const { return kind == k; }
  bool is_error() const { return kind == TypeKind::kError; }
  friend bool operator==(const Type&, const Type&) = default;
};

std::string type_name(Type type);

}  // namespace uprank::compiler
