#include "engine/inventory/compose_env.h"

#include <algorithm>

namespace uprank::inventory::internal {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The position of the `}` that closes the `${` at `open`, counting nested `${…}`; npos
// when there is none.
size_t closing_brace(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

struct Expander {
  const Dotenv& env;
  bool& unresolved;
  std::vector<std::string>* used;
  int depth = 0;

  const DotenvVariable* lookup(std::string_view name) {
    auto found = env.find(name);
    if (found == env.end()) return nullptr;
    if (used != nullptr && std::find(used->begin(), used->end(), name) == used->end()) used->emplace_back(name);
    return &found->second;
  }

  std::string expand(std::string_view text) {
    std::string out;
    if (++depth > 16) {  // nested defaults deeper than any real file: not read
      unresolved = true;
      return out;
    }
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '$') {
        out.push_back(text[i]);
      } else if (i + 1 < text.size() && text[i + 1] == '$') {
        out.push_back('$');
        ++i;
      } else if (i + 1 < text.size() && text[i + 1] == '{') {
        size_t close = closing_brace(text, i);
        if (close == std::string_view::npos) {
          unresolved = true;
          break;
        }
        out += braced(text.substr(i + 2, close - i - 2));
        i = close;
      } else if (i + 1 < text.size() && is_name_start(text[i + 1])) {
        size_t end = i + 1;
        while (end < text.size() && is_name_char(text[end])) ++end;
        const DotenvVariable* variable = lookup(text.substr(i + 1, end - i - 1));
        if (variable == nullptr) unresolved = true;
        else out += variable->value;
        i = end - 1;
      } else {
        unresolved = true;  // a lone `$`: Compose refuses it
      }
    }
    --depth;
    return out;
  }

  // `inner` is what stands between `${` and its `}`.
  std::string braced(std::string_view inner) {
    size_t name_end = 0;
    while (name_end < inner.size() && is_name_char(inner[name_end])) ++name_end;
    if (name_end == 0) {
      unresolved = true;
      return {};
    }
    const DotenvVariable* variable = lookup(inner.substr(0, name_end));
    std::string_view rest = inner.substr(name_end);
    if (rest.empty()) {
      if (variable == nullptr) unresolved = true;
      return variable != nullptr ? variable->value : std::string();
    }
    bool colon = rest.front() == ':';
    if (colon) rest.remove_prefix(1);
    if (rest.empty()) {
      unresolved = true;
      return {};
    }
    char op = rest.front();
    std::string_view word = rest.substr(1);
    bool set = variable != nullptr && (!colon || !variable->value.empty());
    switch (op) {
      case '-':
        return set ? variable->value : expand(word);
      case '+':
        return set ? expand(word) : std::string();
      case '?':
        if (!set) unresolved = true;
        return set ? variable->value : std::string();
      default:
        unresolved = true;
        return {};
    }
  }
};

}  // namespace

Dotenv parse_dotenv(std::string_view text) {
  Dotenv env;
  int line_number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = trim(line.substr(7));
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, equals));
    if (name.empty() || !is_name_start(name.front()) || !std::all_of(name.begin(), name.end(), is_name_char)) continue;
    std::string_view raw = trim(line.substr(equals + 1));
    std::string value;
    if (!raw.empty() && raw.front() == '\'') {
      size_t close = raw.find('\'', 1);
      value = std::string(raw.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    } else if (!raw.empty() && raw.front() == '"') {
      for (size_t i = 1; i < raw.size() && raw[i] != '"'; ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
          char next = raw[++i];
          value.push_back(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next);
        } else {
          value.push_back(raw[i]);
        }
      }
    } else {
      size_t comment = raw.find(" #");
      value = std::string(trim(raw.substr(0, comment)));
    }
    env[std::string(name)] = DotenvVariable{std::move(value), line_number};
  }
  return env;
}

std::string compose_interpolate(std::string_view text, const Dotenv& env, bool& unresolved, std::vector<std::string>* used) {
  Expander expander{env, unresolved, used};
  return expander.expand(text);
}

}  // namespace uprank::inventory::internal
