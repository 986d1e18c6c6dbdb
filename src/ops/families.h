// The family tables the catalog is made of; catalog.cpp lists them explicitly.
#pragma once

#include <vector>

#include "ops/op_def.h"

namespace ag {

const std::vector<OpDef>& math_ops();
const std::vector<OpDef>& array_ops();
const std::vector<OpDef>& dtypes_members();

}  // namespace ag
