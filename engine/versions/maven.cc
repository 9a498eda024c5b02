// Maven versions as maven-artifact 3.8's ComparableVersion parses and orders them, and
// Maven version ranges as VersionRange.createFromVersionSpec and containsVersion read
// them.
//
// ComparableVersion is a tree of items (numbers, qualifiers, sub-lists after '-' or a
// letter/digit transition) compared with "null padding": a shorter list compares its
// missing items as null, and what null equals depends on the item (0, "", "ga", an
// empty list). That is not a byte order, so the key is the serialised, normalised tree
// and compare_maven_keys walks two of them.
//
// Key: item tags 0x01 qualifier (its comparable form, then 0x00), 0x02 list (items, then
// 0x00), 0x03 number; the top-level list's items, then 0x00.
#include <algorithm>
#include <array>
#include <functional>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

constexpr char kEnd = '\x00';
constexpr char kQualifier = '\x01';
constexpr char kList = '\x02';
constexpr char kNumber = '\x03';

struct Item {
  char type = kNumber;
  std::string text;  // digits without leading zeros, or the comparable qualifier
  std::vector<Item> items;

  bool is_null() const {
    if (type == kNumber) return text.empty();
    if (type == kQualifier) return text == "5";
    return items.empty();
  }
};

// StringItem's comparableQualifier after aliasing.
std::string comparable_qualifier(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    if (value == "a") value = "alpha";
    else if (value == "b") value = "beta";
    else if (value == "m") value = "milestone";
  }
  if (value == "ga" || value == "final" || value == "release") value = "";
  else if (value == "cr") value = "rc";
  static const std::array<std::string_view, 7> kQualifiers = {"alpha", "beta", "milestone", "rc",
                                                              "snapshot", "", "sp"};
  for (size_t i = 0; i < kQualifiers.size(); ++i) {
    if (kQualifiers[i] == value) return std::to_string(i);
  }
  return "7-" + value;
}

Item parse_item(bool is_digit_item, std::string_view buf) {
  Item item;
  if (is_digit_item) {
    size_t i = 0;
    while (i < buf.size() && buf[i] == '0') ++i;
    item.type = kNumber;
    item.text = std::string(buf.substr(i));
  } else {
    item.type = kQualifier;
    item.text = comparable_qualifier(std::string(buf), false);
  }
  return item;
}

void normalize(Item& list) {
  for (auto& child : list.items) {
    if (child.type == kList) normalize(child);
  }
  for (size_t i = list.items.size(); i-- > 0;) {
    if (list.items[i].is_null()) {
      list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (list.items[i].type != kList) {
      break;
    }
  }
}

void serialize(const Item& list, std::string& key) {
  for (const auto& item : list.items) {
    key.push_back(item.type);
    if (item.type == kNumber) {
      append_number(key, item.text);
    } else if (item.type == kQualifier) {
      key.append(item.text);
      key.push_back(kEnd);
    } else {
      serialize(item, key);
    }
  }
  key.push_back(kEnd);
}

// ComparableVersion.parseVersion (3.8), building the tree with a path of open lists.
Item parse_tree(const std::string& version) {
  Item root;
  root.type = kList;
  std::vector<Item*> path = {&root};
  auto current = [&]() -> Item& { return *path.back(); };
  auto open_list = [&]() {
    Item list;
    list.type = kList;
    current().items.push_back(std::move(list));
    path.push_back(&current().items.back());
  };
  bool is_digit_run = false;
  size_t start = 0;
  for (size_t i = 0; i < version.size(); ++i) {
    char c = version[i];
    if (c == '.' || c == '-') {
      if (i == start) {
        current().items.push_back(Item{kNumber, "", {}});
      } else {
        current().items.push_back(parse_item(is_digit_run, std::string_view(version).substr(start, i - start)));
      }
      start = i + 1;
      if (c == '-') open_list();
    } else if (is_digit(c)) {
      if (!is_digit_run && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: a qualifier after '.' opens a sub-list like '-'.
        if (!current().items.empty()) open_list();
        Item qualifier;
        qualifier.type = kQualifier;
        qualifier.text = comparable_qualifier(version.substr(start, i - start), true);
        current().items.push_back(std::move(qualifier));
        start = i;
        open_list();
      }
      is_digit_run = true;
    } else {
      if (is_digit_run && i > start) {
        current().items.push_back(parse_item(true, std::string_view(version).substr(start, i - start)));
        start = i;
        open_list();
      }
      is_digit_run = false;
    }
  }
  if (version.size() > start) {
    if (!is_digit_run && !current().items.empty()) open_list();
    current().items.push_back(parse_item(is_digit_run, std::string_view(version).substr(start)));
  }
  normalize(root);
  return root;
}

// A read position in a serialised item list.
struct Cursor {
  std::string_view key;
  size_t pos = 0;
  char peek() const { return key[pos]; }
};

std::string_view read_number(Cursor& c) {
  size_t length = static_cast<unsigned char>(c.key[c.pos]);
  size_t header = 1;
  if (length == 0xF0) {
    length = (static_cast<size_t>(static_cast<unsigned char>(c.key[c.pos + 1])) << 8) |
             static_cast<unsigned char>(c.key[c.pos + 2]);
    header = 3;
  }
  std::string_view digits = c.key.substr(c.pos + header, length);
  c.pos += header + length;
  return digits;
}

std::string_view read_qualifier(Cursor& c) {
  size_t end = c.key.find(kEnd, c.pos);
  std::string_view text = c.key.substr(c.pos, end - c.pos);
  c.pos = end + 1;
  return text;
}

void skip_item(Cursor& c);
void skip_list(Cursor& c) {
  while (c.peek() != kEnd) skip_item(c);
  ++c.pos;
}
void skip_item(Cursor& c) {
  char type = c.key[c.pos++];
  if (type == kNumber) {
    read_number(c);
  } else if (type == kQualifier) {
    read_qualifier(c);
  } else {
    skip_list(c);
  }
}

int sign(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

// Item.compareTo(null) for the item at `c`; consumes it.
int compare_with_null(Cursor& c) {
  char type = c.key[c.pos++];
  if (type == kNumber) return read_number(c).empty() ? 0 : 1;
  if (type == kQualifier) return sign(read_qualifier(c).compare("5"));
  // A list compares as its first item that differs from null; an empty list is null.
  int r = 0;
  while (c.peek() != kEnd) {
    r = compare_with_null(c);
    if (r != 0) {
      skip_list(c);
      return r;
    }
  }
  ++c.pos;
  return 0;
}

int compare_numbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

int compare_lists(Cursor& a, Cursor& b);

// Compares the items at `a` and `b`; consumes both when equal.
int compare_items(Cursor& a, Cursor& b) {
  char ta = a.key[a.pos++], tb = b.key[b.pos++];
  if (ta == kNumber) {
    std::string_view x = read_number(a);
    if (tb != kNumber) return 1;
    return compare_numbers(x, read_number(b));
  }
  if (ta == kQualifier) {
    std::string_view x = read_qualifier(a);
    if (tb != kQualifier) return -1;
    return sign(x.compare(read_qualifier(b)));
  }
  if (tb == kNumber) return -1;
  if (tb == kQualifier) return 1;
  return compare_lists(a, b);
}

int compare_lists(Cursor& a, Cursor& b) {
  while (true) {
    bool a_end = a.peek() == kEnd, b_end = b.peek() == kEnd;
    if (a_end && b_end) {
      ++a.pos;
      ++b.pos;
      return 0;
    }
    int r;
    if (a_end) {
      r = -compare_with_null(b);
    } else if (b_end) {
      r = compare_with_null(a);
    } else {
      r = compare_items(a, b);
    }
    if (r != 0) return r;
  }
}

}  // namespace

Result<Version> parse_maven(std::string_view text) {
  if (text.empty()) return invalid(Scheme::kMaven, text, "version is empty");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return invalid(Scheme::kMaven, text, "only printable ASCII without spaces is accepted");
    }
  }
  Item root = parse_tree(lower(text));
  Version v = VersionAccess::make(Scheme::kMaven, text);
  serialize(root, VersionAccess::key(v));
  // The numbers rules and cycles see come from the text as written: the parse tree drops
  // trailing zeros ("4.0.0" is [4]), which would put 4.0.0 outside its cycle "4.0".
  for (size_t begin = 0; begin < text.size();) {
    size_t end = begin;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == begin) break;
    VersionAccess::add_number(v, text.substr(begin, end - begin));
    if (end == text.size() || text[end] != '.') break;
    begin = end + 1;
  }
  // A pre-release names a qualifier that sorts below the release ("alpha" to "snapshot").
  std::function<bool(const Item&)> has_pre_qualifier = [&](const Item& list) {
    return std::any_of(list.items.begin(), list.items.end(), [&](const Item& item) {
      if (item.type == kQualifier) return item.text < "5";
      return item.type == kList && has_pre_qualifier(item);
    });
  };
  VersionAccess::set_prerelease(v, has_pre_qualifier(root));
  return v;
}

int compare_maven_keys(std::string_view a, std::string_view b) {
  Cursor x{a, 0}, y{b, 0};
  return compare_lists(x, y);
}

}  // namespace uprank::versions::internal
