// The catalog: every public name, found by path, alias or bare name, and the modules it forms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ops/op_def.h"

namespace ag {

/// All rows, in table order.
const std::vector<const OpDef*>& catalog();
/// The row whose path or alias is exactly `path` ("math.exp", "exp"), or null.
const OpDef* find_op(std::string_view path);
/// Module paths that exist ("" is tf itself; "random", "random.experimental", ...).
const std::vector<std::string>& catalog_modules();
bool is_module(std::string_view path);
/// Members of a module as dir() lists them: public names plus the dunders of a TF API module,
/// sorted by code point.
std::vector<std::string> module_dir(std::string_view module);
/// Public members only (what `list` shows).
std::vector<std::string> module_members(std::string_view module);
/// Modules having a member called `name` (for ambiguity errors).
std::vector<std::string> modules_with_member(std::string_view name);
/// All public paths and names (for "did you mean").
std::vector<std::string> catalog_names();

}  // namespace ag
