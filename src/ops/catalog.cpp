// The catalog: the family tables concatenated, and lookups by path, alias and module.
#include "ops/catalog.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ops/families.h"

namespace ag {
namespace {

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

struct Index {
  std::vector<const OpDef*> rows;
  /// Keys view the rows' own paths and aliases (static text): a lookup builds no string.
  std::unordered_map<std::string_view, const OpDef*> by_path;
  std::vector<std::string> modules;  ///< sorted
  std::unordered_set<std::string> module_set;  ///< `modules` again, for is_module
  /// Spec helpers that are not TF names (load): found by name, but not members of any module.
  std::set<const OpDef*> hidden;
};

const Index& index() {
  static const Index built = [] {
    Index idx;
    for (const std::vector<OpDef>* family : {&math_ops(), &nn_ops(), &array_ops(), &array_manipulation_ops(), &linalg_ops(), &dtypes_members(), &random_ops(), &random_candidate_ops()})
      for (const OpDef& op : *family) idx.rows.push_back(&op);
    for (const OpDef& op : io_ops()) {
      idx.rows.push_back(&op);
      idx.hidden.insert(&op);
    }
    std::set<std::string> modules{""};
    for (const OpDef* op : idx.rows) {
      std::vector<std::string_view> paths = split_words(op->aliases);
      paths.insert(paths.begin(), op->path);
      for (std::string_view path : paths) {
        idx.by_path.emplace(path, op);
        // Every prefix of a dotted path is a module ("random.experimental" gives "random" too).
        for (std::size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1))
          modules.insert(std::string(path.substr(0, dot)));
      }
    }
    idx.modules.assign(modules.begin(), modules.end());
    idx.module_set.insert(idx.modules.begin(), idx.modules.end());
    return idx;
  }();
  return built;
}

std::string module_of(std::string_view path) {
  std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? "" : std::string(path.substr(0, dot));
}

std::string leaf_of(std::string_view path) {
  std::size_t dot = path.rfind('.');
  return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

}  // namespace

const std::vector<const OpDef*>& catalog() { return index().rows; }

const OpDef* find_op(std::string_view path) {
  if (path.substr(0, 3) == "tf.") path.remove_prefix(3);
  auto it = index().by_path.find(path);
  return it == index().by_path.end() ? nullptr : it->second;
}

const std::vector<std::string>& catalog_modules() { return index().modules; }

bool is_module(std::string_view path) {
  // A hash lookup: every call of a spec asks this about its callee's name.
  return !path.empty() && index().module_set.count(std::string(path)) != 0;
}

std::vector<std::string> module_members(std::string_view module) {
  std::set<std::string> members;
  for (const auto& [path, op] : index().by_path)
    if (module_of(path) == module && !index().hidden.count(op)) members.insert(leaf_of(path));
  // Submodules are members too (random.experimental is listed by dir(tf.random)).
  for (const std::string& sub : index().modules)
    if (!sub.empty() && module_of(sub) == module) members.insert(leaf_of(sub));
  return {members.begin(), members.end()};
}

std::vector<std::string> module_dir(std::string_view module) {
  std::vector<std::string> names = module_members(module);
  // TF's generated API modules carry these, and dir() shows them.
  for (const char* dunder : {"__builtins__", "__cached__", "__doc__", "__file__", "__loader__", "__name__", "__package__",
                             "__path__", "__spec__", "_sys"})
    names.emplace_back(dunder);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> modules_with_member(std::string_view name) {
  std::vector<std::string> modules;
  for (const std::string& module : index().modules) {
    if (module.empty()) continue;
    std::string path = module + "." + std::string(name);
    if (index().by_path.count(path)) modules.push_back(module);
  }
  return modules;
}

std::vector<std::string> catalog_names() {
  std::vector<std::string> names;
  for (const auto& [path, op] : index().by_path) {
    names.emplace_back(path);
    std::string leaf = leaf_of(path);
    if (leaf != path) names.push_back(leaf);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace ag
